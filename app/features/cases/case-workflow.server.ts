/**
 * What users do to cases: every step takes one object (who, which case, the request facts, the input),
 * checks the case's abilities and the lifecycle table, writes its change, and leaves an audit event.
 */
import icd10 from "~/features/cases/data/icd10-oncology.json";
import { relationTo } from "~/features/cases/case-access";
import { checkTransition, type CaseAction } from "~/features/cases/case-lifecycle";
import { identifierProblems, packetHasContent, submissionProblems, withoutIdentifiers, type FieldProblems, type Packet } from "~/features/cases/case-packet";
import { defaultDueDate } from "~/features/cases/turnaround";
import { createCaseWithPacket, deleteEmptyDraftCase, getCaseDetail, isEmptyDraft, packetDefaults, savePacket } from "~/features/cases/case-store.server";
import { indexCase } from "~/features/search-reports/search.server";
import { dropWithdrawnCase } from "~/features/boards/board-scheduling.server";
import type { CurrentUser } from "~/features/identity/auth.server";
import { getDb, type Db } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import { startOfDayInZone } from "~/platform/time-zones";
import { checkCrossBorderExports, recordCrossBorderExports } from "~/features/compliance/cross-border.server";
import { auditCase, type CaseCaller } from "./case-access.server";
import { notifyCaseComment } from "./case-watch.server";
import { log } from "~/platform/logger.server";
import { caseAbilities } from "./case-access";
import { notifyCase } from "~/features/notifications/notifications.server";
import { saveCheckedTranslation } from "~/features/glossary/translation-aids.server";

export const caseDueDays = () => env("CASE_DUE_DAYS");
const ICD10_CODES: ReadonlySet<string> = new Set(icd10.map((entry) => entry.code));

/** A new due date has had no "due soon" or "overdue" notice yet (see case-due-notices.server.ts). */
const NO_DUE_NOTICES_YET = { dueSoonNoticeAt: null, overdueNoticeAt: null };

export type StepResult = { ok: true } | { ok: false; fieldErrors?: FieldProblems; formError?: string };

/** What a save of the packet answers: the version now stored, and the fields it refused to store because they hold identifiers. */
export type SaveResult = { ok: true; version: number; refused: FieldProblems } | { ok: false; formError: string; refused?: FieldProblems };

/**
 * A case comes into being with the first save that holds something (identifiers refused, as in every save)
 * and gets its pseudonymous code then: opening an empty form creates nothing.
 */
export async function createCase({
  user,
  meta,
  packet,
  db = getDb(),
}: {
  user: CurrentUser;
  meta: RequestMeta;
  packet: Packet;
  db?: Db;
}): Promise<(SaveResult & { caseId?: string }) | { ok: false; noInstitution: true }> {
  if (!user.institutionId) return { ok: false, noInstitution: true };
  const storable = withoutIdentifiers(packet, {});
  if (!packetHasContent(storable.packet)) return { ok: false, formError: "cases:errors.nothingToSave", refused: storable.refused };
  const created = await createCaseWithPacket(db, { institutionId: user.institutionId, createdById: user.id, packet: storable.packet });
  const refusedFields = Object.keys(storable.refused);
  await auditCase({ db, user, meta, caseId: created.id, action: "case.create", details: { code: created.code, version: created.version, refusedFields } });
  await indexCase(db, created.id);
  return { ok: true, caseId: created.id, version: created.version, refused: storable.refused };
}

/** Saves the packet under its version; free text holding an identifier is not stored (that field keeps its last clean text), and the answer says which. */
export async function saveDraft({ user, facts, meta, packet, version, db = getDb() }: CaseCaller & { packet: Packet; version: number }): Promise<SaveResult> {
  if (!caseAbilities(user, facts).editPacket) return { ok: false, formError: "cases:errors.notEditable" };
  const stored = Object.keys(identifierProblems(packet)).length > 0 ? packetDefaults((await getCaseDetail(db, facts.id))!) : {};
  const storable = withoutIdentifiers(packet, stored);
  const saved = await savePacket(db, facts.id, storable.packet, version);
  if (!saved.ok) return { ok: false, formError: "cases:errors.versionConflict" };
  const refusedFields = Object.keys(storable.refused);
  await auditCase({ db, user, meta, caseId: facts.id, action: "case.saveDraft", details: { version: saved.version, refusedFields } });
  await indexCase(db, facts.id);
  return { ok: true, version: saved.version, refused: storable.refused };
}

/** The author deletes a draft that holds nothing, without a reason; one with content keeps the withdraw step. */
export async function deleteDraft({ user, facts, meta, db = getDb() }: CaseCaller): Promise<StepResult> {
  const emptyDraft = facts.status === "DRAFT" && (await isEmptyDraft(db, facts.id));
  const allowed = caseAbilities(user, { ...facts, emptyDraft }).deleteDraft;
  const deleted = allowed && (await deleteEmptyDraftCase(db, facts.id));
  const formError = deleted ? null : allowed || !emptyDraft ? "cases:errors.draftNotEmpty" : "cases:errors.actionNotAllowed";
  await auditCase({
    db,
    user,
    meta,
    caseId: facts.id,
    action: "case.deleteDraft",
    outcome: deleted ? "success" : "denied",
    details: { code: facts.code, ...(formError ? { reason: formError } : {}) },
  });
  return formError ? { ok: false, formError } : { ok: true };
}

async function consultingInstitutionIds(db: Db): Promise<string[]> {
  return (await db.institution.findMany({ where: { kind: "CONSULTING", active: true }, select: { id: true } })).map((i) => i.id);
}

async function currentVersion(db: Db, caseId: string): Promise<number | undefined> {
  return (await db.case.findUnique({ where: { id: caseId }, select: { version: true } }))?.version;
}

/** Saves the packet, then submits it if it is complete; otherwise says what is missing, field by field, with the version now stored. */
export async function submitCase(caller: CaseCaller & { packet: Packet; version: number }): Promise<StepResult & { version?: number }> {
  const { user, facts, meta, packet, db = getDb() } = caller;
  const check = checkTransition("submit", facts.status, user.role, relationTo(user, facts));
  if (!check.ok) return { ok: false, formError: check.errorKey, version: await currentVersion(db, facts.id) };
  const saved = await saveDraft({ ...caller, db });
  if (!saved.ok) return { ...saved, version: await currentVersion(db, facts.id) };
  const problems = submissionProblems(packet, await consultingInstitutionIds(db), ICD10_CODES);
  if (Object.keys(problems).length > 0) return { ok: false, fieldErrors: problems, formError: "cases:errors.incomplete", version: saved.version };

  const now = new Date();
  await db.$transaction([
    db.case.update({
      where: { id: facts.id },
      data: {
        status: check.to,
        submittedAt: now,
        dueAt: defaultDueDate(now, caseDueDays()),
        ...NO_DUE_NOTICES_YET,
        returnReason: null,
        version: { increment: 1 },
      },
    }),
    db.consent.update({ where: { caseId: facts.id }, data: { recordedById: user.id, recordedAt: now } }),
    db.caseTransition.create({ data: { caseId: facts.id, fromStatus: facts.status, toStatus: check.to, action: "submit", actorId: user.id } }),
  ]);
  await auditCase({ db, user, meta, caseId: facts.id, action: "case.submit", details: { from: facts.status, to: check.to } });
  await notifyCase(db, { kind: "caseSubmitted", facts: { ...facts, status: check.to } });
  return { ok: true };
}

export async function transitionCase(caller: CaseCaller & { action: Exclude<CaseAction, "submit" | "triage">; reason?: string }): Promise<StepResult> {
  const { user, facts, meta, action, reason, db = getDb() } = caller;
  const check = checkTransition(action, facts.status, user.role, relationTo(user, facts), reason);
  if (!check.ok) return { ok: false, formError: check.errorKey };
  await db.$transaction([
    db.case.update({
      where: { id: facts.id },
      data: { status: check.to, version: { increment: 1 }, ...(action === "return" ? { returnReason: reason } : {}) },
    }),
    db.caseTransition.create({ data: { caseId: facts.id, fromStatus: facts.status, toStatus: check.to, action, actorId: user.id, reason: reason ?? null } }),
  ]);
  await auditCase({ db, user, meta, caseId: facts.id, action: `case.${action}`, details: { from: facts.status, to: check.to, reason: reason ?? null } });
  if (action === "return") await notifyCase(db, { kind: "caseReturned", facts: { ...facts, status: check.to }, reason });
  if (action === "withdraw") await dropWithdrawnCase({ db, user, meta, caseId: facts.id });
  return { ok: true };
}

/** Triage: one primary and optional secondary consultants, due at the end of the chosen day on the coordinator's clock. */
export async function assignConsultants(caller: CaseCaller & { primaryId: string; secondaryIds: string[]; dueDay: string }): Promise<StepResult> {
  const { user, facts, meta, db = getDb() } = caller;
  if (!caseAbilities(user, facts).coordinate) return { ok: false, formError: "cases:errors.actionNotAllowed" };
  const check = checkTransition("triage", facts.status, user.role, relationTo(user, facts));
  if (!check.ok) return { ok: false, formError: check.errorKey };
  const dueStart = startOfDayInZone(caller.dueDay, user.timeZone);
  if (!dueStart) return { ok: false, fieldErrors: { dueDate: ["cases:errors.dateInvalid"] } };
  const dueAt = new Date(dueStart.getTime() + 86_400_000 - 1);
  const ids = [caller.primaryId, ...caller.secondaryIds.filter((id) => id !== caller.primaryId)];
  const consultants = await db.user.findMany({ where: { id: { in: ids }, role: "CONSULTANT", active: true }, select: { id: true } });
  if (consultants.length !== ids.length) return { ok: false, fieldErrors: { primaryId: ["cases:errors.consultantInvalid"] } };
  const crossBorder = await checkCrossBorderExports(db, { caseIds: [facts.id], readerIds: ids });
  if (!crossBorder.ok) {
    await auditCase({
      db,
      user,
      meta,
      caseId: facts.id,
      action: "case.triage",
      outcome: "denied",
      details: { reason: crossBorder.errorKey, consultants: ids },
    });
    return { ok: false, formError: crossBorder.errorKey };
  }
  await db.$transaction([
    db.caseAssignment.deleteMany({ where: { caseId: facts.id } }),
    db.caseAssignment.createMany({
      data: ids.map((consultantId, i) => ({ caseId: facts.id, consultantId, role: i === 0 ? "PRIMARY" : "SECONDARY", assignedById: user.id })),
    }),
    db.case.update({ where: { id: facts.id }, data: { status: check.to, dueAt, ...NO_DUE_NOTICES_YET, version: { increment: 1 } } }),
    db.caseTransition.create({ data: { caseId: facts.id, fromStatus: facts.status, toStatus: check.to, action: "triage", actorId: user.id } }),
  ]);
  await recordCrossBorderExports(db, crossBorder.claims);
  await auditCase({ db, user, meta, caseId: facts.id, action: "case.triage", details: { consultants: ids, dueAt: dueAt.toISOString() } });
  await notifyCase(db, { kind: "caseAssigned", facts: { ...facts, status: check.to, assignedConsultantIds: ids }, candidateIds: ids });
  return { ok: true };
}

/**
 * Saves a narrative's translation if it renders every glossary term of the original as the glossary does, or the
 * translator accepted the difference; a reviewed translation also goes into the translation memory.
 */
export async function saveTranslation(
  caller: CaseCaller & { key: string; text: string; status: "DRAFT" | "REVIEWED"; acceptedTermIds: readonly string[] },
): Promise<StepResult> {
  const { user, facts, meta, key, text, status, db = getDb() } = caller;
  if (!caseAbilities(user, facts).translate) return { ok: false, formError: "cases:errors.actionNotAllowed" };
  const narrative = await db.narrativeField.findUnique({ where: { caseId_key: { caseId: facts.id, key } } });
  if (!narrative) return { ok: false, formError: "cases:errors.narrativeMissing" };
  const saved = await saveCheckedTranslation(
    db,
    {
      caseId: facts.id,
      narrativeKey: key,
      source: narrative.originalText,
      sourceLanguage: narrative.originalLanguage,
      target: text,
      reviewed: status === "REVIEWED",
      acceptedTermIds: caller.acceptedTermIds,
      userId: user.id,
    },
    (tx) =>
      tx.narrativeField.update({
        where: { id: narrative.id },
        data: { translationText: text, translationStatus: status, translatedById: user.id, translatedAt: new Date() },
      }),
  );
  if (!saved.ok) return { ok: false, formError: "cases:translation.glossaryMismatch" };
  await auditCase({
    db,
    user,
    meta,
    caseId: facts.id,
    action: "case.translate",
    details: { key, status, acceptedTerms: saved.acceptedTerms, memorySegments: saved.memorySegments },
  });
  await indexCase(db, facts.id);
  return { ok: true };
}

/** A message in the case's discussion: saved, audited, then sent live to everyone watching the case. */
export async function addComment(caller: CaseCaller & { body: string; language: string }): Promise<StepResult> {
  const { user, facts, meta, body, language, db = getDb() } = caller;
  if (!caseAbilities(user, facts).comment) return { ok: false, formError: "cases:errors.actionNotAllowed" };
  const comment = await db.caseComment.create({ data: { caseId: facts.id, authorId: user.id, body, language } });
  await auditCase({ db, user, meta, caseId: facts.id, action: "case.comment", details: { commentId: comment.id } });
  await notifyCaseComment(
    facts.id,
    { id: comment.id, author: user.displayName, language: comment.language, body: comment.body, createdAt: comment.createdAt.toISOString() },
    db,
  ).catch((error) => log("error", "live comment not sent", { caseId: facts.id, error: String(error) }));
  return { ok: true };
}
