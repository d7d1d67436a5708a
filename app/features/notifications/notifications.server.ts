/**
 * Session notifications: stored for the in-app list, pushed to the user's
 * socket room, and emailed when SMTP is configured. Only the session's title,
 * its start and a link travel; never anything clinical.
 */
import { counterpartZone } from "~/features/boards/board-schedule";
import { EMAIL_SUBJECT_KEYS, NOTIFICATION_MESSAGE_KEYS, parseNotificationParams, sessionPath, type SessionNotificationKind } from "~/features/notifications/notifications";
import { i18nServer } from "~/i18n/i18n.server";
import { storeSessionNotifications, type StoredNotification } from "~/features/notifications/notification-store.server";
import type { LiveNotification } from "~/realtime/contracts";
import { notifyUser } from "~/realtime/io.server";
import type { Db } from "~/platform/db.server";
import { env, type RawEnv } from "~/platform/env.server";
import { formatStartOnClocks } from "~/ui/format";
import { log } from "~/platform/logger.server";
import { sendMail, type OutgoingMail } from "~/platform/mail.server";

export function liveNotification(row: StoredNotification): LiveNotification {
  const params = parseNotificationParams(row.params);
  return {
    id: row.id,
    kind: row.kind,
    messageKey: NOTIFICATION_MESSAGE_KEYS[row.kind],
    createdAt: row.createdAt.toISOString(),
    ...(params ? { params } : {}),
    href: sessionPath(row.sessionId),
  };
}

/** Where links in emails point: PUBLIC_URL, else this server on localhost. */
export function publicUrl(source?: RawEnv): string {
  return (env("PUBLIC_URL", source) ?? `http://localhost:${env("PORT", source)}`).replace(/\/+$/, "");
}

async function emailsFor(db: Db, rows: readonly StoredNotification[]): Promise<OutgoingMail[]> {
  const users = await db.user.findMany({ where: { id: { in: rows.map((r) => r.userId) }, active: true }, select: { id: true, email: true, preferredLocale: true, timeZone: true } });
  const byId = new Map(users.map((u) => [u.id, u]));
  const sessions = await db.boardSession.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.sessionId))] } }, select: { id: true, chair: { select: { timeZone: true } } } });
  const chairZone = new Map(sessions.map((s) => [s.id, s.chair.timeZone]));
  const mails: OutgoingMail[] = [];
  for (const row of rows) {
    const user = byId.get(row.userId);
    const params = parseNotificationParams(row.params);
    if (!user || !params) continue;
    const t = await i18nServer.getFixedT(user.preferredLocale);
    const other = counterpartZone(user.timeZone, [chairZone.get(row.sessionId) ?? "UTC"]);
    const time = formatStartOnClocks(t, params.startsAt, user.preferredLocale, other ? [user.timeZone, other] : [user.timeZone]);
    mails.push({
      to: user.email,
      subject: t(EMAIL_SUBJECT_KEYS[row.kind], { title: params.title }),
      text: [t(NOTIFICATION_MESSAGE_KEYS[row.kind], { title: params.title, time }), "", t("sessions:email.link", { url: publicUrl() + sessionPath(row.sessionId) }), "", t("sessions:email.footer")].join("\n"),
    });
  }
  return mails;
}

const pendingEmails = new Set<Promise<unknown>>();

/** Pushes stored notifications to their users' sockets now and emails them in the background. */
export function deliverNotifications(db: Db, rows: readonly StoredNotification[]): void {
  if (rows.length === 0) return;
  for (const row of rows) notifyUser(row.userId, liveNotification(row));
  const context = { kind: rows[0].kind, sessionId: rows[0].sessionId };
  trackEmails(
    emailsFor(db, rows)
      .then((mails) => sendMail(mails, context))
      .catch((error) => log("error", "notification emails failed", { ...context, error: error instanceof Error ? error.message : String(error) })),
  );
}

/** Keeps a background send in view until it settles, so shutdown and tests can wait for it. */
export function trackEmails(sending: Promise<unknown>): void {
  const tracked = sending.finally(() => pendingEmails.delete(tracked));
  pendingEmails.add(tracked);
}

/** Resolves once every email queued so far has been handed to the mail server (or failed). */
export async function emailsSettled(): Promise<void> {
  await Promise.all([...pendingEmails]);
}

export async function notifySession(
  db: Db,
  input: { userIds: readonly string[]; kind: SessionNotificationKind; session: { id: string; title: string; startsAt: Date }; unlessUnread?: readonly SessionNotificationKind[] },
): Promise<StoredNotification[]> {
  const rows = await storeSessionNotifications(db, input);
  deliverNotifications(db, rows);
  return rows;
}
