/**
 * The opinion draft's presence room. Joining is checked like the page itself
 * (a consultant on the case, or a coordinator who may translate, and the
 * opinion still a draft), and checked again on every editing event, since
 * access can change while the page is open. Saving and signing tell the
 * editors through `draftSectionSaved` and `draftClosed`.
 */
import { opinionAbilities } from "~/features/opinions/opinion-access";
import type { Actor } from "~/features/identity/permissions";
import { getCaseFacts } from "~/features/cases/case-store.server";
import { recordRefusal } from "~/features/audit/audit-refusals.server";
import { getDb } from "~/platform/db.server";
import type { SectionName } from "~/features/opinions/opinion-content";
import {
  DraftEditingSchema,
  draftRoom,
  JoinDraftSchema,
  type DraftClientEvents,
  type DraftEditor,
  type DraftSaved,
  type DraftServerEvents,
} from "./draft-contracts";
import { getIo, realtimeFeature } from "~/realtime/io.server";
import { socketActor, socketMeta } from "~/realtime/socket-identity.server";

async function mayEditDraft(actor: Actor | null, opinionId: string): Promise<{ name: string } | null> {
  if (!actor) return null;
  const db = getDb();
  const opinion = await db.opinion.findFirst({ where: { id: opinionId, status: "DRAFT" }, select: { caseId: true } });
  const facts = opinion ? await getCaseFacts(db, opinion.caseId) : null;
  if (!facts || !opinionAbilities(actor, facts, null).translate) return null;
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { displayName: true } });
  return user ? { name: user.displayName } : null;
}

/** What a socket keeps of the opinion drafts it has open: the name it shows as, and the section it is editing in each. */
type DraftSocketData = { drafts?: Record<string, { name: string; section: SectionName | null }> };

export const registerDraftPresence = realtimeFeature<DraftClientEvents, DraftServerEvents, DraftSocketData>((io, socket) => {
  const data = socket.data;

  async function broadcast(opinionId: string) {
    const sockets = await io.in(draftRoom(opinionId)).fetchSockets();
    const byUser = new Map<string, DraftEditor>();
    for (const s of sockets) {
      const entry = s.data.drafts?.[opinionId];
      // One user in two tabs shows once, editing whatever section they last focused.
      if (entry && (!byUser.has(s.data.userId) || entry.section))
        byUser.set(s.data.userId, { userId: s.data.userId, name: entry.name, section: entry.section });
    }
    io.to(draftRoom(opinionId)).emit("draft:presence", { opinionId, editors: [...byUser.values()] });
  }

  async function deny(actor: Actor | null, opinionId: string) {
    await recordRefusal(getDb(), {
      actor: actor ? { id: actor.id, role: actor.role } : null,
      action: "opinion.presence",
      outcome: "denied",
      entityType: "Opinion",
      entityId: opinionId,
      meta: socketMeta(socket),
    });
  }

  async function leave(opinionId: string) {
    if (!data.drafts?.[opinionId]) return;
    delete data.drafts[opinionId];
    await socket.leave(draftRoom(opinionId));
    await broadcast(opinionId);
  }

  socket.on("draft:join", async (payload, ack) => {
    if (typeof ack !== "function") return;
    const parsed = JoinDraftSchema.safeParse(payload);
    if (!parsed.success) return ack({ ok: false });
    const actor = await socketActor(socket);
    const allowed = await mayEditDraft(actor, parsed.data.opinionId);
    if (!allowed) {
      await deny(actor, parsed.data.opinionId);
      return ack({ ok: false });
    }
    data.drafts = { ...data.drafts, [parsed.data.opinionId]: { name: allowed.name, section: null } };
    await socket.join(draftRoom(parsed.data.opinionId));
    ack({ ok: true });
    await broadcast(parsed.data.opinionId);
  });

  socket.on("draft:editing", async (payload) => {
    const parsed = DraftEditingSchema.safeParse(payload);
    if (!parsed.success || !data.drafts?.[parsed.data.opinionId]) return;
    const actor = await socketActor(socket);
    if (!(await mayEditDraft(actor, parsed.data.opinionId))) {
      await deny(actor, parsed.data.opinionId);
      return leave(parsed.data.opinionId);
    }
    const entry = data.drafts[parsed.data.opinionId];
    if (!entry) return;
    entry.section = parsed.data.section;
    await broadcast(parsed.data.opinionId);
  });

  socket.on("draft:leave", async (payload) => {
    const parsed = JoinDraftSchema.safeParse(payload);
    if (parsed.success) await leave(parsed.data.opinionId);
  });

  socket.on("disconnect", async () => {
    for (const opinionId of Object.keys(data.drafts ?? {})) {
      await socket.leave(draftRoom(opinionId));
      await broadcast(opinionId).catch(() => undefined);
    }
  });
});

/** A section of an opinion draft was saved: everyone with the draft open is told who saved which section, at which version. */
export function draftSectionSaved(saved: DraftSaved) {
  getIo<DraftServerEvents>()?.to(draftRoom(saved.opinionId)).emit("draft:saved", saved);
}

/** The draft was signed: its editors reload the page, which now shows the signed version. */
export function draftClosed(opinionId: string) {
  getIo<DraftServerEvents>()?.to(draftRoom(opinionId)).emit("draft:closed", { opinionId });
}
