/** Synthetic cases (each with a Chinese history) for the list and search benchmarks. */
import { formatCaseCode } from "~/features/cases/case-code";
import { CASE_STATUSES } from "~/features/cases/case-lifecycle";
import type { Db } from "~/platform/db.server";
import icd10 from "~/features/cases/data/icd10-oncology.json";

const DAY = 86_400_000;

/** Fills the database with synthetic cases (with a Chinese clinical history each) for measuring lists and search; codes continue the real sequence. */
export async function seedBulkCases(db: Db, count: number, now = new Date()): Promise<number> {
  const institutions = await db.institution.findMany({ where: { kind: "TREATING" }, select: { id: true } });
  const physicians = await db.user.findMany({ where: { role: "TREATING_PHYSICIAN" }, select: { id: true, institutionId: true } });
  const consultants = await db.user.findMany({ where: { role: "CONSULTANT" }, select: { id: true } });
  const coordinator = await db.user.findFirst({ where: { role: "COORDINATOR" }, select: { id: true } });
  if (institutions.length === 0 || physicians.length === 0) throw new Error("Create institutions and physicians first (start the app once with demo data).");
  const year = now.getUTCFullYear();
  const counter = await db.caseCodeCounter.upsert({ where: { year }, create: { year, last: count }, update: { last: { increment: count } } });
  const first = counter.last - count + 1;
  const codes = icd10.filter((c) => c.cancerType === "SOLID" || c.cancerType === "LYMPHOMA");
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, (_, j) => {
      const i = start + j;
      const physician = physicians[i % physicians.length];
      const status = CASE_STATUSES[i % CASE_STATUSES.length];
      const submittedAt = status === "DRAFT" ? null : new Date(now.getTime() - (i % 60) * DAY);
      const dx = codes[i % codes.length];
      return {
        code: formatCaseCode(year, first + i),
        institutionId: physician.institutionId ?? institutions[0].id,
        createdById: physician.id,
        status,
        ageAtSubmission: 30 + (i % 55),
        sex: i % 2 ? "FEMALE" : "MALE",
        cancerType: dx.cancerType,
        primarySite: dx.en.replace("Malignant neoplasm of ", ""),
        histology: i % 3 ? "adenocarcinoma" : "squamous cell carcinoma",
        icdO3Code: i % 3 ? "8140/3" : "8070/3",
        icd10Code: dx.code,
        submittedAt,
        dueAt: submittedAt ? new Date(submittedAt.getTime() + 7 * DAY) : null,
      };
    });
    await db.case.createMany({ data: batch });
    const created = await db.case.findMany({ where: { code: { in: batch.map((c) => c.code) } }, select: { id: true, icd10Code: true, histology: true } });
    const zhOf = new Map(codes.map((c) => [c.code, c.zh]));
    await db.narrativeField.createMany({
      data: created.map((c) => ({
        caseId: c.id,
        key: "clinicalHistory",
        originalLanguage: "zh-CN",
        originalText: `${zhOf.get(c.icd10Code ?? "") ?? ""}，病理${c.histology === "adenocarcinoma" ? "腺癌" : "鳞状细胞癌"}，已完成基线检查。`,
      })),
    });
    if (consultants.length > 0 && coordinator) {
      const assigned = await db.case.findMany({
        where: { code: { in: batch.filter((c) => c.status === "TRIAGED" || c.status === "IN_REVIEW").map((c) => c.code) } },
        select: { id: true },
      });
      await db.caseAssignment.createMany({
        data: assigned.map((c, k) => ({ caseId: c.id, consultantId: consultants[k % consultants.length].id, role: "PRIMARY", assignedById: coordinator.id })),
      });
    }
  }
  return count;
}
