/**
 * Data for the coordinator's reports: every submitted case that is open now or
 * was delivered in a period, with its first delivery and outcome report, in
 * one query (Prisma batches the relations; nothing is read per case).
 */
import { recordAudit } from "~/features/audit/audit.server";
import { OPEN_STATUSES, type CaseStatus } from "~/features/cases/case-lifecycle";
import type { CurrentUser } from "~/features/identity/auth.server";
import { outcomeReport } from "~/features/opinions/outcome-report";
import {
  parsePeriod,
  periodBounds,
  turnaroundCsv,
  turnaroundReport,
  type Period,
  type TurnaroundCase,
  type TurnaroundCsvLabels,
} from "~/features/search-reports/turnaround-report";
import { getDb, type Db } from "~/platform/db.server";
import type { RequestMeta } from "~/platform/request-meta.server";

export type ReportCase = {
  caseId: string;
  code: string;
  status: CaseStatus;
  cancerType: string | null;
  institution: { nameEn: string; nameZh: string };
  submittedAt: Date;
  dueAt: Date | null;
  /** The earliest delivery of any version of the case's opinion. */
  firstDeliveredAt: Date | null;
  outcome: { changedDiagnosis: string; changedTreatment: string } | null;
};

/**
 * Submitted cases that are open, or had an opinion delivered in [start, end).
 * A case whose first delivery came before `start` may be among them (an
 * amendment delivered later); callers decide by `firstDeliveredAt`.
 */
export async function reportCases(db: Db, { start, end }: { start: Date; end: Date }): Promise<ReportCase[]> {
  const found = await db.case.findMany({
    where: {
      submittedAt: { not: null },
      OR: [{ status: { in: [...OPEN_STATUSES] } }, { opinions: { some: { deliveredAt: { gte: start, lt: end } } } }],
    },
    orderBy: [{ submittedAt: "asc" }, { code: "asc" }],
    select: {
      id: true,
      code: true,
      status: true,
      cancerType: true,
      submittedAt: true,
      dueAt: true,
      institution: { select: { nameEn: true, nameZh: true } },
      opinions: { where: { deliveredAt: { not: null } }, orderBy: { deliveredAt: "asc" }, take: 1, select: { deliveredAt: true } },
      outcome: { select: { changedDiagnosis: true, changedTreatment: true } },
    },
  });
  return found.map((c) => ({
    caseId: c.id,
    code: c.code,
    status: c.status as CaseStatus,
    cancerType: c.cancerType,
    institution: c.institution,
    submittedAt: c.submittedAt!,
    dueAt: c.dueAt,
    firstDeliveredAt: c.opinions[0]?.deliveredAt ?? null,
    outcome: c.outcome,
  }));
}

/** The report rows in the reader's language (the institution's name). */
export function turnaroundCases(cases: readonly ReportCase[], locale: string): TurnaroundCase[] {
  return cases.map(({ outcome: _outcome, institution, ...c }) => ({ ...c, institution: locale === "zh-CN" ? institution.nameZh : institution.nameEn }));
}

/** Who reads a report, in which language, the request facts its audit event records, and the period asked for (`from`, `to` as YYYY-MM). */
type ReportCaller = { user: CurrentUser; meta: RequestMeta; locale: string; searchParams: URLSearchParams; db?: Db };

const periodAskedFor = (searchParams: URLSearchParams) => ({ from: searchParams.get("from"), to: searchParams.get("to") });

/**
 * The turnaround dashboard: open cases by state, and for a valid period the deliveries, monthly medians and
 * outcomes. An invalid period still shows the open cases (they do not depend on it). The cases shown are audited.
 */
export async function loadTurnaroundReport({ user, meta, locale, searchParams, db = getDb() }: ReportCaller) {
  const now = new Date();
  const timeZone = user.timeZone;
  const asked = periodAskedFor(searchParams);
  const choice = parsePeriod(asked, now, timeZone);
  const bounds = choice.ok ? periodBounds(choice.period, timeZone) : { start: now, end: now };
  const found = await reportCases(db, bounds);
  const period = choice.ok ? choice.period : null;
  const report = turnaroundReport(turnaroundCases(found, locale), { now, timeZone, period });
  const deliveredIds = new Set(report.delivered.map((c) => c.caseId));
  const outcomes = outcomeReport(found.filter((c) => deliveredIds.has(c.caseId)).map((c) => ({ cancerType: c.cancerType, outcome: c.outcome })));
  await recordAudit(db, {
    actor: user,
    action: "reports.view",
    outcome: "success",
    entityType: "Report",
    entityId: "turnaround",
    details: {
      period,
      delivered: report.delivered.length,
      open: report.open.reduce((sum, g) => sum + g.count, 0),
      caseIds: [...report.delivered.map((c) => c.caseId), ...report.open.flatMap((g) => g.cases.map((c) => c.caseId))],
    },
    meta,
  });
  return {
    timeZone,
    query: period ?? { from: asked.from ?? "", to: asked.to ?? "" },
    period,
    errors: choice.ok ? {} : choice.errors,
    report,
    outcomes,
  };
}

export type TurnaroundExport = { ok: true; csv: string; period: Period } | { ok: false; errors: { from?: string[]; to?: string[] } };

/** The per-case turnaround of a valid period as CSV, in the reader's language (`labels`); the cases exported are audited. */
export async function exportTurnaroundCsv({
  user,
  meta,
  locale,
  searchParams,
  labels,
  db = getDb(),
}: ReportCaller & { labels: TurnaroundCsvLabels }): Promise<TurnaroundExport> {
  const now = new Date();
  const choice = parsePeriod(periodAskedFor(searchParams), now, user.timeZone);
  if (!choice.ok) return choice;
  const { period } = choice;
  const cases = turnaroundCases(await reportCases(db, periodBounds(period, user.timeZone)), locale);
  const csv = turnaroundCsv(cases, { now, timeZone: user.timeZone, period, labels });
  await recordAudit(db, {
    actor: user,
    action: "reports.turnaroundExport",
    outcome: "success",
    entityType: "Report",
    entityId: "turnaround",
    details: { period, caseIds: cases.map((c) => c.caseId) },
    meta,
  });
  return { ok: true, csv, period };
}
