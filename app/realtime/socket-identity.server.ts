/** Who is behind a socket now (its session cookie read again, since access may have changed since the handshake), and the request facts an audit event records for it. */
import type { Socket } from "socket.io";
import type { Actor } from "~/features/identity/permissions";
import { isRole } from "~/features/identity/roles";
import { getDb } from "~/platform/db.server";
import { loadSession, readSessionToken } from "~/features/identity/session.server";

export async function socketActor(socket: Pick<Socket, "handshake">): Promise<Actor | null> {
  const token = await readSessionToken(socket.handshake.headers.cookie);
  const loaded = token ? await loadSession(getDb(), token) : null;
  if (!loaded || !isRole(loaded.user.role)) return null;
  return { id: loaded.user.id, role: loaded.user.role, institutionId: loaded.user.institutionId, active: loaded.user.active };
}

export function socketMeta(socket: Pick<Socket, "handshake">) {
  return { ip: socket.handshake.address ?? null, userAgent: socket.handshake.headers["user-agent"] ?? null, requestId: null };
}
