/**
 * In-app and email notifications about board sessions. They carry no clinical
 * content: only the session's title, its start and a link to it.
 */
import { z } from "zod";

export const SESSION_NOTIFICATION_KINDS = ["sessionInvitation", "sessionAgendaChanged", "sessionStartingSoon", "sessionUpdated", "sessionCancelled", "sessionUninvited"] as const;
export type SessionNotificationKind = (typeof SESSION_NOTIFICATION_KINDS)[number];

export function isSessionNotificationKind(value: unknown): value is SessionNotificationKind {
  return typeof value === "string" && (SESSION_NOTIFICATION_KINDS as readonly string[]).includes(value);
}

export const NOTIFICATION_MESSAGE_KEYS: Record<SessionNotificationKind, string> = {
  sessionInvitation: "sessions:notifications.sessionInvitation",
  sessionAgendaChanged: "sessions:notifications.sessionAgendaChanged",
  sessionStartingSoon: "sessions:notifications.sessionStartingSoon",
  sessionUpdated: "sessions:notifications.sessionUpdated",
  sessionCancelled: "sessions:notifications.sessionCancelled",
  sessionUninvited: "sessions:notifications.sessionUninvited",
};

export const EMAIL_SUBJECT_KEYS: Record<SessionNotificationKind, string> = {
  sessionInvitation: "sessions:email.subject.sessionInvitation",
  sessionAgendaChanged: "sessions:email.subject.sessionAgendaChanged",
  sessionStartingSoon: "sessions:email.subject.sessionStartingSoon",
  sessionUpdated: "sessions:email.subject.sessionUpdated",
  sessionCancelled: "sessions:email.subject.sessionCancelled",
  sessionUninvited: "sessions:email.subject.sessionUninvited",
};

/** "Starting soon" goes out this long before the start. */
export const REMINDER_LEAD_MINUTES = 15;

export const NotificationParamsSchema = z.object({ title: z.string().max(200), startsAt: z.string().datetime() });
export type NotificationParams = z.infer<typeof NotificationParamsSchema>;

export function notificationParams(session: { title: string; startsAt: Date }): NotificationParams {
  return { title: session.title, startsAt: session.startsAt.toISOString() };
}

export function parseNotificationParams(json: string): NotificationParams | null {
  try {
    const parsed = NotificationParamsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const sessionPath = (sessionId: string) => `/sessions/${sessionId}`;

/** Sessions whose reminder is due: scheduled, starting within the lead time and not yet started. */
export function reminderWindow(now: Date): { from: Date; to: Date } {
  return { from: now, to: new Date(now.getTime() + REMINDER_LEAD_MINUTES * 60_000) };
}
