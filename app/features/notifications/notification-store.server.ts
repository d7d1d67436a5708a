/** Data access for in-app notifications: each user reads and marks only their own. */
import { notificationParams, type SessionNotificationKind } from "~/features/notifications/notifications";
import type { Db } from "~/platform/db.server";

type Writer = Pick<Db, "notification">;

export type StoredNotification = { id: string; userId: string; kind: SessionNotificationKind; sessionId: string; params: string; createdAt: Date };

/**
 * One notification per user about the session, except for users who still
 * have an unread one of the `unlessUnread` kinds about it.
 */
export async function storeSessionNotifications(
  db: Writer,
  input: { userIds: readonly string[]; kind: SessionNotificationKind; session: { id: string; title: string; startsAt: Date }; unlessUnread?: readonly SessionNotificationKind[] },
): Promise<StoredNotification[]> {
  let userIds = [...new Set(input.userIds)];
  if (input.unlessUnread?.length && userIds.length > 0) {
    const pending = await db.notification.findMany({
      where: { userId: { in: userIds }, kind: { in: [...input.unlessUnread] }, sessionId: input.session.id, readAt: null },
      select: { userId: true },
    });
    const already = new Set(pending.map((p) => p.userId));
    userIds = userIds.filter((id) => !already.has(id));
  }
  if (userIds.length === 0) return [];
  const params = JSON.stringify(notificationParams(input.session));
  const rows = await db.notification.createManyAndReturn({
    data: userIds.map((userId) => ({ userId, kind: input.kind, sessionId: input.session.id, params })),
    select: { id: true, userId: true, kind: true, sessionId: true, params: true, createdAt: true },
  });
  return rows.map((row) => ({ ...row, kind: input.kind, sessionId: input.session.id }));
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
