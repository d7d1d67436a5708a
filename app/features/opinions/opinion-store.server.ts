/**
 * Data access for opinions: versions, their sections, recipients and
 * follow-ups. A draft's sections change one at a time under a version check;
 * a signed version keeps the content exactly as signed and is never written
 * again except to record its delivery or its replacement by an amendment.
 */
import { canonicalJson } from "~/platform/canonical-json";
import type { CaseStatus } from "~/features/cases/case-lifecycle";
import {
  OpinionContentSchema,
  questionsOf,
  SECTION_SCHEMAS,
  SECTIONS,
  type CaseQuestion,
  type OpinionContent,
  type SectionName,
} from "~/features/opinions/opinion-content";
import { applySectionEdit, withStaleTranslation } from "~/features/opinions/opinion-edit";
import { opinionContentHash } from "~/features/opinions/opinion-hash";
import { type Db, isUniqueViolation } from "~/platform/db.server";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const userName = { select: { id: true, displayName: true, timeZone: true } } as const;

export async function listOpinionVersions(db: Db, caseId: string) {
  const rows = await db.opinion.findMany({
    where: { caseId },
    orderBy: { version: "asc" },
    include: {
      sections: { select: { name: true, content: true, version: true, updatedById: true, updatedAt: true } },
      signedBy: userName,
      recipients: { select: { userId: true, deliveredAt: true, acknowledgedAt: true, user: userName }, orderBy: { deliveredAt: "asc" } },
      followUps: { orderBy: { askedAt: "asc" } },
    },
  });
  return rows.map((row) => ({
    ...row,
    content: contentOf(row),
    sectionVersions: Object.fromEntries(row.sections.map((s) => [s.name, s.version])) as Record<SectionName, number>,
  }));
}
export type OpinionVersion = Awaited<ReturnType<typeof listOpinionVersions>>[number];

/** The content of a version: as signed, or as the draft's sections now stand. */
function contentOf(opinion: { signedContent: string | null; sections: { name: string; content: string }[] }): OpinionContent {
  if (opinion.signedContent) return OpinionContentSchema.parse(JSON.parse(opinion.signedContent));
  const byName = new Map(opinion.sections.map((s) => [s.name, JSON.parse(s.content) as unknown]));
  return Object.fromEntries(SECTIONS.map((name) => [name, SECTION_SCHEMAS[name].parse(byName.get(name))])) as OpinionContent;
}

/** The physician's questions, in order, as written and (when there is one) translated. */
export async function caseQuestions(db: Db, caseId: string): Promise<(CaseQuestion & { translation: string | null })[]> {
  const rows = await db.narrativeField.findMany({
    where: { caseId, key: { startsWith: "question." } },
    select: { key: true, originalText: true, translationText: true },
    orderBy: { key: "asc" },
  });
  return questionsOf(rows.map((r) => ({ key: r.key, text: r.originalText, translation: r.translationText || null })));
}

/** The chair's summaries of the case from the boards that discussed it, oldest first. */
export async function boardSummaries(db: Db, caseId: string): Promise<string[]> {
  const items = await db.agendaItem.findMany({
    where: { caseId, boardSummary: { not: "" }, session: { status: { not: "CANCELLED" } } },
    orderBy: { session: { startsAt: "asc" } },
    select: { boardSummary: true },
  });
  return items.map((i) => i.boardSummary);
}

/** Creates a draft version with all its sections; null when that version number was taken meanwhile (someone else started it). */
export async function createOpinionDraft(
  db: Db,
  input: {
    caseId: string;
    version: number;
    origin: "BOARD" | "SCRATCH" | "AMENDMENT";
    content: OpinionContent;
    createdById: string;
    previousId?: string;
    amendmentReason?: string;
  },
) {
  try {
    return await db.opinion.create({
      data: {
        caseId: input.caseId,
        version: input.version,
        origin: input.origin,
        createdById: input.createdById,
        previousId: input.previousId ?? null,
        amendmentReason: input.amendmentReason ?? null,
        sections: { create: SECTIONS.map((name) => ({ name, content: canonicalJson(input.content[name]), updatedById: input.createdById })) },
      },
      select: { id: true },
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

type SectionSaveResult =
  | { ok: true; version: number; changed: boolean }
  | { ok: false; reason: "notDraft" }
  | { ok: false; reason: "conflict"; theirs: { version: number; content: unknown; updatedById: string | null }; yours: unknown };

/**
 * Saves one section of a draft made on top of `baseVersion`. The write only
 * lands on the version it was checked against and while the opinion is still a
 * draft, so two editors racing can never overwrite each other silently.
 */
export async function saveOpinionSection<S extends SectionName>(
  db: Db,
  input: { opinionId: string; name: S; baseVersion: number; content: unknown; userId: string },
): Promise<SectionSaveResult> {
  const current = await db.opinionSection.findFirst({ where: { opinionId: input.opinionId, name: input.name, opinion: { status: "DRAFT" } } });
  if (!current) return { ok: false, reason: "notDraft" };
  const schema = SECTION_SCHEMAS[input.name];
  const previous = schema.parse(JSON.parse(current.content));
  const next = withStaleTranslation(previous, schema.parse(input.content));
  const edit = applySectionEdit({ version: current.version, content: previous }, { baseVersion: input.baseVersion, content: next });
  if (!edit.ok)
    return { ok: false, reason: "conflict", theirs: { version: current.version, content: previous, updatedById: current.updatedById }, yours: next };
  if (edit.next.version === current.version) return { ok: true, version: current.version, changed: false };
  const written = await db.$transaction(async (tx) => {
    // Touching the opinion row first serialises this save with a signature (which claims the same row), so a save never lands beside a signed text.
    const stillDraft = await tx.opinion.updateMany({ where: { id: input.opinionId, status: "DRAFT" }, data: { updatedAt: new Date() } });
    if (stillDraft.count === 0) return { count: 0 };
    return tx.opinionSection.updateMany({
      where: { id: current.id, version: current.version },
      data: { content: canonicalJson(edit.next.content), version: edit.next.version, updatedById: input.userId },
    });
  });
  if (written.count === 1) return { ok: true, version: edit.next.version, changed: true };
  const now = await db.opinionSection.findFirst({ where: { id: current.id, opinion: { status: "DRAFT" } } });
  if (!now) return { ok: false, reason: "notDraft" };
  return {
    ok: false,
    reason: "conflict",
    theirs: { version: now.version, content: schema.parse(JSON.parse(now.content)), updatedById: now.updatedById },
    yours: next,
  };
}

export type SignResult = { ok: true; contentHash: string; content: OpinionContent } | { ok: false; reason: "notDraft" | "changed" | "wrongStatus" };

/**
 * Freezes a draft as signed: only if it is still a draft and its sections are
 * at the versions the signer reviewed. The content and its hash are stored as
 * signed; an amendment's predecessor is superseded; the case becomes
 * OPINION_SIGNED from one of `fromStatuses`.
 */
export async function signOpinion(
  db: Db,
  input: { opinionId: string; caseId: string; userId: string; reviewedVersions: Record<string, number>; fromStatuses: readonly CaseStatus[]; now: Date },
): Promise<SignResult> {
  try {
    return await db.$transaction(async (tx) => {
      const claimed = await tx.opinion.updateMany({ where: { id: input.opinionId, status: "DRAFT" }, data: { status: "SIGNED" } });
      if (claimed.count === 0) return { ok: false, reason: "notDraft" } as const;
      const sections = await tx.opinionSection.findMany({ where: { opinionId: input.opinionId }, select: { name: true, content: true, version: true } });
      if (sections.length !== SECTIONS.length || sections.some((s) => input.reviewedVersions[s.name] !== s.version)) throw new Changed();
      const content = contentOf({ signedContent: null, sections });
      const contentHash = opinionContentHash(content);
      const opinion = await tx.opinion.update({
        where: { id: input.opinionId },
        data: { signedContent: canonicalJson(content), contentHash, signedById: input.userId, signedAt: input.now },
        select: { previousId: true },
      });
      if (opinion.previousId) await tx.opinion.update({ where: { id: opinion.previousId }, data: { status: "SUPERSEDED" } });
      await moveCase(tx, input.caseId, input.fromStatuses, "OPINION_SIGNED", "sign", input.userId);
      return { ok: true, contentHash, content } as const;
    });
  } catch (error) {
    if (error instanceof Changed) return { ok: false, reason: "changed" };
    if (error instanceof WrongCaseStatus) return { ok: false, reason: "wrongStatus" };
    throw error;
  }
}

class Changed extends Error {}
class WrongCaseStatus extends Error {}

async function moveCase(tx: Tx, caseId: string, from: readonly CaseStatus[], to: CaseStatus, action: string, actorId: string) {
  const found = await tx.case.findUnique({ where: { id: caseId }, select: { status: true } });
  if (!found || !from.includes(found.status as CaseStatus)) throw new WrongCaseStatus();
  await tx.case.update({ where: { id: caseId }, data: { status: to, version: { increment: 1 }, ...(to === "ARCHIVED" ? { archivedAt: new Date() } : {}) } });
  await tx.caseTransition.create({ data: { caseId, fromStatus: found.status, toStatus: to, action, actorId } });
}

async function inCaseStep<T>(db: Db, step: (tx: Tx) => Promise<T>): Promise<T | "wrongStatus"> {
  try {
    return await db.$transaction(step);
  } catch (error) {
    if (error instanceof WrongCaseStatus) return "wrongStatus";
    throw error;
  }
}

export async function setEnglishOnly(db: Db, opinionId: string, englishOnly: boolean, userId: string): Promise<boolean> {
  const written = await db.opinion.updateMany({
    where: { id: opinionId, status: "SIGNED" },
    data: { englishOnly, englishOnlyById: englishOnly ? userId : null },
  });
  return written.count === 1;
}

/** Records delivery of a signed version to the given physicians and moves the case to DELIVERED. */
export async function deliverOpinion(db: Db, input: { opinionId: string; caseId: string; recipientIds: readonly string[]; userId: string; now: Date }) {
  return inCaseStep(db, async (tx) => {
    const claimed = await tx.opinion.updateMany({
      where: { id: input.opinionId, status: "SIGNED" },
      data: { status: "DELIVERED", deliveredAt: input.now, deliveredById: input.userId },
    });
    if (claimed.count === 0) return "notSigned" as const;
    await tx.opinionRecipient.createMany({ data: input.recipientIds.map((userId) => ({ opinionId: input.opinionId, userId, deliveredAt: input.now })) });
    await moveCase(tx, input.caseId, ["OPINION_SIGNED"], "DELIVERED", "deliver", input.userId);
    return "delivered" as const;
  });
}

/** The recipient's acknowledgement of the delivered version; the case becomes ACKNOWLEDGED on the first one. */
export async function acknowledgeOpinion(db: Db, input: { opinionId: string; caseId: string; userId: string; now: Date }) {
  return inCaseStep(db, async (tx) => {
    const written = await tx.opinionRecipient.updateMany({
      where: { opinionId: input.opinionId, userId: input.userId, acknowledgedAt: null, opinion: { caseId: input.caseId, status: "DELIVERED" } },
      data: { acknowledgedAt: input.now },
    });
    if (written.count === 0) return "notPending" as const;
    const found = await tx.case.findUnique({ where: { id: input.caseId }, select: { status: true } });
    if (found?.status === "DELIVERED") await moveCase(tx, input.caseId, ["DELIVERED"], "ACKNOWLEDGED", "acknowledge", input.userId);
    return "acknowledged" as const;
  });
}

export async function archiveCase(db: Db, caseId: string, userId: string) {
  return inCaseStep(db, (tx) => moveCase(tx, caseId, ["DELIVERED", "ACKNOWLEDGED"], "ARCHIVED", "archive", userId));
}

export function askFollowUp(db: Db, input: { opinionId: string; askedById: string; question: string }) {
  return db.opinionFollowUp.create({ data: input, select: { id: true } });
}

/** Answers an open follow-up once; a second answer to the same question is refused. */
export async function answerFollowUp(
  db: Db,
  input: { followUpId: string; opinionId: string; answeredById: string; answer: string; now: Date },
): Promise<boolean> {
  const written = await db.opinionFollowUp.updateMany({
    where: { id: input.followUpId, opinionId: input.opinionId, answeredAt: null },
    data: { answer: input.answer, answeredById: input.answeredById, answeredAt: input.now },
  });
  return written.count === 1;
}

export function saveOutcome(
  db: Db,
  caseId: string,
  input: { changedDiagnosis: string; changedTreatment: string; actionTaken: string; reportedById: string; reportedAt: Date },
) {
  return db.caseOutcome.upsert({ where: { caseId }, create: { caseId, ...input }, update: input, select: { id: true } });
}

export function getOutcome(db: Db, caseId: string) {
  return db.caseOutcome.findUnique({ where: { caseId } });
}
