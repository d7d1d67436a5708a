/**
 * Notifications about a case's opinion: only a message and a link to the
 * opinion page, never its content, the case's diagnosis or its code.
 */
export const OPINION_NOTIFICATION_KINDS = ["opinionSigned", "opinionDelivered", "followUpAsked", "followUpAnswered"] as const;
export type OpinionNotificationKind = (typeof OPINION_NOTIFICATION_KINDS)[number];

export function isOpinionNotificationKind(value: unknown): value is OpinionNotificationKind {
  return typeof value === "string" && (OPINION_NOTIFICATION_KINDS as readonly string[]).includes(value);
}

export const OPINION_NOTIFICATION_MESSAGE_KEYS: Record<OpinionNotificationKind, string> = {
  opinionSigned: "opinions:notifications.opinionSigned",
  opinionDelivered: "opinions:notifications.opinionDelivered",
  followUpAsked: "opinions:notifications.followUpAsked",
  followUpAnswered: "opinions:notifications.followUpAnswered",
};

export const OPINION_EMAIL_SUBJECT_KEYS: Record<OpinionNotificationKind, string> = {
  opinionSigned: "opinions:email.subject.opinionSigned",
  opinionDelivered: "opinions:email.subject.opinionDelivered",
  followUpAsked: "opinions:email.subject.followUpAsked",
  followUpAnswered: "opinions:email.subject.followUpAnswered",
};

export const opinionPath = (caseId: string) => `/cases/${caseId}/opinion`;
