/**
 * What users do to cases: every step checks access and the lifecycle table,
 * writes its change, and leaves an audit event.
 */
import type { AppLoadContext } from "@remix-run/node";
import icd10 from "~/features/cases/data/icd10-oncology.json";
import { canViewCase, relationTo, type CaseFacts } from "~/features/cases/case-access";
import { checkTransition, packetEditable, type CaseAction } from "~/features/cases/case-lifecycle";
import { submissionProblems, type FieldProblems, type Packet } from "~/features/cases/case-packet";
import type { Actor } from "~/features/identity/permissions";
import { defaultDueDate } from "~/features/cases/turnaround";
import { getCaseFacts, savePacket, type CaseFactsRow } from "~/features/cases/case-store.server";
import { indexCase } from "~/features/search-reports/search.server";
import { recordAudit } from "~/features/audit/audit.server";
import { dropWithdrawnCase } from "~/features/boards/board-scheduling.server";
import { denyAccess, requireUser, type CurrentUser } from "~/features/identity/auth.server";
import type { Db } from "~/platform/db.server";
import { getDb } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import type { RequestMeta } from "~/platform/request-meta.server";

export const caseDueDays = () => env("CASE_DUE_DAYS");
const ICD10_CODES: ReadonlySet<string> = new Set(icd10.map((entry) => entry.code));

/**
 * The signed-in user and the case, when `allowed` says they may; otherwise an
 * audited 404, so nobody learns whether a case they may not see exists.
 */
export async function requireCase(
  request: Request,
  context: AppLoadContext,
  caseId: string | undefined,
  allowed: (actor: Actor, facts: CaseFacts) => boolean = canViewCase,
): Promise<{ user: CurrentUser; facts: CaseFactsRow }> {
  const user = await requireUser(request);
  const facts = caseId ? await getCaseFacts(getDb(), caseId) : null;
  if (!facts || !allowed(user, facts)) throw await denyAccess(request, context, user, { caseId: caseId ?? null }, 404);
  return { user, facts };
}

export function auditCase(db: Db, user: CurrentUser, action: string, caseId: string, meta: RequestMeta, details: Record<string, unknown> = {}) {
  return recordAudit(db, { actor: user, action, outcome: "success", entityType: "Case", entityId: caseId, details, meta });
}

export type StepResult = { ok: true } | { ok: false; fieldErrors?: FieldProblems; formError?: string };

export async function saveDraft(db: Db, user: CurrentUser, facts: CaseFactsRow, packet: Packet, version: number, meta: RequestMeta): Promise<StepResult & { version?: number }> {
  if (!packetEditable(facts.status) || !relationTo(user, facts).ownInstitution || user.role !== "TREATING_PHYSICIAN") {
    return { ok: false, formError: "cases:errors.notEditable" };
  }
  const saved = await savePacket(db, facts.id, packet, version);
  if (!saved.ok) return { ok: false, formError: "cases:errors.versionConflict" };
  await auditCase(db, user, "case.saveDraft", facts.id, meta, { version: saved.version });
  await indexCase(db, facts.id);
  return { ok: true, version: saved.version };
}

async function consultingInstitutionIds(db: Db): Promise<string[]> {
  return (await db.institution.findMany({ where: { kind: "CONSULTING", active: true }, select: { id: true } })).map((i) => i.id);
}

/** Saves the packet, then submits it if it is complete; otherwise says what is missing, field by field. */
export async function submitCase(db: Db, user: CurrentUser, facts: CaseFactsRow, packet: Packet, version: number, meta: RequestMeta): Promise<StepResult> {
  const check = checkTransition("submit", facts.status, user.role, relationTo(user, facts));
  if (!check.ok) return { ok: false, formError: check.errorKey };
  const saved = await saveDraft(db, user, facts, packet, version, meta);
  if (!saved.ok) return saved;
  const problems = submissionProblems(packet, await consultingInstitutionIds(db), ICD10_CODES);
  if (Object.keys(problems).length > 0) return { ok: false, fieldErrors: problems, formError: "cases:errors.incomplete" };

  const now = new Date();
  await db.$transaction([
    db.case.update({
      where: { id: facts.id },
      data: { status: check.to, submittedAt: now, dueAt: defaultDueDate(now, caseDueDays()), returnReason: null, version: { increment: 1 } },
    }),
    db.consent.update({ where: { caseId: facts.id }, data: { recordedById: user.id, recordedAt: now } }),
    db.caseTransition.create({ data: { caseId: facts.id, fromStatus: facts.status, toStatus: check.to, action: "submit", actorId: user.id } }),
  ]);
  await auditCase(db, user, "case.submit", facts.id, meta, { from: facts.status, to: check.to });
  return { ok: true };
}

export async function transitionCase(db: Db, user: CurrentUser, facts: CaseFactsRow, action: Exclude<CaseAction, "submit" | "triage">, reason: string | undefined, meta: RequestMeta): Promise<StepResult> {
  const check = checkTransition(action, facts.status, user.role, relationTo(user, facts), reason);
  if (!check.ok) return { ok: false, formError: check.errorKey };
  await db.$transaction([
    db.case.update({ where: { id: facts.id }, data: { status: check.to, version: { increment: 1 }, ...(action === "return" ? { returnReason: reason } : {}) } }),
    db.caseTransition.create({ data: { caseId: facts.id, fromStatus: facts.status, toStatus: check.to, action, actorId: user.id, reason: reason ?? null } }),
  ]);
  await auditCase(db, user, `case.${action}`, facts.id, meta, { from: facts.status, to: check.to, reason: reason ?? null });
  if (action === "withdraw") await dropWithdrawnCase(db, user, facts.id, meta);
  return { ok: true };
}

/** Triage: one primary and optional secondary consultants, and a due date. */
export async function assignConsultants(
  db: Db,
  user: CurrentUser,
  facts: CaseFactsRow,
  input: { primaryId: string; secondaryIds: string[]; dueDate: Date },
  meta: RequestMeta,
): Promise<StepResult> {
  const check = checkTransition("triage", facts.status, user.role, relationTo(user, facts));
  if (!check.ok) return { ok: false, formError: check.errorKey };
  const ids = [input.primaryId, ...input.secondaryIds.filter((id) => id !== input.primaryId)];
  const consultants = await db.user.findMany({ where: { id: { in: ids }, role: "CONSULTANT", active: true }, select: { id: true } });
  if (consultants.length !== ids.length) return { ok: false, fieldErrors: { primaryId: ["cases:errors.consultantInvalid"] } };
  await db.$transaction([
    db.caseAssignment.deleteMany({ where: { caseId: facts.id } }),
    db.caseAssignment.createMany({
      data: ids.map((consultantId, i) => ({ caseId: facts.id, consultantId, role: i === 0 ? "PRIMARY" : "SECONDARY", assignedById: user.id })),
    }),
    db.case.update({ where: { id: facts.id }, data: { status: check.to, dueAt: input.dueDate, version: { increment: 1 } } }),
    db.caseTransition.create({ data: { caseId: facts.id, fromStatus: facts.status, toStatus: check.to, action: "triage", actorId: user.id } }),
  ]);
  await auditCase(db, user, "case.triage", facts.id, meta, { consultants: ids, dueAt: input.dueDate.toISOString() });
  return { ok: true };
}

export async function saveTranslation(
  db: Db,
  user: CurrentUser,
  facts: CaseFactsRow,
  input: { key: string; text: string; status: "DRAFT" | "REVIEWED" },
  meta: RequestMeta,
): Promise<StepResult> {
  const narrative = await db.narrativeField.findUnique({ where: { caseId_key: { caseId: facts.id, key: input.key } } });
  if (!narrative) return { ok: false, formError: "cases:errors.narrativeMissing" };
  await db.narrativeField.update({
    where: { id: narrative.id },
    data: { translationText: input.text, translationStatus: input.status, translatedById: user.id, translatedAt: new Date() },
  });
  await auditCase(db, user, "case.translate", facts.id, meta, { key: input.key, status: input.status });
  await indexCase(db, facts.id);
  return { ok: true };
}
