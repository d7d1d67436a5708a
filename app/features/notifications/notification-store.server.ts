/** Data access for in-app notifications: each user reads and marks only their own. */
import {
  notificationParams,
  type CaseNotificationKind,
  type CaseNotificationParams,
  type SessionNotificationKind,
  type StoredNotificationKind,
} from "~/features/notifications/notifications";
import type { Db } from "~/platform/db.server";

type Writer = Pick<Db, "notification">;

/** Notifying users about a board session: its title and start travel with it. */
export type SessionNotificationRequest = {
  userIds: readonly string[];
  kind: SessionNotificationKind;
  session: { id: string; title: string; startsAt: Date };
  /** Skips users who still have an unread notification of one of these kinds about the session. */
  unlessUnread?: readonly SessionNotificationKind[];
};
/** Notifying users about a step of a case or its opinion: the case's code (and a return's reason) and a link travel. */
export type CaseNotificationRequest = { userIds: readonly string[]; kind: CaseNotificationKind; caseId: string; params: CaseNotificationParams };
export type NotificationRequest = SessionNotificationRequest | CaseNotificationRequest;

export type StoredNotification = {
  id: string;
  userId: string;
  kind: StoredNotificationKind;
  sessionId: string | null;
  caseId: string | null;
  params: string;
  createdAt: Date;
};

/** One notification per user (each user once), except for users the request's `unlessUnread` skips. */
export async function storeNotifications(db: Writer, request: NotificationRequest): Promise<StoredNotification[]> {
  let userIds = [...new Set(request.userIds)];
  if ("session" in request && request.unlessUnread?.length && userIds.length > 0) {
    const pending = await db.notification.findMany({
      where: { userId: { in: userIds }, kind: { in: [...request.unlessUnread] }, sessionId: request.session.id, readAt: null },
      select: { userId: true },
    });
    const already = new Set(pending.map((p) => p.userId));
    userIds = userIds.filter((id) => !already.has(id));
  }
  if (userIds.length === 0) return [];
  const about =
    "session" in request
      ? { sessionId: request.session.id, params: JSON.stringify(notificationParams(request.session)) }
      : { caseId: request.caseId, params: JSON.stringify(request.params) };
  const rows = await db.notification.createManyAndReturn({
    data: userIds.map((userId) => ({ userId, kind: request.kind, ...about })),
    select: { id: true, userId: true, sessionId: true, caseId: true, params: true, createdAt: true },
  });
  return rows.map((row) => ({ ...row, kind: request.kind }));
}

export function listNotifications(db: Db, userId: string, take = 100) {
  return db.notification.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, kind: true, sessionId: true, caseId: true, params: true, createdAt: true, readAt: true },
  });
}

export function unreadNotificationCount(db: Db, userId: string) {
  return db.notification.count({ where: { userId, readAt: null } });
}

/** Marks the user's own notifications read: the ones named, or all. */
export async function markNotificationsRead(db: Db, userId: string, ids: readonly string[] | "all", now = new Date()): Promise<number> {
  const where = ids === "all" ? { userId, readAt: null } : { userId, readAt: null, id: { in: [...ids] } };
  return (await db.notification.updateMany({ where, data: { readAt: now } })).count;
}

/** The kinds the user chose not to receive by email. */
export async function emailOptOuts(db: Pick<Db, "notificationEmailOptOut">, userId: string): Promise<Set<string>> {
  return new Set((await db.notificationEmailOptOut.findMany({ where: { userId }, select: { kind: true } })).map((o) => o.kind));
}

/** Of these rows, the ones whose users still want them by email. */
export async function rowsToEmail<T extends { userId: string; kind: string }>(db: Pick<Db, "notificationEmailOptOut">, rows: readonly T[]): Promise<T[]> {
  if (rows.length === 0) return [];
  const optedOut = await db.notificationEmailOptOut.findMany({
    where: { userId: { in: [...new Set(rows.map((r) => r.userId))] }, kind: { in: [...new Set(rows.map((r) => r.kind))] } },
    select: { userId: true, kind: true },
  });
  const skip = new Set(optedOut.map((o) => `${o.userId} ${o.kind}`));
  return rows.filter((r) => !skip.has(`${r.userId} ${r.kind}`));
}

/** Stores the user's choice: the kinds not in `emailed` are not emailed to them. */
export async function saveEmailChoices(
  db: Db,
  userId: string,
  emailed: readonly StoredNotificationKind[],
  all: readonly StoredNotificationKind[],
): Promise<void> {
  const wanted = new Set(emailed);
  await db.$transaction([
    db.notificationEmailOptOut.deleteMany({ where: { userId } }),
    db.notificationEmailOptOut.createMany({ data: all.filter((kind) => !wanted.has(kind)).map((kind) => ({ userId, kind })) }),
  ]);
}
