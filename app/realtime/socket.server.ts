/** Socket.IO on the HTTP server: the session handshake, user and session rooms, and each feature's handlers. */
import { Server, type ServerOptions, type Socket } from "socket.io";
import { log } from "~/platform/logger.server";
import type { Server as HttpServer } from "node:http";
import { can } from "~/features/identity/permissions";
import { sameHost } from "~/platform/same-origin";
import { isRole } from "~/features/identity/roles";
import { recordRefusal } from "~/features/audit/audit-refusals.server";
import { getDb } from "~/platform/db.server";
import { loadSession, readSessionToken } from "~/features/identity/session.server";
import { HANDSHAKE_ERRORS, PingSchema, sessionRoom, userRoom } from "./contracts";
import { socketMeta } from "./socket-identity.server";
import { setIo, type IoServer, type RealtimeFeature } from "./io.server";

const MAX_PAYLOAD_BYTES = 64 * 1024;

export type RealtimeOptions = {
  /** Rooms across server processes (the Redis adapter); without it, one process with connection state recovery. */
  adapter?: ServerOptions["adapter"];
  /** Each feature's socket handlers, registered on every connection in this order. */
  features?: readonly RealtimeFeature[];
};

/**
 * Attaches Socket.IO to the HTTP server. The handshake accepts only a valid
 * session cookie; each socket joins its user's private room and its session's
 * room (so logout can disconnect it), and gets every feature's handlers.
 */
/** A handler's failure, answered to its acknowledgement when it asked for one. */
export const INTERNAL_ERROR = { ok: false, error: "internalError" } as const;

/**
 * Every handler any feature registers on the socket is run guarded: an error it throws, or a promise it returns that
 * rejects, is logged and answered `internalError` (when the client asked for an acknowledgement), and never reaches
 * the process. One home for the rule, so a feature added later cannot forget it.
 */
function guardHandlers(socket: Socket) {
  const on = socket.on.bind(socket) as (event: string, listener: (...args: unknown[]) => unknown) => Socket;
  (socket as { on: unknown }).on = (event: string, listener: (...args: unknown[]) => unknown) =>
    on(event, (...args: unknown[]) => {
      const ack = args.at(-1);
      const fail = (error: unknown) => {
        log("error", "socket handler failed", { event, userId: socket.data?.userId, error: String(error) });
        if (typeof ack === "function") {
          try {
            ack(INTERNAL_ERROR);
          } catch {
            // the client has gone; nothing to answer
          }
        }
      };
      try {
        const result = listener(...args);
        if (result instanceof Promise) result.catch(fail);
      } catch (error) {
        fail(error);
      }
    });
}

export function attachRealtime(httpServer: HttpServer, { adapter, features = [] }: RealtimeOptions = {}): IoServer {
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_PAYLOAD_BYTES,
    // Short gaps on one process replay missed packets; anything longer (or across processes) is replayed from the database by sequence number.
    ...(adapter ? { adapter } : { connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false } }),
    serveClient: false,
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(null, !origin || sameHost(origin, req.headers.host));
    },
  });

  io.use(async (socket, next) => {
    try {
      const token = await readSessionToken(socket.handshake.headers.cookie);
      const loaded = token ? await loadSession(getDb(), token) : null;
      if (!loaded || !isRole(loaded.user.role)) {
        await recordRefusal(getDb(), {
          actor: null,
          action: "socket.connect",
          outcome: "denied",
          details: { reason: "noSession" },
          meta: socketMeta(socket),
        });
        return next(new Error(HANDSHAKE_ERRORS.unauthorized));
      }
      socket.data = { ...socket.data, userId: loaded.user.id, role: loaded.user.role, sessionId: loaded.sessionId };
      next();
    } catch (error) {
      next(error instanceof Error ? error : new Error(String(error)));
    }
  });

  io.on("connection", (socket) => {
    guardHandlers(socket);
    for (const register of features) register(io, socket);
    const { userId, role, sessionId } = socket.data;
    socket.join(sessionRoom(sessionId));
    if (isRole(role) && can({ id: userId, role, institutionId: null, active: true }, "notifications.receive")) {
      socket.join(userRoom(userId));
    }
    socket.on("ping", (payload, ack) => {
      if (typeof ack !== "function") return;
      const parsed = PingSchema.safeParse(payload);
      ack(parsed.success ? { ok: true, serverTime: Date.now() } : { ok: false, error: "invalidPayload" });
    });
  });

  setIo(io);
  return io;
}
