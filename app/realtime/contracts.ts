/**
 * Socket.IO event names and payloads, shared by the browser and the server.
 * Every payload a client sends is validated on the server with these schemas.
 */
import { z } from "zod";

export const NotificationSchema = z.object({
  id: z.string(),
  kind: z.enum(["info", "accountChanged", "sessionInvitation", "sessionAgendaChanged", "sessionStartingSoon", "sessionUpdated", "sessionCancelled", "sessionUninvited", "opinionSigned", "opinionDelivered", "followUpAsked", "followUpAnswered"]),
  messageKey: z.string(),
  createdAt: z.string(),
  /** Session notifications: the title and start (ISO) the message names; never clinical content. */
  params: z.object({ title: z.string(), startsAt: z.string() }).optional(),
  href: z.string().optional(),
});
export type LiveNotification = z.infer<typeof NotificationSchema>;

export const PingSchema = z.object({ sentAt: z.number().int().nonnegative() });

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
