/**
 * A clinical value as every reader gets it (the loaders build it from the stored codes with clinical-codes.ts): the coded
 * terms with their titles in both languages, and the text as it was entered. A reader sees the value in their language
 * first and what was entered one click away.
 */
import { textLanguage } from "~/i18n/locales";

export type CodedTerm = { code: string; en: string; zh: string };
export type ReaderLanguage = "en" | "zh-CN";

/** The terms a value was coded with and the text as entered (the original beside the codes, or all there is). */
export type ClinicalValue = { terms: CodedTerm[]; text: string | null };

export function clinicalValue(terms: (CodedTerm | undefined)[], text: string | null | undefined): ClinicalValue {
  return { terms: terms.filter((term): term is CodedTerm => Boolean(term)), text: text?.trim() || null };
}

export const titleIn = (term: CodedTerm, language: ReaderLanguage) => (language === "zh-CN" ? term.zh : term.en);

/**
 * What one reader sees of a value: the codes' titles in the reader's language first (with the codes where they mean
 * something to a reader, as ICD-O-3 sites do), and one click away the text as it was entered, or else the titles in
 * the other language. A value that is only text is shown as written, marked untranslated when it is in the other language.
 */
export type ShownValue = {
  first: string;
  firstLanguage: ReaderLanguage;
  untranslated: boolean;
  original: { text: string; language: ReaderLanguage; entered: boolean } | null;
};

export function shownTo(value: ClinicalValue, language: ReaderLanguage, options: { withCode?: boolean; separator?: string } = {}): ShownValue | null {
  const separator = options.separator ?? " + ";
  const other: ReaderLanguage = language === "zh-CN" ? "en" : "zh-CN";
  const title = (term: CodedTerm, lng: ReaderLanguage) =>
    [options.withCode || !titleIn(term, lng) ? term.code : "", titleIn(term, lng)].filter(Boolean).join(" ");
  if (value.terms.length > 0) {
    return {
      first: value.terms.map((term) => title(term, language)).join(separator),
      firstLanguage: language,
      untranslated: false,
      original: value.text
        ? { text: value.text, language: textLanguage(value.text) ?? language, entered: true }
        : { text: value.terms.map((term) => title(term, other)).join(separator), language: other, entered: false },
    };
  }
  if (!value.text) return null;
  // Codes, gene names and numbers are in neither language: every reader reads them as written.
  const written = textLanguage(value.text) ?? language;
  return { first: value.text, firstLanguage: written, untranslated: written !== language, original: null };
}

/** A value coded from a vocabulary with i18n labels (a reason for stopping, say), shown as its label with the text as entered one click away. */
export function shownLabel(label: string | null, text: string | null | undefined, language: ReaderLanguage): ShownValue | null {
  const entered = text?.trim() || null;
  if (!label) return shownTo(clinicalValue([], entered), language);
  return {
    first: label,
    firstLanguage: language,
    untranslated: false,
    original: entered ? { text: entered, language: textLanguage(entered) ?? language, entered: true } : null,
  };
}
