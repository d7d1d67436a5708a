/**
 * What users do with a case's opinion: each step checks who may take it and
 * whether the opinion and the case are in a state that allows it, writes its
 * change atomically, audits it (refusals too), and notifies with a link only.
 */
import { z } from "zod";
import { checkTransition, TRANSITIONS } from "~/features/cases/case-lifecycle";
import { parseJsonOrNull } from "~/platform/json";
import type { FieldProblems } from "~/features/cases/case-packet";
import { isValidRecipient, opinionAbilities, type OpinionAbilities } from "~/features/opinions/opinion-access";
import { draftFromBoard, emptyOpinion, SECTION_BODY_SCHEMAS, SECTIONS, TRANSLATION_STATUSES, type SectionName } from "~/features/opinions/opinion-content";
import { deliveryProblems, signingProblems } from "~/features/opinions/opinion-rules";
import { withTranslations } from "~/features/opinions/opinion-translation";
import { OutcomeReportSchema } from "~/features/opinions/outcome-report";
import type { CaseFactsRow } from "~/features/cases/case-store.server";
import { indexCase } from "~/features/search-reports/search.server";
import {
  acknowledgeOpinion,
  answerFollowUp,
  archiveCase,
  askFollowUp,
  boardSummaries,
  caseQuestions,
  createOpinionDraft,
  deliverOpinion,
  listOpinionVersions,
  saveOpinionSection,
  saveOutcome,
  setEnglishOnly,
  signOpinion,
  type OpinionVersion,
} from "~/features/opinions/opinion-store.server";
import { draftClosed, draftSectionSaved } from "~/realtime/io.server";
import { recordAudit } from "~/features/audit/audit.server";
import type { CurrentUser } from "~/features/identity/auth.server";
import { auditCase } from "~/features/cases/case-access.server";
import type { Db } from "~/platform/db.server";
import { recordLoginFailure, throttleRemainingMs } from "~/features/identity/login-throttle.server";
import { notifyOpinion } from "~/features/notifications/notifications.server";
import { verifyPassword } from "~/features/identity/password.server";
import type { RequestMeta } from "~/platform/request-meta.server";

export type OpinionStepResult =
  | { ok: true; opinionId?: string }
  | { ok: false; status: 400 | 403 | 404 | 409; formError?: string; fieldErrors?: FieldProblems; conflict?: SectionConflict };
export type SectionConflict = { section: SectionName; theirs: { version: number; content: unknown; byName: string | null }; yours: unknown };

/** The abilities that do not depend on a version's state (which each step checks under its own conditions). */
const may = (user: CurrentUser, facts: CaseFactsRow): OpinionAbilities => opinionAbilities(user, facts, null);

const refused = (formError: string, status: 400 | 403 | 404 | 409 = 400): OpinionStepResult => ({ ok: false, status, formError });
const NOT_ALLOWED = "cases:errors.actionNotAllowed";

async function opinionOf(db: Db, caseId: string, opinionId: string): Promise<OpinionVersion | null> {
  return (await listOpinionVersions(db, caseId)).find((v) => v.id === opinionId) ?? null;
}

/** Starts the first version: from the board's summary of the case, or from scratch. */
export async function startOpinion(db: Db, user: CurrentUser, facts: CaseFactsRow, origin: "BOARD" | "SCRATCH", meta: RequestMeta): Promise<OpinionStepResult> {
  if (!may(user, facts).draft) return refused(NOT_ALLOWED, 403);
  const versions = await listOpinionVersions(db, facts.id);
  if (versions.length > 0) return { ok: true, opinionId: versions[versions.length - 1].id };
  const questions = await caseQuestions(db, facts.id);
  const summaries = origin === "BOARD" ? await boardSummaries(db, facts.id) : [];
  if (origin === "BOARD" && summaries.length === 0) return refused("opinions:errors.noBoardSummary");
  const content = origin === "BOARD" ? draftFromBoard(summaries, questions) : emptyOpinion(questions);
  const created = (await createOpinionDraft(db, { caseId: facts.id, version: 1, origin, content, createdById: user.id })) ?? (await listOpinionVersions(db, facts.id))[0];
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.start", details: { opinionId: created.id, origin } });
  return { ok: true, opinionId: created.id };
}

/** An amendment: a new draft version with the signed content of the one it replaces, and a reason recipients will see. */
export async function startAmendment(db: Db, user: CurrentUser, facts: CaseFactsRow, reason: string, meta: RequestMeta): Promise<OpinionStepResult> {
  if (!may(user, facts).draft) return refused(NOT_ALLOWED, 403);
  const trimmed = reason.trim();
  if (!trimmed) return { ok: false, status: 400, fieldErrors: { amendmentReason: ["opinions:errors.amendmentReasonRequired"] } };
  if (trimmed.length > 2000) return { ok: false, status: 400, fieldErrors: { amendmentReason: ["opinions:errors.tooLong"] } };
  const versions = await listOpinionVersions(db, facts.id);
  const latest = versions[versions.length - 1];
  if (!latest || (latest.status !== "SIGNED" && latest.status !== "DELIVERED")) return refused("opinions:errors.nothingToAmend", 409);
  const created = await createOpinionDraft(db, {
    caseId: facts.id,
    version: latest.version + 1,
    origin: "AMENDMENT",
    content: latest.content,
    createdById: user.id,
    previousId: latest.id,
    amendmentReason: trimmed,
  });
  if (!created) return refused("opinions:errors.amendmentStarted", 409);
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.amend", details: { opinionId: created.id, previousId: latest.id, reason: trimmed } });
  return { ok: true, opinionId: created.id };
}

const SectionEditSchema = z.object({
  opinionId: z.string().min(1).max(40),
  section: z.enum(SECTIONS),
  baseVersion: z.coerce.number().int().min(1),
  kind: z.enum(["english", "translation"]),
  content: z.string().max(200_000),
  translationStatus: z.enum(TRANSLATION_STATUSES).optional(),
});

function zodProblems(section: SectionName, error: z.ZodError): FieldProblems {
  const problems: FieldProblems = {};
  for (const issue of error.issues) {
    const path = [section, ...issue.path].map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
    (problems[path] ??= []).push(issue.message.startsWith("opinions:") ? issue.message : "opinions:errors.invalid");
  }
  return problems;
}

/**
 * Saves one section of a draft: its English (consultants on the case) or its
 * Chinese translation (those consultants and coordinators; the English's
 * strings are replaced in a copy of the English, so choices and codes stay the
 * same). A save made on an older version returns both texts.
 */
export async function saveSection(db: Db, user: CurrentUser, facts: CaseFactsRow, form: Record<string, unknown>, meta: RequestMeta): Promise<OpinionStepResult> {
  const parsed = SectionEditSchema.safeParse(form);
  if (!parsed.success) return refused("opinions:errors.invalid");
  const input = parsed.data;
  const allowed = input.kind === "english" ? may(user, facts).draft : may(user, facts).translate;
  if (!allowed) return refused(NOT_ALLOWED, 403);
  const opinion = await opinionOf(db, facts.id, input.opinionId);
  if (!opinion) return refused("opinions:errors.notFound", 404);
  if (opinion.status !== "DRAFT") return refused("opinions:errors.notDraft", 409);
  const current = opinion.content[input.section];
  const raw = parseJsonOrNull(input.content);
  let next: unknown;
  if (input.kind === "english") {
    const body = SECTION_BODY_SCHEMAS[input.section].safeParse(raw);
    if (!body.success) return { ok: false, status: 400, fieldErrors: zodProblems(input.section, body.error) };
    next = { ...current, en: body.data };
  } else {
    const translations = z.record(z.string().max(300), z.string().max(8000)).safeParse(raw);
    if (!translations.success) return refused("opinions:errors.invalid");
    next = {
      ...current,
      zh: withTranslations(current.en, new Map(Object.entries(translations.data))),
      translationStatus: input.translationStatus ?? "DRAFT",
      translatedById: user.id,
      translatedAt: new Date().toISOString(),
    };
  }
  const saved = await saveOpinionSection(db, { opinionId: opinion.id, name: input.section, baseVersion: input.baseVersion, content: next, userId: user.id });
  if (!saved.ok && saved.reason === "notDraft") return refused("opinions:errors.notDraft", 409);
  if (!saved.ok) {
    const by = saved.theirs.updatedById ? await db.user.findUnique({ where: { id: saved.theirs.updatedById }, select: { displayName: true } }) : null;
    await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.editConflict", details: { opinionId: opinion.id, section: input.section, baseVersion: input.baseVersion, current: saved.theirs.version } });
    return { ok: false, status: 409, conflict: { section: input.section, theirs: { version: saved.theirs.version, content: saved.theirs.content, byName: by?.displayName ?? null }, yours: saved.yours } };
  }
  if (saved.changed) {
    await auditCase({ db, user, meta, caseId: facts.id, action: input.kind === "english" ? "opinion.editSection" : "opinion.translateSection", details: { opinionId: opinion.id, section: input.section, version: saved.version } });
    draftSectionSaved({ opinionId: opinion.id, section: input.section, version: saved.version, byUserId: user.id, byName: user.displayName });
  }
  return { ok: true, opinionId: opinion.id };
}

/** Signing: the consultant's password again, an opinion with nothing missing, and the sections exactly as the signer reviewed them. */
export async function signDraft(
  db: Db,
  user: CurrentUser,
  facts: CaseFactsRow,
  input: { opinionId: string; password: string; reviewedVersions: Record<string, number> },
  meta: RequestMeta,
): Promise<OpinionStepResult> {
  if (!may(user, facts).sign) return refused(NOT_ALLOWED, 403);
  const check = checkTransition("sign", facts.status, user.role, { ownInstitution: false, assigned: true });
  if (!check.ok) return refused(check.errorKey, 409);
  const subject = [{ kind: "email" as const, value: user.email.toLowerCase() }];
  if ((await throttleRemainingMs(db, subject)) > 0) return refused("opinions:errors.signThrottled", 400);
  const account = await db.user.findUnique({ where: { id: user.id }, select: { passwordHash: true } });
  if (!account || !input.password || !(await verifyPassword(account.passwordHash, input.password))) {
    await recordLoginFailure(db, subject);
    await recordAudit(db, { actor: user, action: "opinion.sign", outcome: "denied", entityType: "Case", entityId: facts.id, details: { opinionId: input.opinionId, reason: "wrongPassword" }, meta });
    return { ok: false, status: 400, fieldErrors: { password: ["opinions:errors.wrongPassword"] } };
  }
  const opinion = await opinionOf(db, facts.id, input.opinionId);
  if (!opinion) return refused("opinions:errors.notFound", 404);
  if (opinion.status !== "DRAFT") return refused("opinions:errors.notDraft", 409);
  const problems = signingProblems(opinion.content, await caseQuestions(db, facts.id));
  if (Object.keys(problems).length > 0) return { ok: false, status: 400, formError: "opinions:errors.notReadyToSign", fieldErrors: problems };
  const signed = await signOpinion(db, { opinionId: opinion.id, caseId: facts.id, userId: user.id, reviewedVersions: input.reviewedVersions, fromStatuses: TRANSITIONS.sign.from, now: new Date() });
  if (!signed.ok) return refused(signed.reason === "changed" ? "opinions:errors.changedSinceReview" : signed.reason === "wrongStatus" ? "cases:errors.wrongStatus" : "opinions:errors.notDraft", 409);
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.sign", details: { opinionId: opinion.id, version: opinion.version, contentHash: signed.contentHash } });
  await indexCase(db, facts.id);
  draftClosed(opinion.id);
  const coordinators = await db.user.findMany({ where: { role: "COORDINATOR", active: true }, select: { id: true } });
  await notifyOpinion(db, { userIds: coordinators.map((c) => c.id), kind: "opinionSigned", caseId: facts.id });
  return { ok: true, opinionId: opinion.id };
}

export async function decideEnglishOnly(db: Db, user: CurrentUser, facts: CaseFactsRow, input: { opinionId: string; englishOnly: boolean }, meta: RequestMeta): Promise<OpinionStepResult> {
  if (!may(user, facts).manageDelivery) return refused(NOT_ALLOWED, 403);
  const opinion = await opinionOf(db, facts.id, input.opinionId);
  if (!opinion) return refused("opinions:errors.notFound", 404);
  if (!(await setEnglishOnly(db, opinion.id, input.englishOnly, user.id))) return refused("opinions:errors.notSigned", 409);
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.englishOnly", details: { opinionId: opinion.id, englishOnly: input.englishOnly } });
  return { ok: true, opinionId: opinion.id };
}

/**
 * Delivery to treating physicians of the submitting institution, and to no one
 * else: any other recipient (another institution's physician, a coordinator, a
 * consultant, an address that is no account) refuses the whole delivery and
 * the attempt is audited.
 */
export async function deliver(db: Db, user: CurrentUser, facts: CaseFactsRow, input: { opinionId: string; recipients: string[] }, meta: RequestMeta): Promise<OpinionStepResult> {
  if (!may(user, facts).manageDelivery) return refused(NOT_ALLOWED, 403);
  const opinion = await opinionOf(db, facts.id, input.opinionId);
  if (!opinion) return refused("opinions:errors.notFound", 404);
  const requested = [...new Set(input.recipients.map((r) => r.trim()).filter(Boolean))];
  if (requested.length === 0) return { ok: false, status: 400, fieldErrors: { recipients: ["opinions:errors.recipientRequired"] } };
  const users = await db.user.findMany({ where: { id: { in: requested.filter((r) => r.length <= 40) } }, select: { id: true, role: true, institutionId: true, active: true } });
  const valid = new Set(users.filter((u) => isValidRecipient(u, facts)).map((u) => u.id));
  const rejected = requested.filter((r) => !valid.has(r));
  if (rejected.length > 0) {
    await recordAudit(db, {
      actor: user,
      action: "opinion.deliver",
      outcome: "denied",
      entityType: "Case",
      entityId: facts.id,
      details: { opinionId: opinion.id, reason: "recipientNotTreatingPhysician", rejected: rejected.map((r) => r.slice(0, 200)) },
      meta,
    });
    return { ok: false, status: 403, fieldErrors: { recipients: ["opinions:errors.recipientRefused"] } };
  }
  if (opinion.status !== "SIGNED") return refused("opinions:errors.notSigned", 409);
  const problems = deliveryProblems(opinion.content, { englishOnly: opinion.englishOnly });
  if (Object.keys(problems).length > 0) return { ok: false, status: 400, formError: "opinions:errors.notReadyToDeliver", fieldErrors: problems };
  const check = checkTransition("deliver", facts.status, user.role, { ownInstitution: false, assigned: false });
  if (!check.ok) return refused(check.errorKey, 409);
  const delivered = await deliverOpinion(db, { opinionId: opinion.id, caseId: facts.id, recipientIds: [...valid], userId: user.id, now: new Date() });
  if (delivered !== "delivered") return refused(delivered === "wrongStatus" ? "cases:errors.wrongStatus" : "opinions:errors.notSigned", 409);
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.deliver", details: { opinionId: opinion.id, version: opinion.version, recipients: [...valid], contentHash: opinion.contentHash } });
  await notifyOpinion(db, { userIds: [...valid], kind: "opinionDelivered", caseId: facts.id });
  return { ok: true, opinionId: opinion.id };
}

export async function acknowledge(db: Db, user: CurrentUser, facts: CaseFactsRow, opinionId: string, meta: RequestMeta): Promise<OpinionStepResult> {
  if (!may(user, facts).ask) return refused(NOT_ALLOWED, 403);
  const done = await acknowledgeOpinion(db, { opinionId, caseId: facts.id, userId: user.id, now: new Date() });
  if (done !== "acknowledged") return refused("opinions:errors.notToAcknowledge", 409);
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.acknowledge", details: { opinionId } });
  return { ok: true, opinionId };
}

const FollowUpText = z.string().trim().min(1, "opinions:errors.followUpRequired").max(4000, "opinions:errors.tooLong");

export async function askQuestion(db: Db, user: CurrentUser, facts: CaseFactsRow, input: { opinionId: string; question: string }, meta: RequestMeta): Promise<OpinionStepResult> {
  if (!may(user, facts).ask) return refused(NOT_ALLOWED, 403);
  const question = FollowUpText.safeParse(input.question);
  if (!question.success) return { ok: false, status: 400, fieldErrors: { question: [question.error.issues[0].message] } };
  const opinion = await opinionOf(db, facts.id, input.opinionId);
  if (!opinion || !opinion.deliveredAt) return refused("opinions:errors.notFound", 404);
  const asked = await askFollowUp(db, { opinionId: opinion.id, askedById: user.id, question: question.data });
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.followUpAsked", details: { opinionId: opinion.id, followUpId: asked.id } });
  const consultants = [...facts.assignedConsultantIds, ...(opinion.signedById ? [opinion.signedById] : [])];
  await notifyOpinion(db, { userIds: consultants, kind: "followUpAsked", caseId: facts.id });
  return { ok: true, opinionId: opinion.id };
}

export async function answerQuestion(
  db: Db,
  user: CurrentUser,
  facts: CaseFactsRow,
  input: { opinionId: string; followUpId: string; answer: string },
  meta: RequestMeta,
): Promise<OpinionStepResult> {
  if (!may(user, facts).answer) return refused(NOT_ALLOWED, 403);
  const answer = FollowUpText.safeParse(input.answer);
  if (!answer.success) return { ok: false, status: 400, fieldErrors: { [`answer.${input.followUpId}`]: [answer.error.issues[0].message] } };
  const opinion = await opinionOf(db, facts.id, input.opinionId);
  const followUp = opinion?.followUps.find((f) => f.id === input.followUpId);
  if (!opinion || !followUp) return refused("opinions:errors.notFound", 404);
  if (!(await answerFollowUp(db, { followUpId: followUp.id, opinionId: opinion.id, answeredById: user.id, answer: answer.data, now: new Date() }))) return refused("opinions:errors.alreadyAnswered", 409);
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.followUpAnswered", details: { opinionId: opinion.id, followUpId: followUp.id } });
  await notifyOpinion(db, { userIds: [followUp.askedById], kind: "followUpAnswered", caseId: facts.id });
  return { ok: true, opinionId: opinion.id };
}

/** The treating physician's report of what the opinion changed; reported again, it replaces the earlier report. */
export async function reportOutcome(db: Db, user: CurrentUser, facts: CaseFactsRow, form: Record<string, unknown>, meta: RequestMeta): Promise<OpinionStepResult> {
  if (!may(user, facts).ask) return refused(NOT_ALLOWED, 403);
  const parsed = OutcomeReportSchema.safeParse(form);
  if (!parsed.success) {
    const fieldErrors: FieldProblems = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
    return { ok: false, status: 400, fieldErrors };
  }
  await saveOutcome(db, facts.id, { ...parsed.data, reportedById: user.id, reportedAt: new Date() });
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.outcome", details: { changedDiagnosis: parsed.data.changedDiagnosis, changedTreatment: parsed.data.changedTreatment } });
  return { ok: true };
}

export async function archive(db: Db, user: CurrentUser, facts: CaseFactsRow, meta: RequestMeta): Promise<OpinionStepResult> {
  if (!may(user, facts).manageDelivery) return refused(NOT_ALLOWED, 403);
  const check = checkTransition("archive", facts.status, user.role, { ownInstitution: false, assigned: false });
  if (!check.ok) return refused(check.errorKey, 409);
  const versions = await listOpinionVersions(db, facts.id);
  if (versions.at(-1)?.status === "DRAFT") return refused("opinions:errors.amendmentOpen", 409);
  if ((await archiveCase(db, facts.id, user.id)) === "wrongStatus") return refused("cases:errors.wrongStatus", 409);
  await auditCase({ db, user, meta, caseId: facts.id, action: "case.archive", details: { from: facts.status } });
  return { ok: true };
}
