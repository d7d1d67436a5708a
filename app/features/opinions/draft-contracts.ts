/**
 * Live presence while an opinion is drafted: who has the draft open and which
 * section each is editing, and a notice when someone saves a section. The
 * sections themselves are saved through the opinion page's action, under a
 * version check; these events only tell the others.
 */
import { z } from "zod";
import { SECTIONS, type SectionName } from "~/features/opinions/opinion-content";

const id = z.string().min(1).max(40);
export const JoinDraftSchema = z.object({ opinionId: id });
export const DraftEditingSchema = z.object({ opinionId: id, section: z.enum(SECTIONS).nullable() });

export type DraftEditor = { userId: string; name: string; section: SectionName | null };
export type DraftSaved = { opinionId: string; section: SectionName; version: number; byUserId: string; byName: string };

export type DraftClientEvents = {
  "draft:join": (payload: z.infer<typeof JoinDraftSchema>, ack: (reply: { ok: boolean }) => void) => void;
  "draft:editing": (payload: z.infer<typeof DraftEditingSchema>) => void;
  "draft:leave": (payload: z.infer<typeof JoinDraftSchema>) => void;
};

export type DraftServerEvents = {
  "draft:presence": (payload: { opinionId: string; editors: DraftEditor[] }) => void;
  "draft:saved": (payload: DraftSaved) => void;
  /** The draft was signed (or otherwise stopped being a draft): editors reload. */
  "draft:closed": (payload: { opinionId: string }) => void;
};

export const draftRoom = (opinionId: string) => `draft:${opinionId}`;
