import { Server, type ServerOptions } from "socket.io";
import type { Server as HttpServer } from "node:http";
import { can } from "~/features/identity/permissions";
import { sameHost } from "~/platform/same-origin";
import { isRole } from "~/features/identity/roles";
import { recordAudit } from "~/features/audit/audit.server";
import { getDb } from "~/platform/db.server";
import { loadSession, readSessionToken } from "~/features/identity/session.server";
import { canViewCase } from "~/features/cases/case-access";
import { getCaseFacts } from "~/features/cases/case-store.server";
import { caseRoom, HANDSHAKE_ERRORS, PingSchema, sessionRoom, userRoom, WatchCaseSchema } from "./contracts";
import { registerBoardRoom } from "~/features/boards/room/board-room.server";
import { registerDraftPresence } from "~/features/opinions/draft-presence.server";
import { socketActor, socketMeta } from "./socket-identity.server";
import { setIo, type IoServer } from "./io.server";

const MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * Attaches Socket.IO to the HTTP server. The handshake accepts only a valid
 * session cookie; each socket joins its user's private room and its session's
 * room (so logout can disconnect it).
 */
export function attachRealtime(httpServer: HttpServer, adapter?: ServerOptions["adapter"]): IoServer {
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
        await recordAudit(getDb(), {
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
    registerBoardRoom(io, socket);
    registerDraftPresence(io, socket);
    const { userId, role, sessionId } = socket.data;
    socket.join(sessionRoom(sessionId));
    if (isRole(role) && can({ id: userId, role, institutionId: null, active: true }, "notifications.receive")) {
      socket.join(userRoom(userId));
    }
    socket.on("case:watch", async (payload, ack) => {
      if (typeof ack !== "function") return;
      const parsed = WatchCaseSchema.safeParse(payload);
      if (!parsed.success) return ack({ ok: false });
      const [actor, facts] = await Promise.all([socketActor(socket), getCaseFacts(getDb(), parsed.data.caseId)]);
      if (!actor || !facts || !canViewCase(actor, facts)) {
        await recordAudit(getDb(), {
          actor: actor ? { id: actor.id, role: actor.role } : null,
          action: "socket.watchCase",
          outcome: "denied",
          entityType: "Case",
          entityId: parsed.data.caseId,
          meta: socketMeta(socket),
        });
        return ack({ ok: false });
      }
      await socket.join(caseRoom(facts.id));
      ack({ ok: true });
    });
    socket.on("ping", (payload, ack) => {
      if (typeof ack !== "function") return;
      const parsed = PingSchema.safeParse(payload);
      ack(parsed.success ? { ok: true, serverTime: Date.now() } : { ok: false, error: "invalidPayload" });
    });
  });

  setIo(io);
  return io;
}
