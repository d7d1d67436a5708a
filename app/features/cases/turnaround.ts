/** A case's turnaround clock: days open, days left and whether it is overdue, and the default due date. */
import { OPEN_STATUSES, type CaseStatus } from "./case-lifecycle";

const DAY_MS = 24 * 60 * 60 * 1000;

export type Turnaround = { daysOpen: number | null; overdue: boolean; daysLeft: number | null };

/** Days since submission, and whether an open case has passed its due date. */
export function turnaround(c: { status: CaseStatus; submittedAt: Date | null; dueAt: Date | null }, now: Date): Turnaround {
  const open = OPEN_STATUSES.includes(c.status);
  const daysOpen = c.submittedAt ? Math.floor((now.getTime() - c.submittedAt.getTime()) / DAY_MS) : null;
  const daysLeft = c.dueAt && open ? Math.ceil((c.dueAt.getTime() - now.getTime()) / DAY_MS) : null;
  return { daysOpen, overdue: open && c.dueAt !== null && now.getTime() > c.dueAt.getTime(), daysLeft };
}

export function defaultDueDate(submittedAt: Date, days: number): Date {
  return new Date(submittedAt.getTime() + days * DAY_MS);
}

/** "Due soon" is told this long before the due date (its message says "within two days"). */
export const DUE_SOON_DAYS = 2;

/** Open cases due after `now` and within DUE_SOON_DAYS are due soon; those due at or before `now` are overdue. */
export function dueSoonWindow(now: Date): { from: Date; to: Date } {
  return { from: now, to: new Date(now.getTime() + DUE_SOON_DAYS * DAY_MS) };
}
