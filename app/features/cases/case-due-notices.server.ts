/**
 * "Due soon" and "overdue": a sweep every few minutes in each server process
 * tells the consultants assigned and the coordinators, once per due date. Each
 * notice is claimed with a conditional update in the transaction that stores
 * its notifications, so it goes out once however many processes sweep; a new
 * due date (submission, triage) clears the claims.
 */
import { OPEN_STATUSES } from "~/features/cases/case-lifecycle";
import { getCaseFacts } from "~/features/cases/case-store.server";
import { dueSoonWindow } from "~/features/cases/turnaround";
import { storeNotifications, type StoredNotification } from "~/features/notifications/notification-store.server";
import { caseNotificationRequest, deliverNotifications } from "~/features/notifications/notifications.server";
import { getDb, type Db } from "~/platform/db.server";
import { log } from "~/platform/logger.server";
import { startSweep } from "~/platform/periodic-sweep.server";

export const DUE_NOTICE_SWEEP_MS = 5 * 60_000;
/** Cases claimed per notice and sweep; the rest wait for the next sweep. */
const BATCH = 200;

type DueNotice = { kind: "caseDueSoon" | "caseOverdue"; claim: "dueSoonNoticeAt" | "overdueNoticeAt"; dueAt: { gt?: Date; lte: Date } };

function dueNotices(now: Date): DueNotice[] {
  const soon = dueSoonWindow(now);
  return [
    { kind: "caseOverdue", claim: "overdueNoticeAt", dueAt: { lte: now } },
    { kind: "caseDueSoon", claim: "dueSoonNoticeAt", dueAt: { gt: soon.from, lte: soon.to } },
  ];
}

/** Sends every due-soon and overdue notice now due; returns how many cases this call told about. */
export async function sendDueNotices(db: Db, now = new Date()): Promise<number> {
  let told = 0;
  for (const notice of dueNotices(now)) {
    const pending = { status: { in: [...OPEN_STATUSES] }, dueAt: notice.dueAt, [notice.claim]: null };
    const due = await db.case.findMany({ where: pending, select: { id: true }, orderBy: { dueAt: "asc" }, take: BATCH });
    for (const { id } of due) {
      // One case that fails (its claim rolls back, so a later sweep tries it again) never holds back the cases after it.
      const rows = await db
        .$transaction(async (tx): Promise<StoredNotification[] | null> => {
          const claimed = await tx.case.updateMany({ where: { id, ...pending }, data: { [notice.claim]: now } });
          if (claimed.count !== 1) return null;
          const facts = await getCaseFacts(tx, id);
          if (!facts) return null;
          return storeNotifications(tx, await caseNotificationRequest(tx, { kind: notice.kind, facts }));
        })
        .catch((error: unknown) => {
          log("error", "case due notice failed", { kind: notice.kind, caseId: id, error: error instanceof Error ? error.message : String(error) });
          return null;
        });
      if (!rows) continue;
      deliverNotifications(db, rows);
      told++;
    }
  }
  return told;
}

/** Starts the sweep (first run at once); `stop` ends it and waits for a sweep under way. */
export function startDueNotices(intervalMs = DUE_NOTICE_SWEEP_MS): { stop: () => Promise<void> } {
  return startSweep("case due notices", () => sendDueNotices(getDb()), intervalMs);
}
