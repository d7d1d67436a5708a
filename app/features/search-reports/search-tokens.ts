/**
 * Search tokens for English and Chinese text, the same for the index and the
 * query. Latin words and numbers become lower-case tokens without diacritics
 * ("EGFR", "L858R", "NCT01234567" stay whole); a run of CJK characters becomes
 * its overlapping bigrams followed by its last character alone, so a
 * two-character term such as 肺癌 is one token, a longer one a phrase of
 * bigrams, and a single character is a prefix of some token. Every token is
 * only letters and digits, which both full-text engines (SQLite FTS5 unicode61,
 * PostgreSQL's 'simple' configuration) take as one word. No I/O.
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;
const MAX_TOKEN_LENGTH = 64;
const MAX_QUERY_LENGTH = 200;
const MAX_QUERY_TERMS = 12;

/** One character folded for matching: compatibility forms unified (full-width, ligatures), diacritics dropped, lower case. */
function foldChar(char: string): string {
  return char
    .normalize("NFKC")
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .normalize("NFC")
    .toLowerCase();
}

/** The text folded for matching, with, for each folded character, the index of the original character it came from. */
export function foldWithMap(text: string): { folded: string; origin: number[] } {
  let folded = "";
  const origin: number[] = [];
  let index = 0;
  for (const char of text) {
    const out = foldChar(char);
    folded += out;
    for (let unit = 0; unit < out.length; unit++) origin.push(index);
    index += char.length;
  }
  return { folded, origin };
}

type Segment = { kind: "word" | "cjk"; text: string; spaceBefore: boolean };

/** Folded text cut into Latin words and CJK runs; everything else separates them. */
function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let current = null as Segment | null;
  let sawSpace = true;
  for (const char of foldWithMap(text).folded) {
    const kind = CJK.test(char) ? "cjk" : WORD.test(char) ? "word" : null;
    if (kind && current?.kind === kind) {
      current.text += char;
      continue;
    }
    if (current) out.push(current);
    current = null;
    if (kind) {
      current = { kind, text: char, spaceBefore: sawSpace };
      sawSpace = false;
    } else if (/\s/u.test(char)) {
      sawSpace = true;
    }
  }
  if (current) out.push(current);
  return out;
}

const cap = (token: string) => Array.from(token).slice(0, MAX_TOKEN_LENGTH).join("");

function cjkTokens(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  const bigrams = chars.slice(0, -1).map((char, i) => char + chars[i + 1]);
  return [...bigrams, chars[chars.length - 1]];
}

/** The index tokens of a text, in order. */
export function indexTokens(text: string): string[] {
  return segments(text).flatMap((segment) => (segment.kind === "word" ? [cap(segment.text)] : cjkTokens(segment.text)));
}

/** One query term: a phrase of tokens; `prefix` makes the last one match as a prefix. */
export type SearchTerm = { tokens: string[]; prefix: boolean; surface: string };

/**
 * The terms a user's query asks for, all of which must match. Each Latin word
 * is a prefix; words joined by punctuation without a space ("PD-L1",
 * "c.2573T>G") are one phrase; a CJK run is the phrase of its bigrams, a single
 * character a prefix. Anything else in the input is dropped, so no input can
 * reach the engines' query syntax.
 */
export function searchTerms(input: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  let latin: SearchTerm | null = null;
  for (const segment of segments(input.slice(0, MAX_QUERY_LENGTH))) {
    if (segment.kind === "word") {
      if (latin && !segment.spaceBefore) {
        latin.tokens.push(cap(segment.text));
        latin.surface += ` ${segment.text}`;
      } else {
        latin = { tokens: [cap(segment.text)], prefix: true, surface: segment.text };
        terms.push(latin);
      }
      continue;
    }
    latin = null;
    const chars = Array.from(segment.text);
    terms.push(
      chars.length === 1
        ? { tokens: chars, prefix: true, surface: segment.text }
        : { tokens: chars.slice(0, -1).map((char, i) => char + chars[i + 1]), prefix: false, surface: segment.text },
    );
  }
  const seen = new Set<string>();
  return terms
    .filter((term) => {
      const key = `${term.prefix}:${term.tokens.join(" ")}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_QUERY_TERMS);
}

const fts5String = (value: string) => `"${value.replace(/"/g, '""')}"`;
const tsqueryOperand = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

/** The terms as an SQLite FTS5 MATCH expression, or null when there is nothing to search for. */
export function fts5Query(terms: readonly SearchTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((term) => fts5String(term.tokens.join(" ")) + (term.prefix ? " *" : "")).join(" AND ");
}

/** The terms as a PostgreSQL tsquery (for to_tsquery('simple', …)), or null when there is nothing to search for. */
export function tsQuery(terms: readonly SearchTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms
    .map((term) => {
      const operands = term.tokens.map((token, i) => tsqueryOperand(token) + (term.prefix && i === term.tokens.length - 1 ? ":*" : ""));
      return operands.length === 1 ? operands[0] : `(${operands.join(" <-> ")})`;
    })
    .join(" & ");
}

/** Splits a long token list into pieces an engine can keep positions for, overlapping so a phrase across a cut still matches. */
export function chunkTokens(tokens: readonly string[], size = 8000, overlap = 64): string[][] {
  if (tokens.length <= size) return [tokens.slice()];
  const chunks: string[][] = [];
  for (let start = 0; start < tokens.length; start += size - overlap) {
    chunks.push(tokens.slice(start, start + size));
    if (start + size >= tokens.length) break;
  }
  return chunks;
}

export type Snippet = { before: string; match: string; after: string };

/**
 * A short piece of the first text where a term occurs, with the occurrence cut
 * out so a page can mark it. Matching folds case, width and diacritics as the
 * index does; a Latin term must start a word.
 */
export function snippetOf(texts: readonly string[], terms: readonly SearchTerm[], radius = 60): Snippet | null {
  for (const text of texts) {
    const { folded, origin } = foldWithMap(text);
    let best: { start: number; end: number } | null = null;
    for (const term of terms) {
      const needle = CJK.test(term.surface) ? term.surface : term.tokens[0];
      let from = 0;
      for (;;) {
        const at = folded.indexOf(needle, from);
        if (at < 0) break;
        const wordStart = CJK.test(needle) || at === 0 || !WORD.test(folded[at - 1]) || CJK.test(folded[at - 1]);
        if (wordStart) {
          let end = at + needle.length;
          if (!CJK.test(needle)) while (end < folded.length && WORD.test(folded[end]) && !CJK.test(folded[end])) end++;
          if (!best || at < best.start) best = { start: at, end };
          break;
        }
        from = at + 1;
      }
    }
    if (!best) continue;
    const start = origin[best.start];
    const end = best.end < origin.length ? origin[best.end] : text.length;
    const cutStart = Math.max(0, start - radius);
    const cutEnd = Math.min(text.length, end + radius);
    return {
      before: (cutStart > 0 ? "…" : "") + text.slice(cutStart, start),
      match: text.slice(start, end),
      after: text.slice(end, cutEnd) + (cutEnd < text.length ? "…" : ""),
    };
  }
  return null;
}
