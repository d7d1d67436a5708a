/**
 * Every kind of notification, in one registry: what it says, what its email
 * is titled, where it links and what it may carry. Board-session kinds carry
 * the session's title and start; case and opinion kinds carry the case's
 * pseudonymous code (and a return carries its reason, shown in the app only)
 * and link to the case or its opinion page; live-only kinds are pushed to the
 * open pages and never stored or emailed. None ever carries clinical content. Pure.
 */
import { z } from "zod";
import { formatStartOnClocks } from "~/ui/format";
import { TEXT_LANGUAGES } from "~/features/translation/translated-text";

/** What a kind of notification is about, which decides its link, its params and its email's wording. */
export type NotificationTopic = "session" | "case" | "opinion" | "live";

type KindDefinition =
  | {
      topic: "session";
      messageKey: string;
      subjectKey: string;
      /** Linked from the in-app list (not once the user may no longer open the session). */ linkedInList: boolean;
    }
  | {
      topic: "case";
      messageKey: string;
      subjectKey: string;
      linkedInList: true;
      /** A line the email adds (a return says where its reason is, since free text is never emailed). */ emailNoteKey?: string;
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
  caseSubmitted: {
    topic: "case",
    messageKey: "cases:notifications.caseSubmitted",
    subjectKey: "cases:email.subject.caseSubmitted",
    linkedInList: true,
  },
  caseReturned: {
    topic: "case",
    messageKey: "cases:notifications.caseReturned",
    subjectKey: "cases:email.subject.caseReturned",
    linkedInList: true,
    emailNoteKey: "cases:email.reasonInApp",
  },
  caseAssigned: {
    topic: "case",
    messageKey: "cases:notifications.caseAssigned",
    subjectKey: "cases:email.subject.caseAssigned",
    linkedInList: true,
  },
  caseDueSoon: {
    topic: "case",
    messageKey: "cases:notifications.caseDueSoon",
    subjectKey: "cases:email.subject.caseDueSoon",
    linkedInList: true,
  },
  caseOverdue: {
    topic: "case",
    messageKey: "cases:notifications.caseOverdue",
    subjectKey: "cases:email.subject.caseOverdue",
    linkedInList: true,
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
  opinionAcknowledged: {
    topic: "opinion",
    messageKey: "opinions:notifications.opinionAcknowledged",
    subjectKey: "opinions:email.subject.opinionAcknowledged",
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
export type CaseStepNotificationKind = KindsAbout<"case">;
export type OpinionNotificationKind = KindsAbout<"opinion">;
/** The kinds about one case (its steps and its opinion): they carry its code and link to it. */
export type CaseNotificationKind = CaseStepNotificationKind | OpinionNotificationKind;
export type LiveOnlyNotificationKind = KindsAbout<"live">;
/** The kinds stored for the in-app list and emailed. */
export type StoredNotificationKind = SessionNotificationKind | CaseNotificationKind;

export const NOTIFICATION_KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as [NotificationKind, ...NotificationKind[]];

function isKindAbout<T extends NotificationTopic>(topic: T) {
  return (value: unknown): value is KindsAbout<T> =>
    typeof value === "string" && Object.hasOwn(NOTIFICATION_KINDS, value) && NOTIFICATION_KINDS[value as NotificationKind].topic === topic;
}
export const isSessionNotificationKind = isKindAbout("session");
export const isOpinionNotificationKind = isKindAbout("opinion");
export const isCaseNotificationKind = (value: unknown): value is CaseNotificationKind => isKindAbout("case")(value) || isOpinionNotificationKind(value);
export const isStoredNotificationKind = (value: unknown): value is StoredNotificationKind => isSessionNotificationKind(value) || isCaseNotificationKind(value);
/** The kinds a user may choose to receive by email (every stored kind; the in-app list always has them). */
export const EMAILED_KIND_NAMES = NOTIFICATION_KIND_NAMES.filter(isStoredNotificationKind) as [StoredNotificationKind, ...StoredNotificationKind[]];
/** Each emailed kind's name on the settings form. */
export const kindLabelKey = (kind: StoredNotificationKind) => `common:notifications.kinds.${kind}`;

/** The closing lines of each topic's emails: the link, and why the message came. */
export const EMAIL_LINES: Record<Exclude<NotificationTopic, "live">, { linkKey: string; footerKey: string }> = {
  session: { linkKey: "sessions:email.link", footerKey: "sessions:email.footer" },
  case: { linkKey: "opinions:email.link", footerKey: "opinions:email.footer" },
  opinion: { linkKey: "opinions:email.link", footerKey: "opinions:email.footer" },
};

export const sessionPath = (sessionId: string) => `/sessions/${sessionId}`;
export const opinionPath = (caseId: string) => `/cases/${caseId}/opinion`;
export const casePath = (caseId: string) => `/cases/${caseId}`;

/** Where a stored notification links: its session, its case, or its case's opinion page. */
export function notificationPath(about: { kind: StoredNotificationKind; sessionId: string | null; caseId: string | null }): string | null {
  if (about.sessionId) return sessionPath(about.sessionId);
  if (!about.caseId) return null;
  return NOTIFICATION_KINDS[about.kind].topic === "case" ? casePath(about.caseId) : opinionPath(about.caseId);
}

/** The params a session notification carries: the title and start its message names. */
export const NotificationParamsSchema = z.object({ title: z.string().max(200), startsAt: z.string().datetime() });
export type NotificationParams = z.infer<typeof NotificationParamsSchema>;

/**
 * The params a case or opinion notification carries: the case's pseudonymous
 * code, and for a return the coordinator's reason with its language (shown in
 * the app, never emailed).
 */
export const CaseNotificationParamsSchema = z.object({
  code: z.string().max(40),
  reason: z.string().max(2000).optional(),
  reasonLanguage: z.enum(TEXT_LANGUAGES).optional(),
});
export type CaseNotificationParams = z.infer<typeof CaseNotificationParamsSchema>;

export function notificationParams(session: { title: string; startsAt: Date }): NotificationParams {
  return { title: session.title, startsAt: session.startsAt.toISOString() };
}

function parsedWith<T>(schema: z.ZodType<T>, json: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const parseNotificationParams = (json: string) => parsedWith(NotificationParamsSchema, json);
export const parseCaseNotificationParams = (json: string) => parsedWith(CaseNotificationParamsSchema, json);

/** A notification as pushed to a user's socket room; its kind is one of the registry's. */
export const NotificationSchema = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KIND_NAMES),
  messageKey: z.string(),
  createdAt: z.string(),
  /** Session notifications: the title and start (ISO) the message names; never clinical content. */
  params: z.object({ title: z.string(), startsAt: z.string() }).optional(),
  /** Case and opinion notifications: the case's code (and a return's reason). */
  caseParams: CaseNotificationParamsSchema.optional(),
  href: z.string().optional(),
});
export type LiveNotification = z.infer<typeof NotificationSchema>;

/** A notification's sentence in the reader's language: a session's title and start on the given clocks, or a case's code. */
export function notificationMessage(
  t: (key: string, values?: Record<string, string>) => string,
  n: { messageKey: string; params?: NotificationParams | null; caseParams?: CaseNotificationParams | null },
  clocks: { language: string; zones: readonly string[] },
): string {
  if (n.params) return t(n.messageKey, { title: n.params.title, time: formatStartOnClocks(t, n.params.startsAt, clocks.language, clocks.zones) });
  if (n.caseParams) return t(n.messageKey, { code: n.caseParams.code });
  return t(n.messageKey);
}

/** "Starting soon" goes out this long before the start. */
export const REMINDER_LEAD_MINUTES = 15;

/** Sessions whose reminder is due: scheduled, starting within the lead time and not yet started. */
export function reminderWindow(now: Date): { from: Date; to: Date } {
  return { from: now, to: new Date(now.getTime() + REMINDER_LEAD_MINUTES * 60_000) };
}
