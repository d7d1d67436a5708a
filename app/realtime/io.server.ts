/**
 * The Socket.IO transport's handle on the running server, for code outside the
 * socket handlers: what every socket carries, a feature's typed view of the
 * server and its sockets, the user's live notifications, and ending the
 * connections of a session that logged out or was revoked.
 */
import type { DefaultEventsMap, Server, Socket } from "socket.io";
import type { ClientToServerEvents, LiveNotification, ServerToClientEvents } from "./contracts";
import { sessionRoom, userRoom } from "./contracts";

/** What the handshake puts on every socket. Each feature may keep its own state beside it, under its own key (see `realtimeFeature`). */
export type SocketData = { userId: string; role: string; sessionId: string };

/** The server and a socket as a feature sees them: its own events, and its own socket data beside the transport's. */
export type FeatureServer<Listen extends DefaultEventsMap, Emit extends DefaultEventsMap, Data extends object = object> = Server<
  Listen,
  Emit,
  DefaultEventsMap,
  SocketData & Data
>;
export type FeatureSocket<Listen extends DefaultEventsMap, Emit extends DefaultEventsMap, Data extends object = object> = Socket<
  Listen,
  Emit,
  DefaultEventsMap,
  SocketData & Data
>;

export type IoServer = FeatureServer<ClientToServerEvents, ServerToClientEvents>;
export type IoSocket = FeatureSocket<ClientToServerEvents, ServerToClientEvents>;

/** What a feature contributes to every connection: its event handlers on the socket. */
export type RealtimeFeature = (io: IoServer, socket: IoSocket) => void;

/** A feature's socket handlers, typed with its own events and socket data. */
export function realtimeFeature<Listen extends DefaultEventsMap, Emit extends DefaultEventsMap, Data extends object = object>(
  register: (io: FeatureServer<Listen, Emit, Data>, socket: FeatureSocket<Listen, Emit, Data>) => void,
): RealtimeFeature {
  return register as unknown as RealtimeFeature;
}

// On globalThis: server.ts creates the server, route modules (in another module graph) use it.
const holder = globalThis as typeof globalThis & { __tumorboardIo?: IoServer };

export function setIo(io: IoServer | undefined) {
  holder.__tumorboardIo = io;
}

/** The running server, typed with the events a feature emits; undefined when none runs (scripts, tests without sockets). */
export function getIo<Emit extends DefaultEventsMap, Data extends object = object>(): FeatureServer<DefaultEventsMap, Emit, Data> | undefined {
  return holder.__tumorboardIo as unknown as FeatureServer<DefaultEventsMap, Emit, Data> | undefined;
}

export function notifyUser(userId: string, notification: LiveNotification) {
  holder.__tumorboardIo?.to(userRoom(userId)).emit("notification", notification);
}

/** Ends the live connections of logged-out or revoked sessions at once. */
export function disconnectSessions(sessionIds: string[]) {
  const io = holder.__tumorboardIo;
  if (!io || sessionIds.length === 0) return;
  io.in(sessionIds.map(sessionRoom)).disconnectSockets(true);
}
