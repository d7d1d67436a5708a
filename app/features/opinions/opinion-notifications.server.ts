/**
 * Opinion notifications: stored for the in-app list, pushed to each user's
 * socket room, and emailed when SMTP is configured. They carry a message and a
 * link only.
 */
import { OPINION_EMAIL_SUBJECT_KEYS, OPINION_NOTIFICATION_MESSAGE_KEYS, opinionPath, type OpinionNotificationKind } from "~/features/opinions/opinion-notifications";
import { i18nServer } from "~/i18n/i18n.server";
import { notifyUser } from "~/realtime/io.server";
import type { Db } from "~/platform/db.server";
import { log } from "~/platform/logger.server";
import { sendMail, type OutgoingMail } from "~/platform/mail.server";
import { publicUrl, trackEmails } from "~/features/notifications/notifications.server";

export async function notifyOpinion(db: Db, input: { userIds: readonly string[]; kind: OpinionNotificationKind; caseId: string }): Promise<void> {
  const users = await db.user.findMany({ where: { id: { in: [...new Set(input.userIds)] }, active: true }, select: { id: true, email: true, preferredLocale: true } });
  if (users.length === 0) return;
  const rows = await db.notification.createManyAndReturn({
    data: users.map((u) => ({ userId: u.id, kind: input.kind, caseId: input.caseId })),
    select: { id: true, userId: true, createdAt: true },
  });
  const href = opinionPath(input.caseId);
  for (const row of rows) notifyUser(row.userId, { id: row.id, kind: input.kind, messageKey: OPINION_NOTIFICATION_MESSAGE_KEYS[input.kind], createdAt: row.createdAt.toISOString(), href });
  const mails: OutgoingMail[] = [];
  for (const user of users) {
    const t = await i18nServer.getFixedT(user.preferredLocale);
    mails.push({
      to: user.email,
      subject: t(OPINION_EMAIL_SUBJECT_KEYS[input.kind]),
      text: [t(OPINION_NOTIFICATION_MESSAGE_KEYS[input.kind]), "", t("opinions:email.link", { url: publicUrl() + href }), "", t("opinions:email.footer")].join("\n"),
    });
  }
  const context = { kind: input.kind, caseId: input.caseId };
  trackEmails(sendMail(mails, context).catch((error) => log("error", "notification emails failed", { ...context, error: error instanceof Error ? error.message : String(error) })));
}
