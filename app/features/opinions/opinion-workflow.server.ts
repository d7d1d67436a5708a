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
import { draftFromBoard, emptyOpinion, SECTION_BODY_SCHEMAS, type SectionName, type TranslationStatus } from "~/features/opinions/opinion-content";
import { deliveryProblems, signingProblems } from "~/features/opinions/opinion-rules";
import { withTranslations } from "~/features/opinions/opinion-translation";
import type { OutcomeReportInput } from "~/features/opinions/outcome-report";
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
import { draftClosed, draftSectionSaved } from "~/features/opinions/draft-presence.server";
import { recordAudit } from "~/features/audit/audit.server";
import type { CurrentUser } from "~/features/identity/auth.server";
import { auditCase, type CaseCaller } from "~/features/cases/case-access.server";
import { getDb, type Db } from "~/platform/db.server";
import { clearLoginFailures, recordLoginFailure, throttleRemainingMs } from "~/features/identity/login-throttle.server";
import { notifyCase } from "~/features/notifications/notifications.server";
import { verifyPassword } from "~/features/identity/password.server";
import { checkSecondFactor } from "~/features/identity/mfa.server";

export type OpinionStepResult =
  { ok: true; opinionId?: string } | { ok: false; status: 400 | 403 | 404 | 409; formError?: string; fieldErrors?: FieldProblems; conflict?: SectionConflict };
export type SectionConflict = { section: SectionName; theirs: { version: number; content: unknown; byName: string | null }; yours: unknown };

/** The abilities that do not depend on a version's state (which each step checks under its own conditions). */
const may = (user: CurrentUser, facts: CaseFactsRow): OpinionAbilities => opinionAbilities(user, facts, null);

const refused = (formError: string, status: 400 | 403 | 404 | 409 = 400): OpinionStepResult => ({ ok: false, status, formError });
const NOT_ALLOWED = "cases:errors.actionNotAllowed";

async function opinionOf(db: Db, caseId: string, opinionId: string): Promise<OpinionVersion | null> {
  return (await listOpinionVersions(db, caseId)).find((v) => v.id === opinionId) ?? null;
}

/** Starts the first version: from the board's summary of the case, or from scratch. */
export async function startOpinion({ user, facts, meta, origin, db = getDb() }: CaseCaller & { origin: "BOARD" | "SCRATCH" }): Promise<OpinionStepResult> {
  if (!may(user, facts).draft) return refused(NOT_ALLOWED, 403);
  const versions = await listOpinionVersions(db, facts.id);
  if (versions.length > 0) return { ok: true, opinionId: versions[versions.length - 1].id };
  const questions = await caseQuestions(db, facts.id);
  const summaries = origin === "BOARD" ? await boardSummaries(db, facts.id) : [];
  if (origin === "BOARD" && summaries.length === 0) return refused("opinions:errors.noBoardSummary");
  const content = origin === "BOARD" ? draftFromBoard(summaries, questions) : emptyOpinion(questions);
  const created =
    (await createOpinionDraft(db, { caseId: facts.id, version: 1, origin, content, createdById: user.id })) ?? (await listOpinionVersions(db, facts.id))[0];
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.start", details: { opinionId: created.id, origin } });
  return { ok: true, opinionId: created.id };
}

/**
 * An amendment: a new draft version with the signed content of the one it
 * replaces, and a reason (required, as AmendForm checks) recipients will see.
 * Only `draft` is asked of opinionAbilities: that the newest version is signed
 * or delivered, and that no amendment was started meanwhile, are conflicts with
 * the opinion's state (409), checked here and atomically in the store, not a
 * refusal of the user (403).
 */
export async function startAmendment({ user, facts, meta, reason, db = getDb() }: CaseCaller & { reason: string }): Promise<OpinionStepResult> {
  if (!may(user, facts).draft) return refused(NOT_ALLOWED, 403);
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
    amendmentReason: reason,
  });
  if (!created) return refused("opinions:errors.amendmentStarted", 409);
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.amend", details: { opinionId: created.id, previousId: latest.id, reason } });
  return { ok: true, opinionId: created.id };
}

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
export async function saveSection({
  user,
  facts,
  meta,
  db = getDb(),
  ...input
}: CaseCaller & {
  opinionId: string;
  section: SectionName;
  baseVersion: number;
  kind: "english" | "translation";
  content: string;
  translationStatus?: TranslationStatus;
}): Promise<OpinionStepResult> {
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
    await auditCase({
      db,
      user,
      meta,
      caseId: facts.id,
      action: "opinion.editConflict",
      details: { opinionId: opinion.id, section: input.section, baseVersion: input.baseVersion, current: saved.theirs.version },
    });
    return {
      ok: false,
      status: 409,
      conflict: {
        section: input.section,
        theirs: { version: saved.theirs.version, content: saved.theirs.content, byName: by?.displayName ?? null },
        yours: saved.yours,
      },
    };
  }
  if (saved.changed) {
    await auditCase({
      db,
      user,
      meta,
      caseId: facts.id,
      action: input.kind === "english" ? "opinion.editSection" : "opinion.translateSection",
      details: { opinionId: opinion.id, section: input.section, version: saved.version },
    });
    draftSectionSaved({ opinionId: opinion.id, section: input.section, version: saved.version, byUserId: user.id, byName: user.displayName });
  }
  return { ok: true, opinionId: opinion.id };
}

/** Signing: the consultant's password again, an opinion with nothing missing, and the sections exactly as the signer reviewed them. */
export async function signDraft({
  user,
  facts,
  meta,
  db = getDb(),
  ...input
}: CaseCaller & { opinionId: string; password: string; code: string; reviewedVersions: Record<string, number> }): Promise<OpinionStepResult> {
  if (!may(user, facts).sign) return refused(NOT_ALLOWED, 403);
  const check = checkTransition("sign", facts.status, user.role, { ownInstitution: false, assigned: true });
  if (!check.ok) return refused(check.errorKey, 409);
  // Its own count: wrong signing passwords neither lock the signer out of signing in nor use up their sign-in attempts.
  const subject = [{ kind: "sign" as const, value: user.id }];
  if ((await throttleRemainingMs(db, subject)) > 0) return refused("opinions:errors.signThrottled", 400);
  const account = await db.user.findUnique({ where: { id: user.id }, select: { passwordHash: true, mfaEnabledAt: true } });
  if (!account || !input.password || !(await verifyPassword(account.passwordHash, input.password))) {
    await recordLoginFailure(db, subject);
    await recordAudit(db, {
      actor: user,
      action: "opinion.sign",
      outcome: "denied",
      entityType: "Case",
      entityId: facts.id,
      details: { opinionId: input.opinionId, reason: "wrongPassword" },
      meta,
    });
    return { ok: false, status: 400, fieldErrors: { password: ["opinions:errors.wrongPassword"] } };
  }
  await clearLoginFailures(db, subject);
  // A signer with a second factor gives it again: a password seen over a shoulder does not sign.
  if (account.mfaEnabledAt) {
    const second = await checkSecondFactor(db, user.id, input.code, meta, "sign");
    if (!second.ok)
      return { ok: false, status: 400, fieldErrors: { code: [second.reason === "throttled" ? "opinions:errors.signThrottled" : "auth:mfa.wrongCode"] } };
  }
  const opinion = await opinionOf(db, facts.id, input.opinionId);
  if (!opinion) return refused("opinions:errors.notFound", 404);
  if (opinion.status !== "DRAFT") return refused("opinions:errors.notDraft", 409);
  const problems = signingProblems(opinion.content, await caseQuestions(db, facts.id));
  if (Object.keys(problems).length > 0) return { ok: false, status: 400, formError: "opinions:errors.notReadyToSign", fieldErrors: problems };
  const signed = await signOpinion(db, {
    opinionId: opinion.id,
    caseId: facts.id,
    userId: user.id,
    reviewedVersions: input.reviewedVersions,
    fromStatuses: TRANSITIONS.sign.from,
    now: new Date(),
  });
  if (!signed.ok)
    return refused(
      signed.reason === "changed"
        ? "opinions:errors.changedSinceReview"
        : signed.reason === "wrongStatus"
          ? "cases:errors.wrongStatus"
          : "opinions:errors.notDraft",
      409,
    );
  await auditCase({
    db,
    user,
    meta,
    caseId: facts.id,
    action: "opinion.sign",
    details: { opinionId: opinion.id, version: opinion.version, contentHash: signed.contentHash },
  });
  await indexCase(db, facts.id);
  draftClosed(opinion.id);
  await notifyCase(db, { kind: "opinionSigned", facts: { ...facts, status: TRANSITIONS.sign.to } });
  return { ok: true, opinionId: opinion.id };
}

/** The coordinator's explicit decision that a signed version goes out in English only (or its undoing). */
export async function decideEnglishOnly({
  user,
  facts,
  meta,
  opinionId,
  englishOnly,
  db = getDb(),
}: CaseCaller & { opinionId: string; englishOnly: boolean }): Promise<OpinionStepResult> {
  if (!may(user, facts).manageDelivery) return refused(NOT_ALLOWED, 403);
  const opinion = await opinionOf(db, facts.id, opinionId);
  if (!opinion) return refused("opinions:errors.notFound", 404);
  if (!(await setEnglishOnly(db, opinion.id, englishOnly, user.id))) return refused("opinions:errors.notSigned", 409);
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.englishOnly", details: { opinionId: opinion.id, englishOnly } });
  return { ok: true, opinionId: opinion.id };
}

/**
 * Delivery to treating physicians of the submitting institution, and to no one
 * else: any other recipient (another institution's physician, a coordinator, a
 * consultant, an address that is no account) refuses the whole delivery and
 * the attempt is audited.
 */
export async function deliver({
  user,
  facts,
  meta,
  opinionId,
  recipients,
  db = getDb(),
}: CaseCaller & { opinionId: string; recipients: readonly string[] }): Promise<OpinionStepResult> {
  if (!may(user, facts).manageDelivery) return refused(NOT_ALLOWED, 403);
  const opinion = await opinionOf(db, facts.id, opinionId);
  if (!opinion) return refused("opinions:errors.notFound", 404);
  const requested = [...new Set(recipients.map((r) => r.trim()).filter(Boolean))];
  if (requested.length === 0) return { ok: false, status: 400, fieldErrors: { recipients: ["opinions:errors.recipientRequired"] } };
  const users = await db.user.findMany({
    where: { id: { in: requested.filter((r) => r.length <= 40) } },
    select: { id: true, role: true, institutionId: true, active: true },
  });
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
  await auditCase({
    db,
    user,
    meta,
    caseId: facts.id,
    action: "opinion.deliver",
    details: { opinionId: opinion.id, version: opinion.version, recipients: [...valid], contentHash: opinion.contentHash },
  });
  await notifyCase(db, { kind: "opinionDelivered", facts: { ...facts, status: TRANSITIONS.deliver.to }, candidateIds: [...valid] });
  return { ok: true, opinionId: opinion.id };
}

/**
 * The treating physician's acknowledgement of the newest delivered version.
 * Only `ask` is asked of opinionAbilities: a version that is not the newest
 * delivered one, not delivered to this user or already acknowledged is a
 * conflict with its state (409), which the store checks atomically, not a
 * refusal of the user (403) as `acknowledge` of that version would answer.
 */
export async function acknowledge({ user, facts, meta, opinionId, db = getDb() }: CaseCaller & { opinionId: string }): Promise<OpinionStepResult> {
  if (!may(user, facts).ask) return refused(NOT_ALLOWED, 403);
  const done = await acknowledgeOpinion(db, { opinionId, caseId: facts.id, userId: user.id, now: new Date() });
  if (done !== "acknowledged") return refused("opinions:errors.notToAcknowledge", 409);
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.acknowledge", details: { opinionId } });
  await notifyCase(db, { kind: "opinionAcknowledged", facts: { ...facts, status: TRANSITIONS.acknowledge.to } });
  return { ok: true, opinionId };
}

/** A follow-up question (as AskForm checks it) on a delivered version, for the consultants on the case and its signer. */
export async function askQuestion({
  user,
  facts,
  meta,
  opinionId,
  question,
  db = getDb(),
}: CaseCaller & { opinionId: string; question: string }): Promise<OpinionStepResult> {
  if (!may(user, facts).ask) return refused(NOT_ALLOWED, 403);
  const opinion = await opinionOf(db, facts.id, opinionId);
  if (!opinion || !opinion.deliveredAt) return refused("opinions:errors.notFound", 404);
  const asked = await askFollowUp(db, { opinionId: opinion.id, askedById: user.id, question });
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.followUpAsked", details: { opinionId: opinion.id, followUpId: asked.id } });
  await notifyCase(db, { kind: "followUpAsked", facts, candidateIds: facts.assignedConsultantIds });
  return { ok: true, opinionId: opinion.id };
}

/** One answer (as AnswerForm checks it) to a follow-up question, an addendum to the version asked about. */
export async function answerQuestion({
  user,
  facts,
  meta,
  opinionId,
  followUpId,
  answer,
  db = getDb(),
}: CaseCaller & { opinionId: string; followUpId: string; answer: string }): Promise<OpinionStepResult> {
  if (!may(user, facts).answer) return refused(NOT_ALLOWED, 403);
  const opinion = await opinionOf(db, facts.id, opinionId);
  const followUp = opinion?.followUps.find((f) => f.id === followUpId);
  if (!opinion || !followUp) return refused("opinions:errors.notFound", 404);
  if (!(await answerFollowUp(db, { followUpId: followUp.id, opinionId: opinion.id, answeredById: user.id, answer, now: new Date() })))
    return refused("opinions:errors.alreadyAnswered", 409);
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.followUpAnswered", details: { opinionId: opinion.id, followUpId: followUp.id } });
  await notifyCase(db, { kind: "followUpAnswered", facts, candidateIds: [followUp.askedById] });
  return { ok: true, opinionId: opinion.id };
}

/** The treating physician's report of what the opinion changed; reported again, it replaces the earlier report. */
export async function reportOutcome({
  user,
  facts,
  meta,
  changedDiagnosis,
  changedTreatment,
  actionTaken,
  db = getDb(),
}: CaseCaller & OutcomeReportInput): Promise<OpinionStepResult> {
  if (!may(user, facts).ask) return refused(NOT_ALLOWED, 403);
  await saveOutcome(db, facts.id, { changedDiagnosis, changedTreatment, actionTaken, reportedById: user.id, reportedAt: new Date() });
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.outcome", details: { changedDiagnosis, changedTreatment } });
  return { ok: true };
}

/**
 * Archives the delivered case. Only `manageDelivery` is asked of
 * opinionAbilities: a case no longer delivered or acknowledged (archived
 * already, say) and an amendment being drafted are conflicts with the case's
 * and the opinion's state (409), not a refusal of the coordinator (403) as
 * `archive` would answer.
 */
export async function archive({ user, facts, meta, db = getDb() }: CaseCaller): Promise<OpinionStepResult> {
  if (!may(user, facts).manageDelivery) return refused(NOT_ALLOWED, 403);
  const check = checkTransition("archive", facts.status, user.role, { ownInstitution: false, assigned: false });
  if (!check.ok) return refused(check.errorKey, 409);
  const versions = await listOpinionVersions(db, facts.id);
  if (versions.at(-1)?.status === "DRAFT") return refused("opinions:errors.amendmentOpen", 409);
  if ((await archiveCase(db, facts.id, user.id)) === "wrongStatus") return refused("cases:errors.wrongStatus", 409);
  await auditCase({ db, user, meta, caseId: facts.id, action: "case.archive", details: { from: facts.status } });
  return { ok: true };
}
