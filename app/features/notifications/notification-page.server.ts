/** What the notification list and the header's count show a user: their own notifications only. */
import type { CurrentUser } from "~/features/identity/auth.server";
import { can } from "~/features/identity/permissions";
import { caseAbilities } from "~/features/cases/case-access";
import { getCaseFactsMany } from "~/features/cases/case-store.server";
import { auditCase } from "~/features/cases/case-access.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import { counterpartZone } from "~/features/boards/board-schedule";
import { getDb, type Db } from "~/platform/db.server";
import {
  isCaseNotificationKind,
  isSessionNotificationKind,
  EMAILED_KIND_NAMES,
  NOTIFICATION_KINDS,
  notificationPath,
  type StoredNotificationKind,
  parseCaseNotificationParams,
  parseNotificationParams,
  sessionPath,
  type CaseNotificationParams,
  type NotificationParams,
} from "./notifications";
import { emailOptOuts, listNotifications, markNotificationsRead, saveEmailChoices, unreadNotificationCount } from "./notification-store.server";
import { chairZones } from "./notifications.server";

type NotificationItem = {
  id: string;
  messageKey: string;
  params: NotificationParams | null;
  caseParams: CaseNotificationParams | null;
  zones: string[];
  href: string | null;
  createdAt: string;
  read: boolean;
};

/**
 * The user's notifications, newest first: session ones with their time on the
 * user's clock and the chair's, case and opinion ones with the case's code (read
 * from the case for those stored before notifications carried it).
 */
export async function loadNotificationsPage({ user, meta, db = getDb() }: { user: CurrentUser; meta: RequestMeta; db?: Db }) {
  const rows = await listNotifications(db, user.id);
  const chairZone = await chairZones(
    db,
    rows.flatMap((row) => (row.sessionId ? [row.sessionId] : [])),
  );
  // Each case as it is now: a user who may no longer see it (moved to another hospital, removed from it) keeps the
  // notification's sentence but loses its link and the return's reason.
  const caseIds = [...new Set(rows.flatMap((row) => (row.caseId ? [row.caseId] : [])))];
  const cases = new Map(caseIds.length === 0 ? [] : (await getCaseFactsMany(db, caseIds)).map((c) => [c.id, c]));
  const optedOut = await emailOptOuts(db, user.id);
  const reasonsShown = new Set<string>();
  const notifications = rows.flatMap((row): NotificationItem[] => {
    const item = { id: row.id, createdAt: row.createdAt.toISOString(), read: row.readAt !== null };
    if (isCaseNotificationKind(row.kind) && row.caseId) {
      const facts = cases.get(row.caseId);
      const stored = parseCaseNotificationParams(row.params);
      const code = stored?.code ?? facts?.code ?? "";
      if (!facts || !caseAbilities(user, facts).view) {
        return [{ ...item, messageKey: NOTIFICATION_KINDS[row.kind].messageKey, params: null, caseParams: { code }, zones: [], href: null }];
      }
      const caseParams = stored ?? { code };
      if (caseParams.reason) reasonsShown.add(row.caseId);
      const href = notificationPath({ kind: row.kind, sessionId: null, caseId: row.caseId });
      return [{ ...item, messageKey: NOTIFICATION_KINDS[row.kind].messageKey, params: null, caseParams, zones: [], href }];
    }
    const params = parseNotificationParams(row.params);
    if (!isSessionNotificationKind(row.kind) || !params) return [];
    const otherZone = counterpartZone(user.timeZone, [chairZone.get(row.sessionId ?? "") ?? "UTC"]);
    return [
      {
        ...item,
        messageKey: NOTIFICATION_KINDS[row.kind].messageKey,
        params,
        caseParams: null,
        zones: otherZone ? [user.timeZone, otherZone] : [user.timeZone],
        href: row.sessionId && NOTIFICATION_KINDS[row.kind].linkedInList ? sessionPath(row.sessionId) : null,
      },
    ];
  });
  // A return's reason is the case's own text: each case whose reason the page shows is audited as read.
  for (const caseId of reasonsShown)
    await auditCase({ db, user, meta, caseId, action: "case.view", details: { via: "notifications", fields: ["returnReason"] } });
  return {
    timeZone: user.timeZone,
    /** Each kind, grouped by what it is about, and whether the user receives it by email. */
    emailChoices: EMAILED_KIND_NAMES.map((kind) => ({ kind, topic: NOTIFICATION_KINDS[kind].topic, emailed: !optedOut.has(kind) })),
    notifications,
  };
}

/** Marks the user's own notifications read: the ones named, or all. Returns how many were marked. */
export function markRead({ user, which, db = getDb() }: { user: CurrentUser; which: readonly string[] | "all"; db?: Db }): Promise<number> {
  return markNotificationsRead(db, user.id, which);
}

/** The user's own choice of the kinds emailed to them: those not named are not emailed (they still appear in the app). */
export function chooseEmails({ user, emailed, db = getDb() }: { user: CurrentUser; emailed: readonly StoredNotificationKind[]; db?: Db }): Promise<void> {
  return saveEmailChoices(db, user.id, emailed, EMAILED_KIND_NAMES);
}

/** The header's unread count, and the moment it was taken: live notifications newer than that are added to it. Null for users who receive none. */
export async function unreadSummary({ user, db = getDb() }: { user: CurrentUser; db?: Db }): Promise<{ unread: number; asOf: string } | null> {
  if (!can(user, "notifications.receive")) return null;
  const asOf = new Date().toISOString();
  return { unread: await unreadNotificationCount(db, user.id), asOf };
}
