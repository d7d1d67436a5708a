/**
 * What a translator of case narratives gets beside the glossary: the glossary check of each save, the record of
 * terms accepted anyway, and the translation memory (stored on review, suggested for untranslated narratives).
 *
 * Memory suggestions come only from cases of the same institution as the case being translated that the translator
 * may read themselves (their case list's scope), so a suggestion never shows text its reader could not open; each read
 * of another case's segment is audited on that case. translation-memory.ts says what else limits them.
 */
import { createHash } from "node:crypto";
import { auditCase, type CaseCaller } from "~/features/cases/case-access.server";
import { caseScope } from "~/features/cases/case-access";
import { caseScopeWhere } from "~/features/cases/case-store.server";
import type { Db } from "~/platform/db.server";
import { findTerms, termsIn, missingRenderings, unacceptedMismatches, type GlossaryEntry } from "./glossary-check";
import type { TranslationAid } from "./translation-aids";
import { alignSegments, candidateLengths, isSpecific, matchKey, MAX_SEGMENT_LENGTH, splitSentences, suggestTranslation } from "./translation-memory";
import { otherLanguage } from "~/features/translation/translated-text";

/** Newest first, at most this many segments are compared with one narrative. */
const MEMORY_CANDIDATES = 2000;

type Narrative = { key: string; originalLanguage: string; originalText: string; translationText: string | null };

export const sourceHash = (text: string) => createHash("sha256").update(matchKey(text)).digest("hex");

function glossaryEntries(db: Db) {
  return db.glossaryTerm.findMany({ select: { id: true, en: true, zh: true, needsReview: true, note: true } });
}

async function memorySuggestion({ user, facts, meta, db }: Required<CaseCaller>, narrative: Narrative) {
  const sentences = splitSentences(narrative.originalText);
  const lengths = [...sentences, ...(narrative.originalText.length <= MAX_SEGMENT_LENGTH ? [narrative.originalText] : [])].map((t) => matchKey(t).length);
  const candidates = await db.translationMemorySegment.findMany({
    where: {
      sourceLanguage: narrative.originalLanguage,
      case: { AND: [caseScopeWhere(caseScope(user)), { institutionId: facts.institutionId }] },
      OR: [
        { sourceHash: { in: [narrative.originalText, ...sentences].map(sourceHash) } },
        { specific: false, sourceLength: { gte: candidateLengths(Math.min(...lengths)).min, lte: candidateLengths(Math.max(...lengths)).max } },
      ],
    },
    orderBy: { updatedAt: "desc" },
    take: MEMORY_CANDIDATES,
    select: { id: true, caseId: true, sourceText: true, targetText: true, specific: true },
  });
  const suggestion = suggestTranslation(narrative.originalText, otherLanguage(narrative.originalLanguage), candidates);
  if (!suggestion) return null;
  const sourceCases = new Set(candidates.filter((c) => suggestion.segmentIds.includes(c.id) && c.caseId !== facts.id).map((c) => c.caseId));
  for (const caseId of sourceCases)
    await auditCase({ db, user, meta, caseId, action: "case.translationMemory", details: { forCaseId: facts.id, narrativeKey: narrative.key } });
  return { text: suggestion.text, match: suggestion.match };
}

/** For each narrative: its original's glossary terms and where they are, the terms accepted anyway, and a memory suggestion if it is untranslated. */
export async function translationAids(caller: Required<CaseCaller>, narratives: readonly Narrative[]): Promise<Record<string, TranslationAid>> {
  const { facts, db } = caller;
  const glossary = await glossaryEntries(db);
  const acceptances = await db.glossaryTermAcceptance.findMany({ where: { caseId: facts.id }, orderBy: { acceptedAt: "asc" } });
  const people = await db.user.findMany({
    where: { id: { in: [...new Set(acceptances.map((a) => a.acceptedById))] } },
    select: { id: true, displayName: true },
  });
  const nameOf = new Map(people.map((p) => [p.id, p.displayName]));
  const aids: Record<string, TranslationAid> = {};
  for (const narrative of narratives) {
    const hash = sourceHash(narrative.originalText);
    aids[narrative.key] = {
      terms: termsIn(narrative.originalText, narrative.originalLanguage, glossary),
      occurrences: findTerms(narrative.originalText, narrative.originalLanguage, glossary),
      accepted: acceptances
        .filter((a) => a.narrativeKey === narrative.key && a.sourceHash === hash)
        .map((a) => ({ termId: a.termId, by: nameOf.get(a.acceptedById) ?? null, at: a.acceptedAt })),
      suggestion: narrative.translationText ? null : await memorySuggestion(caller, narrative),
    };
  }
  return aids;
}

/** The glossary check of a save: the mismatches the translator has not accepted (the save is refused unless none), and those accepted. */
export async function checkAgainstGlossary(
  db: Db,
  input: { source: string; sourceLanguage: string; target: string; acceptedTermIds: readonly string[] },
): Promise<{ unaccepted: GlossaryEntry[]; accepted: GlossaryEntry[] }> {
  const sourceTerms = termsIn(input.source, input.sourceLanguage, await glossaryEntries(db));
  const mismatches = missingRenderings(sourceTerms, input.target, otherLanguage(input.sourceLanguage));
  const unaccepted = unacceptedMismatches(mismatches, input.acceptedTermIds);
  return { unaccepted, accepted: mismatches.filter((term) => !unaccepted.includes(term)) };
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * A translation's save through the glossary check: refused unless every glossary term of the original is rendered as
 * the glossary does or accepted; else `write` stores the translation and, in the same transaction, `recordTranslation`
 * keeps the acceptances and (when reviewed) the memory's segments. Answers what the save's audit records.
 */
export async function saveCheckedTranslation(
  db: Db,
  input: Parameters<typeof recordTranslation>[1],
  write: (tx: Tx) => Promise<unknown>,
): Promise<{ ok: false } | { ok: true; acceptedTerms: string[]; memorySegments: number }> {
  const glossary = await checkAgainstGlossary(db, input);
  if (glossary.unaccepted.length > 0) return { ok: false };
  const memorySegments = await db.$transaction(async (tx) => {
    await write(tx);
    return recordTranslation(tx, { ...input, acceptedTermIds: glossary.accepted.map((term) => term.id) });
  });
  return { ok: true, acceptedTerms: glossary.accepted.map((term) => term.en), memorySegments };
}

/**
 * In the transaction that saves a translation: records the terms accepted anyway (the first acceptance of a term for
 * this original keeps its who and when) and, for a reviewed translation, its segments in the memory. Returns how many segments.
 */
export async function recordTranslation(
  tx: Pick<Db, "glossaryTermAcceptance" | "translationMemorySegment">,
  input: {
    caseId: string;
    narrativeKey: string;
    source: string;
    sourceLanguage: string;
    target: string;
    reviewed: boolean;
    acceptedTermIds: readonly string[];
    userId: string;
  },
): Promise<number> {
  const hash = sourceHash(input.source);
  for (const termId of input.acceptedTermIds)
    await tx.glossaryTermAcceptance.upsert({
      where: { caseId_narrativeKey_sourceHash_termId: { caseId: input.caseId, narrativeKey: input.narrativeKey, sourceHash: hash, termId } },
      create: { caseId: input.caseId, narrativeKey: input.narrativeKey, sourceHash: hash, termId, acceptedById: input.userId },
      update: {},
    });
  if (!input.reviewed) return 0;
  const segments = alignSegments(input.source, input.target);
  for (const segment of segments) {
    const kept = {
      sourceText: segment.source,
      targetText: segment.target,
      specific: isSpecific(segment.source) || isSpecific(segment.target),
      translatedById: input.userId,
    };
    const key = { caseId: input.caseId, sourceLanguage: input.sourceLanguage, sourceHash: sourceHash(segment.source) };
    await tx.translationMemorySegment.upsert({
      where: { caseId_sourceLanguage_sourceHash: key },
      create: { ...key, ...kept, sourceLength: matchKey(segment.source).length },
      update: kept,
    });
  }
  return segments.length;
}
