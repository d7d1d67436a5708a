/**
 * The one notification pipeline: a notification is stored for the in-app
 * list, pushed to each user's socket room, and emailed when SMTP is
 * configured, all as its kind in the registry says. Only a session's title,
 * its start and a link travel; never anything clinical.
 */
import { counterpartZone } from "~/features/boards/board-schedule";
import { randomUUID } from "node:crypto";
import {
  EMAIL_LINES,
  NOTIFICATION_KINDS,
  notificationPath,
  parseNotificationParams,
  type LiveNotification,
  type LiveOnlyNotificationKind,
} from "~/features/notifications/notifications";
import {
  storeNotifications,
  type NotificationRequest,
  type OpinionNotificationRequest,
  type SessionNotificationRequest,
  type StoredNotification,
} from "~/features/notifications/notification-store.server";
import { i18nServer } from "~/i18n/i18n.server";
import { notifyUser } from "~/realtime/io.server";
import type { Db } from "~/platform/db.server";
import { env, type RawEnv } from "~/platform/env.server";
import { formatStartOnClocks } from "~/ui/format";
import { log } from "~/platform/logger.server";
import { sendMail, type OutgoingMail } from "~/platform/mail.server";

/** Stores the notifications, pushes them live and emails them; returns the rows stored. */
export async function notify(db: Db, request: NotificationRequest): Promise<StoredNotification[]> {
  const rows = await storeNotifications(db, request);
  deliverNotifications(db, rows);
  return rows;
}

/** Notifies about a board session (the boards feature's entry into the pipeline). */
export function notifySession(db: Db, request: SessionNotificationRequest): Promise<StoredNotification[]> {
  return notify(db, request);
}

/** Notifies about a case's opinion; only active accounts are notified. */
export async function notifyOpinion(db: Db, request: OpinionNotificationRequest): Promise<void> {
  const active = await db.user.findMany({ where: { id: { in: [...new Set(request.userIds)] }, active: true }, select: { id: true } });
  await notify(db, { ...request, userIds: active.map((u) => u.id) });
}

/** A live-only notice (a kind the registry neither stores nor emails) to the user's open pages. */
export function notifyLive(userId: string, kind: LiveOnlyNotificationKind): void {
  notifyUser(userId, { id: randomUUID(), kind, messageKey: NOTIFICATION_KINDS[kind].messageKey, createdAt: new Date().toISOString() });
}

export function liveNotification(row: StoredNotification): LiveNotification {
  const kind = NOTIFICATION_KINDS[row.kind];
  const params = kind.topic === "session" ? parseNotificationParams(row.params) : null;
  const href = notificationPath(row);
  return {
    id: row.id,
    kind: row.kind,
    messageKey: kind.messageKey,
    createdAt: row.createdAt.toISOString(),
    ...(params ? { params } : {}),
    ...(href ? { href } : {}),
  };
}

/** Where links in emails point: PUBLIC_URL, else this server on localhost. */
export function publicUrl(source?: RawEnv): string {
  return (env("PUBLIC_URL", source) ?? `http://localhost:${env("PORT", source)}`).replace(/\/+$/, "");
}

/** Each session's chair's time zone: session times are also shown on the chair's clock. */
export async function chairZones(db: Db, sessionIds: readonly string[]): Promise<Map<string, string>> {
  if (sessionIds.length === 0) return new Map();
  const sessions = await db.boardSession.findMany({
    where: { id: { in: [...new Set(sessionIds)] } },
    select: { id: true, chair: { select: { timeZone: true } } },
  });
  return new Map(sessions.map((s) => [s.id, s.chair.timeZone]));
}

async function emailsFor(db: Db, rows: readonly StoredNotification[]): Promise<OutgoingMail[]> {
  const users = await db.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.userId))] }, active: true },
    select: { id: true, email: true, preferredLocale: true, timeZone: true },
  });
  const byId = new Map(users.map((u) => [u.id, u]));
  const chairZone = await chairZones(
    db,
    rows.flatMap((r) => (r.sessionId ? [r.sessionId] : [])),
  );
  const mails: OutgoingMail[] = [];
  for (const row of rows) {
    const user = byId.get(row.userId);
    const href = notificationPath(row);
    if (!user || !href) continue;
    const kind = NOTIFICATION_KINDS[row.kind];
    const t = await i18nServer.getFixedT(user.preferredLocale);
    let values: { title: string; time: string } | undefined;
    if (kind.topic === "session") {
      const params = parseNotificationParams(row.params);
      if (!params) continue;
      const other = counterpartZone(user.timeZone, [chairZone.get(row.sessionId ?? "") ?? "UTC"]);
      values = { title: params.title, time: formatStartOnClocks(t, params.startsAt, user.preferredLocale, other ? [user.timeZone, other] : [user.timeZone]) };
    }
    const lines = EMAIL_LINES[kind.topic];
    mails.push({
      to: user.email,
      subject: t(kind.subjectKey, values),
      text: [t(kind.messageKey, values), "", t(lines.linkKey, { url: publicUrl() + href }), "", t(lines.footerKey)].join("\n"),
    });
  }
  return mails;
}

const pendingEmails = new Set<Promise<unknown>>();

/** Pushes stored notifications to their users' sockets now and emails them in the background. */
export function deliverNotifications(db: Db, rows: readonly StoredNotification[]): void {
  if (rows.length === 0) return;
  for (const row of rows) notifyUser(row.userId, liveNotification(row));
  const [first] = rows;
  const context = first.sessionId ? { kind: first.kind, sessionId: first.sessionId } : { kind: first.kind, caseId: first.caseId };
  trackEmails(
    emailsFor(db, rows)
      .then((mails) => sendMail(mails, context))
      .catch((error) => log("error", "notification emails failed", { ...context, error: error instanceof Error ? error.message : String(error) })),
  );
}

/** Keeps a background send in view until it settles, so shutdown and tests can wait for it. */
function trackEmails(sending: Promise<unknown>): void {
  const tracked = sending.finally(() => pendingEmails.delete(tracked));
  pendingEmails.add(tracked);
}

/** Resolves once every email queued so far has been handed to the mail server (or failed). */
export async function emailsSettled(): Promise<void> {
  await Promise.all([...pendingEmails]);
}
