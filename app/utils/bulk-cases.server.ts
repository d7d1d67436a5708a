import { formatCaseCode } from "~/domain/case-code";
import { CASE_STATUSES } from "~/domain/case-lifecycle";
import type { Db } from "./db.server";
import icd10 from "~/data/icd10-oncology.json";

const DAY = 86_400_000;

/** Fills the database with synthetic cases for measuring lists; codes continue the real sequence. */
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
        icd10Code: dx.code,
        submittedAt,
        dueAt: submittedAt ? new Date(submittedAt.getTime() + 7 * DAY) : null,
      };
    });
    await db.case.createMany({ data: batch });
    if (consultants.length > 0 && coordinator) {
      const assigned = await db.case.findMany({ where: { code: { in: batch.filter((c) => c.status === "TRIAGED" || c.status === "IN_REVIEW").map((c) => c.code) } }, select: { id: true } });
      await db.caseAssignment.createMany({
        data: assigned.map((c, k) => ({ caseId: c.id, consultantId: consultants[k % consultants.length].id, role: "PRIMARY", assignedById: coordinator.id })),
      });
    }
  }
  return count;
}
