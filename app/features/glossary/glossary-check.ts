/**
 * The glossary check of a translation, one rule for the editor and the server: every glossary term the original
 * contains must appear in the translation as the glossary renders it, unless the translator accepted the difference
 * for that term. A term whose rendering still needs review is shown to the translator but not enforced.
 *
 * Terms are found leftmost-longest without overlap, so "non-small cell lung cancer" is one term, not also
 * "small cell lung cancer". Text in Latin script matches whole words, ignoring case (terms written only in capitals,
 * such as regimen abbreviations, match case), with hyphens and spaces alike and a plural on the last word, and may
 * touch Chinese characters; text with Chinese characters matches anywhere. Full-width Latin letters and digits count as their ASCII forms.
 */
export type GlossaryEntry = { id: string; en: string; zh: string; needsReview: boolean };
export type TermOccurrence = { termId: string; start: number; end: number };

export function termText(term: Pick<GlossaryEntry, "en" | "zh">, language: string): string {
  return language === "zh-CN" ? term.zh : term.en;
}

/** Full-width ASCII and the ideographic space as ASCII, one character for one, so positions stay valid. */
export function foldWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}

const HAN = /\p{Script=Han}/u;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function pluralOf(word: string): string {
  if (/sis$/i.test(word)) return `${escape(word.slice(0, -2))}(?:is|es)`;
  if (/[^aeiou]y$/i.test(word)) return `${escape(word.slice(0, -1))}(?:y|ies)`;
  return `${escape(word)}(?:s|es)?`;
}

const matchers = new Map<string, RegExp>();
/** Latin letters and digits: a Latin term needs none next to it, while Chinese characters may touch it ("EGFR突变"). */
const WORD_CHARACTER = /[\p{Script=Latin}\p{N}]/u;
const isWordCharacter = (c: string | undefined) => c !== undefined && WORD_CHARACTER.test(c);

/** Where `term` (one language's text of a glossary term) occurs in `folded` (text after foldWidth). */
function* occurrencesOf(folded: string, term: string): Generator<[number, number]> {
  const wanted = foldWidth(term).trim();
  if (!wanted) return;
  if (HAN.test(wanted)) {
    const haystack = folded.toLowerCase();
    const needle = wanted.toLowerCase();
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) yield [at, at + needle.length];
    return;
  }
  let matcher = matchers.get(wanted);
  if (!matcher) {
    // Without the u flag and Unicode classes, which make each of some 500 expressions slow to run; word edges are checked below.
    const abbreviation = !/\p{Ll}/u.test(wanted);
    const words = wanted.split(/[\s\-‐‑–]+/).filter(Boolean);
    const last = abbreviation ? escape(words.at(-1)!) : pluralOf(words.at(-1)!);
    matcher = new RegExp([...words.slice(0, -1).map(escape), last].join("[\\s\\-‐‑–]+"), abbreviation ? "g" : "gi");
    matchers.set(wanted, matcher);
  }
  for (const match of folded.matchAll(matcher)) {
    const end = match.index + match[0].length;
    if (!isWordCharacter(folded[match.index - 1]) && !isWordCharacter(folded[end])) yield [match.index, end];
  }
}

/** Whether `text` contains `term` (one language's text of a glossary term) by the rules above. */
export function containsTerm(text: string, term: string): boolean {
  return !occurrencesOf(foldWidth(text), term).next().done;
}

/** The glossary terms in `text` (written in `language`), leftmost-longest and without overlap, in order. */
export function findTerms(text: string, language: string, glossary: readonly GlossaryEntry[]): TermOccurrence[] {
  const folded = foldWidth(text);
  const found: TermOccurrence[] = [];
  for (const term of glossary) for (const [start, end] of occurrencesOf(folded, termText(term, language))) found.push({ termId: term.id, start, end });
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: TermOccurrence[] = [];
  for (const occurrence of found) if (occurrence.start >= (kept.at(-1)?.end ?? 0)) kept.push(occurrence);
  return kept;
}

/** Each glossary term of `text` once, in the order they first occur. */
export function termsIn<T extends GlossaryEntry>(text: string, language: string, glossary: readonly T[]): T[] {
  const byId = new Map(glossary.map((term) => [term.id, term]));
  return [...new Set(findTerms(text, language, glossary).map((o) => o.termId))].map((id) => byId.get(id)!);
}

/** The terms of the original whose confirmed rendering the translation lacks. */
export function missingRenderings<T extends GlossaryEntry>(sourceTerms: readonly T[], target: string, targetLanguage: string): T[] {
  return sourceTerms.filter((term) => !term.needsReview && !containsTerm(target, termText(term, targetLanguage)));
}

/** The save rule: the mismatches the translator has not accepted. Empty means the translation may be saved. */
export function unacceptedMismatches<T extends GlossaryEntry>(mismatches: readonly T[], acceptedTermIds: readonly string[]): T[] {
  return mismatches.filter((term) => !acceptedTermIds.includes(term.id));
}
