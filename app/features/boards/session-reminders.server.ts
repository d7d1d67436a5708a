/**
 * "Starting in 15 minutes": a sweep every minute in each server process. A
 * session's reminder is claimed with a conditional update in the same
 * transaction that stores the notifications, so it goes out exactly once
 * however many processes sweep.
 */
import { reminderWindow } from "~/features/notifications/notifications";
import { storeNotifications, type StoredNotification } from "~/features/notifications/notification-store.server";
import type { Db } from "~/platform/db.server";
import { getDb } from "~/platform/db.server";
import { startSweep } from "~/platform/periodic-sweep.server";
import { deliverNotifications } from "~/features/notifications/notifications.server";

export const REMINDER_SWEEP_MS = 60_000;

/** Sends every reminder now due; returns how many sessions this call reminded. */
export async function sendDueReminders(db: Db, now = new Date()): Promise<number> {
  const { from, to } = reminderWindow(now);
  const due = await db.boardSession.findMany({
    where: { status: "SCHEDULED", reminderSentAt: null, startsAt: { gt: from, lte: to } },
    select: { id: true },
  });
  let reminded = 0;
  for (const { id } of due) {
    const rows = await db.$transaction(async (tx): Promise<StoredNotification[] | null> => {
      const claimed = await tx.boardSession.updateMany({
        where: { id, status: "SCHEDULED", reminderSentAt: null, startsAt: { gt: from, lte: to } },
        data: { reminderSentAt: now },
      });
      if (claimed.count !== 1) return null;
      const session = await tx.boardSession.findUniqueOrThrow({
        where: { id },
        select: { id: true, title: true, startsAt: true, invitees: { select: { userId: true } } },
      });
      return storeNotifications(tx, { userIds: session.invitees.map((i) => i.userId), kind: "sessionStartingSoon", session });
    });
    if (!rows) continue;
    deliverNotifications(db, rows);
    reminded++;
  }
  return reminded;
}

/** Starts the sweep (first run at once); `stop` ends it and waits for a sweep under way. */
export function startSessionReminders(intervalMs = REMINDER_SWEEP_MS): { stop: () => Promise<void> } {
  return startSweep("session reminders", () => sendDueReminders(getDb()), intervalMs);
}
