/**
 * Every kind of notification, in one registry: what it says, what its email
 * is titled, where it links and what it may carry. Board-session kinds carry
 * the session's title and start; opinion kinds carry nothing but a link to the
 * opinion page; live-only kinds are pushed to the open pages and never stored
 * or emailed. None ever carries clinical content. Pure.
 */
import { z } from "zod";

/** What a kind of notification is about, which decides its link, its params and its email's wording. */
export type NotificationTopic = "session" | "opinion" | "live";

type KindDefinition =
  | {
      topic: "session";
      messageKey: string;
      subjectKey: string;
      /** Linked from the in-app list (not once the user may no longer open the session). */ linkedInList: boolean;
    }
  | { topic: "opinion"; messageKey: string; subjectKey: string; linkedInList: true }
  | { topic: "live"; messageKey: string; subjectKey: null; linkedInList: false };

export const NOTIFICATION_KINDS = {
  sessionInvitation: {
    topic: "session",
    messageKey: "sessions:notifications.sessionInvitation",
    subjectKey: "sessions:email.subject.sessionInvitation",
    linkedInList: true,
  },
  sessionAgendaChanged: {
    topic: "session",
    messageKey: "sessions:notifications.sessionAgendaChanged",
    subjectKey: "sessions:email.subject.sessionAgendaChanged",
    linkedInList: true,
  },
  sessionStartingSoon: {
    topic: "session",
    messageKey: "sessions:notifications.sessionStartingSoon",
    subjectKey: "sessions:email.subject.sessionStartingSoon",
    linkedInList: true,
  },
  sessionUpdated: {
    topic: "session",
    messageKey: "sessions:notifications.sessionUpdated",
    subjectKey: "sessions:email.subject.sessionUpdated",
    linkedInList: true,
  },
  sessionCancelled: {
    topic: "session",
    messageKey: "sessions:notifications.sessionCancelled",
    subjectKey: "sessions:email.subject.sessionCancelled",
    linkedInList: true,
  },
  sessionUninvited: {
    topic: "session",
    messageKey: "sessions:notifications.sessionUninvited",
    subjectKey: "sessions:email.subject.sessionUninvited",
    linkedInList: false,
  },
  opinionSigned: {
    topic: "opinion",
    messageKey: "opinions:notifications.opinionSigned",
    subjectKey: "opinions:email.subject.opinionSigned",
    linkedInList: true,
  },
  opinionDelivered: {
    topic: "opinion",
    messageKey: "opinions:notifications.opinionDelivered",
    subjectKey: "opinions:email.subject.opinionDelivered",
    linkedInList: true,
  },
  followUpAsked: {
    topic: "opinion",
    messageKey: "opinions:notifications.followUpAsked",
    subjectKey: "opinions:email.subject.followUpAsked",
    linkedInList: true,
  },
  followUpAnswered: {
    topic: "opinion",
    messageKey: "opinions:notifications.followUpAnswered",
    subjectKey: "opinions:email.subject.followUpAnswered",
    linkedInList: true,
  },
  accountChanged: { topic: "live", messageKey: "common:realtime.accountChanged", subjectKey: null, linkedInList: false },
  info: { topic: "live", messageKey: "common:realtime.info", subjectKey: null, linkedInList: false },
} as const satisfies Record<string, KindDefinition>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
type KindsAbout<T extends NotificationTopic> = { [K in NotificationKind]: (typeof NOTIFICATION_KINDS)[K]["topic"] extends T ? K : never }[NotificationKind];
export type SessionNotificationKind = KindsAbout<"session">;
export type OpinionNotificationKind = KindsAbout<"opinion">;
export type LiveOnlyNotificationKind = KindsAbout<"live">;
/** The kinds stored for the in-app list and emailed. */
export type StoredNotificationKind = SessionNotificationKind | OpinionNotificationKind;

export const NOTIFICATION_KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as [NotificationKind, ...NotificationKind[]];

function isKindAbout<T extends NotificationTopic>(topic: T) {
  return (value: unknown): value is KindsAbout<T> =>
    typeof value === "string" && Object.hasOwn(NOTIFICATION_KINDS, value) && NOTIFICATION_KINDS[value as NotificationKind].topic === topic;
}
export const isSessionNotificationKind = isKindAbout("session");
export const isOpinionNotificationKind = isKindAbout("opinion");

/** The closing lines of each topic's emails: the link, and why the message came. */
export const EMAIL_LINES: Record<Exclude<NotificationTopic, "live">, { linkKey: string; footerKey: string }> = {
  session: { linkKey: "sessions:email.link", footerKey: "sessions:email.footer" },
  opinion: { linkKey: "opinions:email.link", footerKey: "opinions:email.footer" },
};

export const sessionPath = (sessionId: string) => `/sessions/${sessionId}`;
export const opinionPath = (caseId: string) => `/cases/${caseId}/opinion`;

/** Where a stored notification links: its session, or its case's opinion page. */
export function notificationPath(about: { sessionId: string | null; caseId: string | null }): string | null {
  if (about.sessionId) return sessionPath(about.sessionId);
  if (about.caseId) return opinionPath(about.caseId);
  return null;
}

/** The params a session notification carries: the title and start its message names. Opinion notifications carry none. */
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

/** A notification as pushed to a user's socket room; its kind is one of the registry's. */
export const NotificationSchema = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KIND_NAMES),
  messageKey: z.string(),
  createdAt: z.string(),
  /** Session notifications: the title and start (ISO) the message names; never clinical content. */
  params: z.object({ title: z.string(), startsAt: z.string() }).optional(),
  href: z.string().optional(),
});
export type LiveNotification = z.infer<typeof NotificationSchema>;

/** "Starting soon" goes out this long before the start. */
export const REMINDER_LEAD_MINUTES = 15;

/** Sessions whose reminder is due: scheduled, starting within the lead time and not yet started. */
export function reminderWindow(now: Date): { from: Date; to: Date } {
  return { from: now, to: new Date(now.getTime() + REMINDER_LEAD_MINUTES * 60_000) };
}
