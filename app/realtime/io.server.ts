import type { Server } from "socket.io";
import type { ClientToServerEvents, LiveCaseComment, LiveNotification, ServerToClientEvents } from "./contracts";
import { caseRoom, sessionRoom, userRoom } from "./contracts";

export type SocketData = { userId: string; role: string; sessionId: string };
export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

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
