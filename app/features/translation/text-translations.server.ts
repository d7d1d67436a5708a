/**
 * Translations of the texts of a case that cross sides outside the board room
 * (a return's reason, a follow-up's question and answer, a comment, the
 * packet's short free texts): who may
 * translate each kind (the same abilities the pages show), where its original
 * is read from, saving (one translation per text, the last replacing the one
 * before, checked against the glossary as a narrative's is and kept in the
 * translation memory, every save audited) and reading them back for the pages.
 */
import { caseAbilities, type CaseFacts } from "~/features/cases/case-access";
import { auditCase, type CaseCaller } from "~/features/cases/case-access.server";
import { saveCheckedTranslation, translationAids } from "~/features/glossary/translation-aids.server";
import type { TranslationAid } from "~/features/glossary/translation-aids";
import { storedPacketText } from "~/features/cases/case-store.server";
import { opinionAbilities } from "~/features/opinions/opinion-access";
import { getDb, type Db } from "~/platform/db.server";
import { textSha256 } from "~/platform/text-hash.server";
import type { Actor } from "~/features/identity/permissions";
import {
  detectLanguage,
  isTextLanguage,
  otherLanguage,
  subjectKey,
  type TextLanguage,
  type TextSubject,
  type TextSubjectType,
  type Translation,
} from "./translated-text";

type Original = { text: string; declaredLanguage: TextLanguage | null };

type SubjectRule = {
  /** Who may translate a text of this kind in this case. */
  mayTranslate: (actor: Actor, facts: CaseFacts) => boolean;
  /** The original, if the text is one of this case's. */
  original: (db: Db, caseId: string, id: string) => Promise<Original | null>;
};

const followUpText = (field: "question" | "answer") => async (db: Db, caseId: string, id: string) => {
  const found = await db.opinionFollowUp.findFirst({ where: { id, opinion: { caseId } }, select: { question: true, answer: true } });
  const text = found?.[field];
  return text ? { text, declaredLanguage: null } : null;
};
const mayTranslateFollowUps = (actor: Actor, facts: CaseFacts) => opinionAbilities(actor, facts, null).translateFollowUps;

const SUBJECTS: Record<TextSubjectType, SubjectRule> = {
  RETURN_REASON: {
    mayTranslate: (actor, facts) => caseAbilities(actor, facts).translate,
    original: async (db, caseId, id) => {
      const found = await db.caseTransition.findFirst({ where: { id, caseId, action: "return" }, select: { reason: true } });
      return found?.reason ? { text: found.reason, declaredLanguage: null } : null;
    },
  },
  COMMENT: {
    mayTranslate: (actor, facts) => caseAbilities(actor, facts).translate,
    original: async (db, caseId, id) => {
      const found = await db.caseComment.findFirst({ where: { id, caseId }, select: { body: true, language: true } });
      return found ? { text: found.body, declaredLanguage: isTextLanguage(found.language) ? found.language : null } : null;
    },
  },
  FOLLOW_UP_QUESTION: { mayTranslate: mayTranslateFollowUps, original: followUpText("question") },
  FOLLOW_UP_ANSWER: { mayTranslate: mayTranslateFollowUps, original: followUpText("answer") },
  PACKET_FIELD: {
    mayTranslate: (actor, facts) => caseAbilities(actor, facts).translate,
    original: async (db, caseId, id) => {
      const text = await storedPacketText(db, caseId, id);
      return text ? { text, declaredLanguage: null } : null;
    },
  },
};

export type TextTranslationResult = { ok: true } | { ok: false; status: 400 | 403 | 404; formError: string };

/**
 * Saves the user's translation of one of the case's texts, if they may translate it and it renders every glossary term
 * of the original as the glossary does (or the translator accepted each other rendering), replacing any earlier one.
 * A person's translation of a short text is final when saved (there is no draft of one), so it goes into the memory.
 */
export async function saveTextTranslation(
  caller: CaseCaller & { subject: TextSubject; text: string; acceptedTermIds?: readonly string[] },
): Promise<TextTranslationResult> {
  const { user, facts, meta, subject, text, db = getDb() } = caller;
  const details = { subjectType: subject.type, subjectId: subject.id };
  if (!SUBJECTS[subject.type].mayTranslate(user, facts)) {
    await auditCase({ db, user, meta, caseId: facts.id, action: "case.translateText", outcome: "denied", details });
    return { ok: false, status: 403, formError: "common:translation.notAllowed" };
  }
  const original = await SUBJECTS[subject.type].original(db, facts.id, subject.id);
  if (!original) return { ok: false, status: 404, formError: "common:translation.notFound" };
  const sourceLanguage = original.declaredLanguage ?? detectLanguage(original.text);
  const translation = {
    caseId: facts.id,
    originalSha256: textSha256(original.text),
    sourceLanguage,
    sourceDeclared: original.declaredLanguage !== null,
    language: otherLanguage(sourceLanguage),
    text,
    translatedById: user.id,
    translatedAt: new Date(),
  };
  const saved = await saveCheckedTranslation(
    db,
    {
      caseId: facts.id,
      narrativeKey: subjectKey(subject),
      source: original.text,
      sourceLanguage,
      target: text,
      reviewed: true,
      acceptedTermIds: caller.acceptedTermIds ?? [],
      userId: user.id,
    },
    (tx) =>
      tx.textTranslation.upsert({
        where: { subjectType_subjectId: { subjectType: subject.type, subjectId: subject.id } },
        create: { subjectType: subject.type, subjectId: subject.id, ...translation },
        update: translation,
      }),
  );
  if (!saved.ok) return { ok: false, status: 400, formError: "cases:translation.glossaryMismatch" };
  await auditCase({
    db,
    user,
    meta,
    caseId: facts.id,
    action: "case.translateText",
    details: { ...details, language: translation.language, acceptedTerms: saved.acceptedTerms, memorySegments: saved.memorySegments },
  });
  return { ok: true };
}

/**
 * The translations of the given texts of a case (or of the cases of a list) that
 * still translate their originals as they are, keyed by `subjectKey`, with the
 * translator's name.
 */
export async function textTranslations(
  db: Db,
  caseIds: string | readonly string[],
  originals: readonly { subject: TextSubject; text: string }[],
): Promise<Record<string, Translation>> {
  if (originals.length === 0) return {};
  const rows = await db.textTranslation.findMany({
    where: {
      caseId: typeof caseIds === "string" ? caseIds : { in: [...caseIds] },
      OR: originals.map(({ subject }) => ({ subjectType: subject.type, subjectId: subject.id })),
    },
    select: { subjectType: true, subjectId: true, originalSha256: true, text: true, translatedById: true, translatedAt: true },
  });
  const people = await db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.translatedById))] } }, select: { id: true, displayName: true } });
  const names = new Map(people.map((p) => [p.id, p.displayName]));
  const current = new Map(originals.map(({ subject, text }) => [subjectKey(subject), textSha256(text)]));
  const found: Record<string, Translation> = {};
  for (const row of rows) {
    const key = subjectKey({ type: row.subjectType as TextSubjectType, id: row.subjectId });
    if (current.get(key) === row.originalSha256) found[key] = { text: row.text, byName: names.get(row.translatedById) ?? null, at: row.translatedAt };
  }
  return found;
}

/**
 * The translation editor's aids for each of the given texts the user may translate (keyed by `subjectKey`): the
 * original's glossary terms, those accepted anyway, and the memory's suggestion while it is untranslated.
 */
export async function textTranslationAids(
  caller: Required<CaseCaller>,
  originals: readonly { subject: TextSubject; text: string; declaredLanguage?: string | null }[],
  translations: Record<string, Translation>,
): Promise<Record<string, TranslationAid>> {
  const mayTranslate = originals.filter(({ subject }) => SUBJECTS[subject.type].mayTranslate(caller.user, caller.facts));
  if (mayTranslate.length === 0) return {};
  return translationAids(
    caller,
    mayTranslate.map(({ subject, text, declaredLanguage }) => ({
      key: subjectKey(subject),
      originalLanguage: isTextLanguage(declaredLanguage) ? declaredLanguage : detectLanguage(text),
      originalText: text,
      translationText: translations[subjectKey(subject)]?.text ?? null,
    })),
  );
}
