/**
 * Socket.IO event names and payloads, shared by the browser and the server.
 * Every payload a client sends is validated on the server with these schemas.
 */
import { z } from "zod";
import type { LiveNotification } from "~/features/notifications/notifications";

/** The live notification's shape, its kinds derived from the notification registry. */
export { NotificationSchema, type LiveNotification } from "~/features/notifications/notifications";

export const PingSchema = z.object({ sentAt: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) });

export type ServerToClientEvents = {
  notification: (notification: LiveNotification) => void;
};

export type ClientToServerEvents = {
  ping: (payload: z.infer<typeof PingSchema>, ack: (reply: { ok: true; serverTime: number } | { ok: false; error: string }) => void) => void;
};

/** Connection errors the server can give at the handshake (sent as Error.message). */
export const HANDSHAKE_ERRORS = { unauthorized: "unauthorized" } as const;

export const userRoom = (userId: string) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
