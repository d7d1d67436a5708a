/** What the notification list and the header's count show a user: their own notifications only. */
import type { CurrentUser } from "~/features/identity/auth.server";
import { can } from "~/features/identity/permissions";
import { counterpartZone } from "~/features/boards/board-schedule";
import { getDb, type Db } from "~/platform/db.server";
import {
  isOpinionNotificationKind,
  isSessionNotificationKind,
  NOTIFICATION_KINDS,
  opinionPath,
  parseNotificationParams,
  sessionPath,
  type NotificationParams,
} from "./notifications";
import { listNotifications, markNotificationsRead, unreadNotificationCount } from "./notification-store.server";
import { chairZones } from "./notifications.server";

type NotificationItem = {
  id: string;
  messageKey: string;
  params: NotificationParams | null;
  zones: string[];
  href: string | null;
  createdAt: string;
  read: boolean;
};

/** The user's notifications, newest first: session ones with their time on the user's clock and the chair's, opinion ones with a link only. */
export async function loadNotificationsPage({ user, db = getDb() }: { user: CurrentUser; db?: Db }) {
  const rows = await listNotifications(db, user.id);
  const chairZone = await chairZones(
    db,
    rows.flatMap((row) => (row.sessionId ? [row.sessionId] : [])),
  );
  return {
    timeZone: user.timeZone,
    notifications: rows.flatMap((row): NotificationItem[] => {
      const item = { id: row.id, createdAt: row.createdAt.toISOString(), read: row.readAt !== null };
      if (isOpinionNotificationKind(row.kind) && row.caseId)
        return [{ ...item, messageKey: NOTIFICATION_KINDS[row.kind].messageKey, params: null, zones: [], href: opinionPath(row.caseId) }];
      const params = parseNotificationParams(row.params);
      if (!isSessionNotificationKind(row.kind) || !params) return [];
      const otherZone = counterpartZone(user.timeZone, [chairZone.get(row.sessionId ?? "") ?? "UTC"]);
      return [
        {
          ...item,
          messageKey: NOTIFICATION_KINDS[row.kind].messageKey,
          params,
          zones: otherZone ? [user.timeZone, otherZone] : [user.timeZone],
          href: row.sessionId && NOTIFICATION_KINDS[row.kind].linkedInList ? sessionPath(row.sessionId) : null,
        },
      ];
    }),
  };
}

/** Marks the user's own notifications read: the ones named, or all. Returns how many were marked. */
export function markRead({ user, which, db = getDb() }: { user: CurrentUser; which: readonly string[] | "all"; db?: Db }): Promise<number> {
  return markNotificationsRead(db, user.id, which);
}

/** The header's unread count, and the moment it was taken: live notifications newer than that are added to it. Null for users who receive none. */
export async function unreadSummary({ user, db = getDb() }: { user: CurrentUser; db?: Db }): Promise<{ unread: number; asOf: string } | null> {
  if (!can(user, "notifications.receive")) return null;
  const asOf = new Date().toISOString();
  return { unread: await unreadNotificationCount(db, user.id), asOf };
}
