/**
 * The one notification pipeline: a notification is stored for the in-app
 * list, pushed to each user's socket room, and emailed when SMTP is
 * configured, all as its kind in the registry says. Only a session's title and
 * start, a case's code and a link travel by email; never anything clinical.
 */
import { counterpartZone } from "~/features/boards/board-schedule";
import { randomUUID } from "node:crypto";
import type { CaseFacts } from "~/features/cases/case-access";
import { isRole } from "~/features/identity/roles";
import { textLanguage } from "~/i18n/locales";
import { caseAudience } from "~/features/notifications/notification-audience";
import {
  EMAIL_LINES,
  NOTIFICATION_KINDS,
  notificationMessage,
  notificationPath,
  parseCaseNotificationParams,
  parseNotificationParams,
  type CaseNotificationKind,
  type LiveNotification,
  type LiveOnlyNotificationKind,
} from "~/features/notifications/notifications";
import {
  rowsToEmail,
  storeNotifications,
  type CaseNotificationRequest,
  type NotificationRequest,
  type SessionNotificationRequest,
  type StoredNotification,
} from "~/features/notifications/notification-store.server";
import { i18nServer } from "~/i18n/i18n.server";
import { notifyUser } from "~/realtime/io.server";
import type { Db } from "~/platform/db.server";
import { env, type RawEnv } from "~/platform/env.server";
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

/** A step about a case: its kind, the case's facts once the step is taken, and for a return its reason. */
export type CaseNotice = {
  kind: CaseNotificationKind;
  facts: CaseFacts & { id: string; code: string };
  /** The only accounts that may hear of it (the recipients of a delivery, the asker of a question); by default every active account. */
  candidateIds?: readonly string[];
  reason?: string;
};

/** The request for a case notice: the active accounts among the candidates whom the kind's audience rule names. */
export async function caseNotificationRequest(db: Pick<Db, "user">, notice: CaseNotice): Promise<CaseNotificationRequest> {
  const users = await db.user.findMany({
    where: { active: true, ...(notice.candidateIds ? { id: { in: [...new Set(notice.candidateIds)] } } : {}) },
    select: { id: true, role: true, institutionId: true, active: true },
  });
  const reason = notice.reason?.trim();
  return {
    userIds: caseAudience(
      notice.kind,
      notice.facts,
      users.flatMap((u) => (isRole(u.role) ? [{ ...u, role: u.role }] : [])),
    ).map((u) => u.id),
    kind: notice.kind,
    caseId: notice.facts.id,
    params: { code: notice.facts.code, ...(reason ? { reason, reasonLanguage: textLanguage(reason) ?? "en" } : {}) },
  };
}

/**
 * Notifies the people a step about a case now waits for (the cases' and
 * opinions' entry into the pipeline). The step is already saved: a failure
 * here is logged, never turned into an error for the user who took it.
 */
export async function notifyCase(db: Db, notice: CaseNotice): Promise<StoredNotification[]> {
  try {
    return await notify(db, await caseNotificationRequest(db, notice));
  } catch (error) {
    log("error", "case notification not stored", { kind: notice.kind, caseId: notice.facts.id, error: error instanceof Error ? error.message : String(error) });
    return [];
  }
}

/** A live-only notice (a kind the registry neither stores nor emails) to the user's open pages. */
export function notifyLive(userId: string, kind: LiveOnlyNotificationKind): void {
  notifyUser(userId, { id: randomUUID(), kind, messageKey: NOTIFICATION_KINDS[kind].messageKey, createdAt: new Date().toISOString() });
}

export function liveNotification(row: StoredNotification): LiveNotification {
  const kind = NOTIFICATION_KINDS[row.kind];
  const params = kind.topic === "session" ? parseNotificationParams(row.params) : null;
  const caseParams = kind.topic === "session" ? null : parseCaseNotificationParams(row.params);
  const href = notificationPath(row);
  return {
    id: row.id,
    kind: row.kind,
    messageKey: kind.messageKey,
    createdAt: row.createdAt.toISOString(),
    ...(params ? { params } : {}),
    ...(caseParams ? { caseParams } : {}),
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

async function emailsFor(db: Db, stored: readonly StoredNotification[]): Promise<OutgoingMail[]> {
  const rows = await rowsToEmail(db, stored);
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
    const params = kind.topic === "session" ? parseNotificationParams(row.params) : null;
    // The code only: a return's reason is free text and stays in the app.
    const code = kind.topic === "session" ? null : parseCaseNotificationParams(row.params)?.code;
    if (kind.topic === "session" ? !params : !code) continue;
    const other = counterpartZone(user.timeZone, [chairZone.get(row.sessionId ?? "") ?? "UTC"]);
    const message = notificationMessage(
      t,
      { messageKey: kind.messageKey, params, caseParams: code ? { code } : null },
      {
        language: user.preferredLocale,
        zones: other ? [user.timeZone, other] : [user.timeZone],
      },
    );
    const subject = t(kind.subjectKey, params ? { title: params.title } : { code: code ?? "" });
    const lines = EMAIL_LINES[kind.topic];
    const note = "emailNoteKey" in kind ? [t(kind.emailNoteKey)] : [];
    mails.push({
      to: user.email,
      subject,
      text: [message, ...note, "", t(lines.linkKey, { url: publicUrl() + href }), "", t(lines.footerKey)].join("\n"),
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
