/**
 * Data for the coordinator's reports: every submitted case that is open now or
 * was delivered in a period, with its first delivery and outcome report, in
 * one query (Prisma batches the relations; nothing is read per case).
 */
import { OPEN_STATUSES, type CaseStatus } from "~/features/cases/case-lifecycle";
import type { TurnaroundCase } from "~/features/search-reports/turnaround-report";
import type { Db } from "~/platform/db.server";

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
