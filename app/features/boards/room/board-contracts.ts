/**
 * The live board room's events and payloads, shared by the browser and the
 * server. Every client payload is validated on the server with these schemas.
 * State-changing commands are numbered (`seq`) and stored before they are
 * broadcast; viewer state and pointers are ephemeral, latest wins.
 */
import { z } from "zod";
import { ViewerStateSchema } from "~/features/imaging/viewer/viewer-state";
import { translationText } from "~/features/translation/translated-text";

const id = z.string().min(1).max(40);
/** A vote's option is at most 100 characters; its translation may run longer. */
export const ROOM_OPTION_TRANSLATION_MAX = 200;
/** Room sequence numbers: bounded far below what the database's integers and JavaScript's exact integers hold. */
const seq = z.number().int().min(0).max(1_000_000_000);
export const ClientMessageId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

export const JoinBoardSchema = z.object({ sessionId: id, lastSeq: seq });

export const BoardCommandSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("chat"), agendaItemId: id, language: z.enum(["en", "zh-CN"]), body: z.string().trim().min(1).max(4000) }),
  z.object({ type: z.literal("focus"), agendaItemId: id }),
  z.object({ type: z.literal("presenter"), userId: id }),
  /** The chair makes an observing coordinator co-chair (null: takes it back). */
  z.object({ type: z.literal("cochair"), userId: id.nullable() }),
  z.object({ type: z.literal("start") }),
  z.object({ type: z.literal("end") }),
  z.object({
    type: z.literal("poll.open"),
    agendaItemId: id,
    question: z.string().trim().min(1).max(500),
    options: z.array(z.string().trim().min(1).max(100)).min(2).max(6),
  }),
  z.object({ type: z.literal("poll.vote"), pollSeq: seq.min(1), option: z.number().int().min(0).max(5) }),
  z.object({ type: z.literal("poll.close"), pollSeq: seq.min(1) }),
  z.object({ type: z.literal("summary"), agendaItemId: id, text: z.string().max(20_000) }),
  /** A translation of a message, a vote (its question and every option, in order) or a summary, named by its event's number. */
  z.object({
    type: z.literal("translate"),
    eventSeq: seq.min(1),
    text: translationText(),
    options: z.array(translationText(ROOM_OPTION_TRANSLATION_MAX)).min(2).max(6).optional(),
    /** The glossary terms whose rendering the translator keeps though it is not the glossary's ("accept anyway"). */
    acceptTerms: z.array(z.string().max(40)).max(50).optional(),
  }),
]);
export type BoardCommand = z.infer<typeof BoardCommandSchema>;
export const SendBoardCommandSchema = z.object({ sessionId: id, clientMessageId: ClientMessageId, command: BoardCommandSchema });

const coordinate = z.number().min(-1_000_000).max(1_000_000);
export const PointerSchema = z.object({ x: coordinate, y: coordinate }).nullable();
export const BoardViewSchema = z.object({ sessionId: id, agendaItemId: id, state: ViewerStateSchema, pointer: PointerSchema });
export type BoardView = z.infer<typeof BoardViewSchema>;

/** A stored room event as a recipient receives it. */
export type BoardEvent = {
  seq: number;
  type: BoardCommand["type"];
  agendaItemId: string | null;
  actorId: string;
  actorName: string;
  payload: Record<string, unknown>;
  createdAt: string;
};

export type BoardAgendaItem = { id: string; position: number; minutes: number; caseId: string; caseCode: string; boardSummary: string; discussed: boolean };
export type BoardParticipant = { userId: string; name: string; role: string; kind: string; timeZone: string };
export type BoardSnapshot = {
  sessionId: string;
  title: string;
  status: string;
  chairId: string;
  presenterId: string;
  coChairId: string | null;
  /** The focused agenda item, or null when there is none or it is not one the recipient may see. */
  focusItemId: string | null;
  agenda: BoardAgendaItem[];
  events: BoardEvent[];
  lastSeq: number;
};

export type BoardJoinReply = { ok: true; snapshot: BoardSnapshot } | { ok: false; error: "notFound" | "invalidPayload" | "rateLimited" | "internalError" };
/** A glossary term of an original whose rendering a translation lacks, in the words of both languages. */
export type GlossaryMismatch = { id: string; term: string; rendering: string };
/** The room's last refused translation for lacking glossary renderings: the event it translated, and the terms. */
export type GlossaryRefusal = { eventSeq: number; terms: GlossaryMismatch[] };
export type BoardCommandReply =
  | { ok: true; seq: number; duplicate: boolean }
  | { ok: false; error: "notFound" | "forbidden" | "invalidPayload" | "rateLimited" | "invalidState" | "internalError" }
  | { ok: false; error: "glossaryMismatch"; terms: GlossaryMismatch[] };

export type BoardServerEvents = {
  "board:event": (event: BoardEvent & { sessionId: string }) => void;
  "board:view": (view: BoardView & { presenterId: string }) => void;
  "board:presence": (presence: { sessionId: string; participants: BoardParticipant[] }) => void;
  /** The recipient was removed from the session or the session was cancelled: leave the room. */
  "board:removed": (payload: { sessionId: string }) => void;
  /** The agenda or invitees changed: join again to get what you may now see. */
  "board:changed": (payload: { sessionId: string }) => void;
};

export type BoardClientEvents = {
  "board:join": (payload: z.infer<typeof JoinBoardSchema>, ack: (reply: BoardJoinReply) => void) => void;
  "board:leave": (payload: { sessionId: string }) => void;
  "board:command": (payload: z.infer<typeof SendBoardCommandSchema>, ack: (reply: BoardCommandReply) => void) => void;
  "board:view": (payload: BoardView) => void;
};

export const boardRoom = (sessionId: string) => `board:${sessionId}`;
export const boardItemRoom = (sessionId: string, agendaItemId: string) => `board:${sessionId}:item:${agendaItemId}`;
