/**
 * The coordinator's turnaround dashboard as pure rules: days from submission
 * to first delivery per case, open cases by state with the overdue ones
 * flagged, the median turnaround per calendar month of delivery, and the CSV.
 *
 * Days to delivery are fractional, rounded to one decimal (2.5 = two and a
 * half days): most opinions take a few days, and whole days would hide the
 * difference between a morning and an evening delivery. A month's median is
 * the true median of those one-decimal values as listed (for an even count,
 * the mean of the two middle ones), so it can be checked by hand against the
 * table; it may therefore carry two decimals (3.25).
 */
import { z } from "zod";
import { OPEN_STATUSES, type CaseStatus } from "~/features/cases/case-lifecycle";
import { toCsv } from "~/platform/csv";
import { localDateTimeInZone, startOfDayInZone } from "~/platform/time-zones";
import { turnaround } from "~/features/cases/turnaround";

const DAY_MS = 24 * 60 * 60 * 1000;

export type TurnaroundCase = {
  caseId: string;
  code: string;
  status: CaseStatus;
  cancerType: string | null;
  /** The institution's name in the reader's language. */
  institution: string;
  submittedAt: Date;
  dueAt: Date | null;
  /** The earliest delivery of any version of the case's opinion, or null if none was delivered yet. */
  firstDeliveredAt: Date | null;
};

/** A calendar month, "YYYY-MM". */
export type Month = string;
export type Period = { from: Month; to: Month };

export type DeliveredCase = TurnaroundCase & { firstDeliveredAt: Date; days: number; month: Month };
export type OpenCase = TurnaroundCase & { daysOpen: number | null; daysLeft: number | null; overdue: boolean };
export type OpenGroup = { status: CaseStatus; count: number; overdueCount: number; cases: OpenCase[] };
export type MonthlyMedian = { month: Month; count: number; medianDays: number };

export type TurnaroundReport = {
  /** Cases first delivered within the period, oldest delivery first. */
  delivered: DeliveredCase[];
  /** Every open state in lifecycle order (empty ones included), cases by due date, overdue first. */
  open: OpenGroup[];
  /** One row per month of the period that had a delivery, in order. */
  monthlyMedians: MonthlyMedian[];
};

/** Days from submission to delivery, to one decimal. */
export function daysToDelivery(submittedAt: Date, deliveredAt: Date): number {
  return Math.round(((deliveredAt.getTime() - submittedAt.getTime()) / DAY_MS) * 10) / 10;
}

/** The calendar month ("YYYY-MM") on a clock in the zone at the instant. */
export function monthInZone(instant: Date, timeZone: string): Month {
  return localDateTimeInZone(instant, timeZone).date.slice(0, 7);
}

/** The true median (mean of the two middle values for an even count), rounded to two decimals against floating-point noise; null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return Math.round(value * 100) / 100;
}

/** Without a period (none valid was chosen) only the open cases are reported. */
export function turnaroundReport(cases: readonly TurnaroundCase[], options: { now: Date; timeZone: string; period: Period | null }): TurnaroundReport {
  const { now, timeZone, period } = options;
  const delivered = period ? deliveredInPeriod(cases, timeZone, period) : [];

  const open = OPEN_STATUSES.map((status): OpenGroup => {
    const inState = cases
      .filter((c) => c.status === status)
      .map((c): OpenCase => ({ ...c, ...turnaround(c, now) }))
      .sort(byDueDate);
    return { status, count: inState.length, overdueCount: inState.filter((c) => c.overdue).length, cases: inState };
  });

  const byMonth = new Map<Month, number[]>();
  for (const c of delivered) byMonth.set(c.month, [...(byMonth.get(c.month) ?? []), c.days]);
  const monthlyMedians = [...byMonth]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, days]) => ({ month, count: days.length, medianDays: median(days) ?? 0 }));

  return { delivered, open, monthlyMedians };
}

/** Cases whose first delivery fell within the period (months in the zone), with their days to delivery. */
export function deliveredInPeriod(cases: readonly TurnaroundCase[], timeZone: string, period: Period): DeliveredCase[] {
  return cases
    .flatMap((c) => {
      if (!c.firstDeliveredAt) return [];
      const month = monthInZone(c.firstDeliveredAt, timeZone);
      if (month < period.from || month > period.to) return [];
      return [{ ...c, firstDeliveredAt: c.firstDeliveredAt, days: daysToDelivery(c.submittedAt, c.firstDeliveredAt), month }];
    })
    .sort((a, b) => a.firstDeliveredAt.getTime() - b.firstDeliveredAt.getTime());
}

function byDueDate(a: OpenCase, b: OpenCase): number {
  if (a.dueAt && b.dueAt) return a.dueAt.getTime() - b.dueAt.getTime();
  if (a.dueAt || b.dueAt) return a.dueAt ? -1 : 1;
  return a.submittedAt.getTime() - b.submittedAt.getTime();
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

/** The month `count` months after (or before, if negative) the given one. */
export function addMonths(month: Month, count: number): Month {
  const [year, monthNumber] = month.split("-").map(Number);
  const index = year * 12 + (monthNumber - 1) + count;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Without a choice, the dashboard shows the last twelve months, the current one included. */
export function defaultPeriod(now: Date, timeZone: string): Period {
  const to = monthInZone(now, timeZone);
  return { from: addMonths(to, -11), to };
}

/** The instants the period starts and ends (exclusive) in the zone. */
export function periodBounds(period: Period, timeZone: string): { start: Date; end: Date } {
  return {
    start: startOfDayInZone(`${period.from}-01`, timeZone)!,
    end: startOfDayInZone(`${addMonths(period.to, 1)}-01`, timeZone)!,
  };
}

const optionalMonth = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(z.string().regex(MONTH, "reports:errors.monthInvalid").optional())
  .optional();

/** The period filter: two optional months (YYYY-MM), the first not after the second. Messages are i18n keys. */
export const PeriodSchema = z.object({ from: optionalMonth, to: optionalMonth }).superRefine((value, ctx) => {
  if (value.from && value.to && isMonth(value.from) && isMonth(value.to) && value.from > value.to)
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["to"], message: "reports:errors.periodReversed" });
});

export type PeriodChoice = { ok: true; period: Period } | { ok: false; errors: { from?: string[]; to?: string[] } };

/** Reads the period from the query (`from`, `to` as YYYY-MM). A blank end is the current month (or the start, if that is later); a blank start is twelve months back from the end. */
export function parsePeriod(input: { from?: string | null; to?: string | null }, now: Date, timeZone: string): PeriodChoice {
  const parsed = PeriodSchema.safeParse({ from: input.from ?? undefined, to: input.to ?? undefined });
  if (!parsed.success) {
    const errors: { from?: string[]; to?: string[] } = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === "to" ? "to" : "from";
      errors[field] = [...(errors[field] ?? []), issue.message];
    }
    return { ok: false, errors };
  }
  const fallback = defaultPeriod(now, timeZone);
  const to = parsed.data.to ?? (parsed.data.from && parsed.data.from > fallback.to ? parsed.data.from : fallback.to);
  const from = parsed.data.from ?? addMonths(to, -11);
  return { ok: true, period: { from, to } };
}

export type TurnaroundCsvLabels = {
  /** code, institution, cancer type, status, submitted, first delivered, days, overdue */
  headers: readonly [string, string, string, string, string, string, string, string];
  status: (status: CaseStatus) => string;
  cancerType: (cancerType: string | null) => string;
  overdue: string;
};

/**
 * The per-case CSV: the cases first delivered in the period and every open
 * case, once each, by submission. Times are "YYYY-MM-DD HH:MM" on the
 * coordinator's clock (sortable in a spreadsheet; the headers name the zone),
 * days a plain number with a decimal point.
 */
export function turnaroundCsv(cases: readonly TurnaroundCase[], options: { now: Date; timeZone: string; period: Period; labels: TurnaroundCsvLabels }): string {
  const { now, timeZone, period, labels } = options;
  const deliveredIds = new Set(deliveredInPeriod(cases, timeZone, period).map((c) => c.caseId));
  const local = (instant: Date) => {
    const { date, time } = localDateTimeInZone(instant, timeZone);
    return `${date} ${time}`;
  };
  const rows = cases
    .filter((c) => deliveredIds.has(c.caseId) || OPEN_STATUSES.includes(c.status))
    .sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime() || a.code.localeCompare(b.code))
    .map((c) => [
      c.code,
      c.institution,
      labels.cancerType(c.cancerType),
      labels.status(c.status),
      local(c.submittedAt),
      c.firstDeliveredAt ? local(c.firstDeliveredAt) : null,
      c.firstDeliveredAt ? daysToDelivery(c.submittedAt, c.firstDeliveredAt) : null,
      turnaround(c, now).overdue ? labels.overdue : null,
    ]);
  return toCsv([[...labels.headers], ...rows]);
}
