import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, LiveCaseComment, LiveNotification, ServerToClientEvents } from "./contracts";
import { caseRoom, sessionRoom, userRoom } from "./contracts";
import { boardItemRoom, boardRoom, type BoardClientEvents, type BoardParticipant, type BoardServerEvents } from "~/features/boards/room/board-contracts";
import { draftRoom, type DraftClientEvents, type DraftSaved, type DraftServerEvents } from "~/features/opinions/draft-contracts";
import type { SectionName } from "~/features/opinions/opinion-content";

export type SocketData = {
  userId: string;
  role: string;
  sessionId: string;
  /** The board rooms this socket has joined: who it shows as, and its attendance record. */
  boards?: Record<string, { participant: BoardParticipant; attendanceId: string }>;
  /** The opinion drafts this socket has open, and the section it is editing in each. */
  drafts?: Record<string, { name: string; section: SectionName | null }>;
};
type ClientEvents = ClientToServerEvents & BoardClientEvents & DraftClientEvents;
type ServerEvents = ServerToClientEvents & BoardServerEvents & DraftServerEvents;
export type IoServer = Server<ClientEvents, ServerEvents, Record<string, never>, SocketData>;
export type IoSocket = Socket<ClientEvents, ServerEvents, Record<string, never>, SocketData>;

// On globalThis: server.ts creates the server, route modules (in another module graph) use it.
const holder = globalThis as typeof globalThis & { __tumorboardIo?: IoServer };

export function setIo(io: IoServer | undefined) {
  holder.__tumorboardIo = io;
}

export function notifyUser(userId: string, notification: LiveNotification) {
  holder.__tumorboardIo?.to(userRoom(userId)).emit("notification", notification);
}

export function notifyCaseComment(caseId: string, comment: LiveCaseComment) {
  holder.__tumorboardIo?.to(caseRoom(caseId)).emit("case:comment", { ...comment, caseId });
}

/** Ends the live connections of logged-out or revoked sessions at once. */
export function disconnectSessions(sessionIds: string[]) {
  const io = holder.__tumorboardIo;
  if (!io || sessionIds.length === 0) return;
  io.in(sessionIds.map(sessionRoom)).disconnectSockets(true);
}

/** Takes a user out of a board's room at once (uninvited, or the session was cancelled); their clients are told to leave. */
export function evictFromBoard(sessionId: string, userId: string, agendaItemIds: string[]) {
  const io = holder.__tumorboardIo;
  if (!io) return;
  io.to(userRoom(userId)).emit("board:removed", { sessionId });
  io.in(userRoom(userId)).socketsLeave([boardRoom(sessionId), ...agendaItemIds.map((id) => boardItemRoom(sessionId, id))]);
}

/** The agenda or the invitees changed: clients in the room join again, which recomputes what each may see. */
export function boardChanged(sessionId: string) {
  holder.__tumorboardIo?.to(boardRoom(sessionId)).emit("board:changed", { sessionId });
}

/** A section of an opinion draft was saved: everyone with the draft open is told who saved which section, at which version. */
export function draftSectionSaved(saved: DraftSaved) {
  holder.__tumorboardIo?.to(draftRoom(saved.opinionId)).emit("draft:saved", saved);
}

/** The draft was signed: its editors reload the page, which now shows the signed version. */
export function draftClosed(opinionId: string) {
  holder.__tumorboardIo?.to(draftRoom(opinionId)).emit("draft:closed", { opinionId });
}
