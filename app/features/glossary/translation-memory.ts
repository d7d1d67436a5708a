/**
 * Translation memory: reviewed translations, kept sentence by sentence, offered again for originals that are the
 * same or close.
 *
 * Segments. A reviewed narrative is split into sentences (after 。！？!? , after a full stop followed by a space,
 * and at line breaks). When the original and the translation have as many sentences, each pair is one segment;
 * otherwise the whole narrative is one, since pairing sentences by guess would teach the memory wrong
 * translations. Segments longer than MAX_SEGMENT_LENGTH are not kept.
 *
 * Matching. Texts are compared after folding width, case and runs of white space ("match keys"), by character-level
 * edit distance: similarity = 1 − distance / length of the longer, which treats a Chinese character and a Latin
 * letter alike. A suggestion for a narrative is the better of its closest whole segment and the closest segment of
 * each of its sentences (every sentence must have one), at least FUZZY_THRESHOLD; its percentage is the
 * length-weighted mean, rounded down, so 100% means identical match keys. Sentence by sentence is tried for
 * narratives of up to MAX_SENTENCES sentences, which bounds the work a page asks for.
 *
 * Access. Narratives are de-identified, but a close match still copies another case's wording, and any digit in it
 * (a date, a dose, an age, a count) would carry that case's facts into this one unnoticed. So a segment whose
 * original or translation holds a digit or anything identifier-like is "specific" and offered only when identical.
 * Which cases segments may come from (same institution, cases the translator may read) is decided by the server.
 */
import { findIdentifiers } from "~/features/cases/identifier-check";
import { foldWidth } from "./glossary-check";
import type { TextLanguage } from "~/features/translation/translated-text";

export const FUZZY_THRESHOLD = 0.75;
export const MAX_SEGMENT_LENGTH = 1000;
export const MAX_SENTENCES = 60;

export type SegmentPair = { source: string; target: string };
export type MemoryCandidate = { id: string; sourceText: string; targetText: string; specific: boolean };
export type MemorySuggestion = { text: string; match: number; segmentIds: string[] };

export function matchKey(text: string): string {
  return foldWidth(text).toLowerCase().replace(/\s+/g, " ").trim();
}

export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[。！？!?])|(?<=\.)(?=\s)|\n+/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

/** The segments a reviewed translation adds to the memory. */
export function alignSegments(source: string, target: string): SegmentPair[] {
  const sources = splitSentences(source);
  const targets = splitSentences(target);
  const pairs =
    sources.length === targets.length ? sources.map((s, i) => ({ source: s, target: targets[i] })) : [{ source: source.trim(), target: target.trim() }];
  return pairs.filter((pair) => pair.source && pair.target && pair.source.length <= MAX_SEGMENT_LENGTH && pair.target.length <= MAX_SEGMENT_LENGTH);
}

export function isSpecific(text: string): boolean {
  return /\d/.test(foldWidth(text)) || findIdentifiers(text).length > 0;
}

/** How many characters of one string have no counterpart in the other: never more than their edit distance. */
function bagDistance(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const c of a) counts.set(c, (counts.get(c) ?? 0) + 1);
  let onlyInB = 0;
  for (const c of b) {
    const n = counts.get(c) ?? 0;
    if (n > 0) counts.set(c, n - 1);
    else onlyInB++;
  }
  let onlyInA = 0;
  for (const n of counts.values()) onlyInA += n;
  return Math.max(onlyInA, onlyInB);
}

/** Levenshtein distance of two match keys, or Infinity once it must exceed `limit` (only the band |i − j| ≤ limit is computed). */
function boundedDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit || bagDistance(a, b) > limit) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => (j <= limit ? j : Infinity));
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(Infinity);
    if (i <= limit) current[0] = i;
    let best = current[0];
    for (let j = Math.max(1, i - limit); j <= Math.min(b.length, i + limit); j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, current[j]);
    }
    if (best > limit) return Infinity;
    previous = current;
  }
  return previous[b.length];
}

function keySimilarity(x: string, y: string, atLeast: number): number {
  const longer = Math.max(x.length, y.length);
  if (longer === 0) return 1;
  const distance = boundedDistance(x, y, Math.floor((1 - atLeast) * longer));
  return distance === Infinity ? 0 : 1 - distance / longer;
}

/** Similarity of two texts from 0 to 1 by the rule above; anything under `atLeast` counts as 0. */
export function similarity(a: string, b: string, atLeast = 0): number {
  return keySimilarity(matchKey(a), matchKey(b), atLeast);
}

/** The length window a candidate's match key must fall in to reach FUZZY_THRESHOLD against a key of this length. */
export function candidateLengths(length: number): { min: number; max: number } {
  return { min: Math.ceil(length * FUZZY_THRESHOLD), max: Math.floor(length / FUZZY_THRESHOLD) };
}

type Keyed = MemoryCandidate & { key: string };

function closest(key: string, candidates: readonly Keyed[]): { candidate: Keyed; score: number } | null {
  let best: { candidate: Keyed; score: number } | null = null;
  for (const candidate of candidates) {
    const score = keySimilarity(key, candidate.key, FUZZY_THRESHOLD);
    if (score < FUZZY_THRESHOLD || (candidate.specific && score < 1)) continue;
    if (!best || score > best.score) best = { candidate, score };
  }
  return best;
}

/** The memory's suggestion for `source`, translated into `targetLanguage`, from candidates newest first; null when none is close enough. */
export function suggestTranslation(source: string, targetLanguage: TextLanguage, candidates: readonly MemoryCandidate[]): MemorySuggestion | null {
  const keyed = candidates.map((candidate) => ({ ...candidate, key: matchKey(candidate.sourceText) }));
  const percent = (score: number) => Math.floor(score * 100 + 1e-9);
  const whole = source.length <= MAX_SEGMENT_LENGTH ? closest(matchKey(source), keyed) : null;
  const sentences = splitSentences(source).map(matchKey);
  const parts = sentences.length > 1 && sentences.length <= MAX_SENTENCES ? sentences.map((sentence) => closest(sentence, keyed)) : [];
  const found = parts.every(Boolean) ? (parts as NonNullable<(typeof parts)[number]>[]) : [];
  if (found.length > 0) {
    const length = sentences.reduce((sum, sentence) => sum + sentence.length, 0);
    const score = found.reduce((sum, part, i) => sum + part.score * sentences[i].length, 0) / length;
    if (!whole || score > whole.score)
      return {
        text: found.map((part) => part.candidate.targetText).join(targetLanguage === "zh-CN" ? "" : " "),
        match: percent(score),
        segmentIds: found.map((part) => part.candidate.id),
      };
  }
  return whole ? { text: whole.candidate.targetText, match: percent(whole.score), segmentIds: [whole.candidate.id] } : null;
}

/** A suggestion the editor was filled with stays unreviewed until the translator edits it or accepts it as it is. */
export function isUnreviewedSuggestion(text: string, suggestion: string | undefined, acceptedAsIs: boolean): boolean {
  return suggestion !== undefined && !acceptedAsIs && text.trim() === suggestion.trim();
}
