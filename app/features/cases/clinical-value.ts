/**
 * A clinical value as every reader gets it (the loaders build it from the stored codes with clinical-codes.ts): the coded
 * terms with their titles in both languages, and the text as it was entered with its translation, if anyone made one. A
 * reader sees the value in their language first and what was entered one click away.
 */
import type { Translation } from "~/features/translation/translated-text";
import { textLanguage } from "~/i18n/locales";

export type CodedTerm = { code: string; en: string; zh: string };
export type ReaderLanguage = "en" | "zh-CN";

/** The terms a value was coded with, the text as entered (the original beside the codes, or all there is) and its current translation. */
export type ClinicalValue = { terms: CodedTerm[]; text: string | null; translation: Translation | null };

export function clinicalValue(terms: (CodedTerm | undefined)[], text: string | null | undefined, translation: Translation | null = null): ClinicalValue {
  const entered = text?.trim() || null;
  return { terms: terms.filter((term): term is CodedTerm => Boolean(term)), text: entered, translation: entered ? translation : null };
}

export const titleIn = (term: CodedTerm, language: ReaderLanguage) => (language === "zh-CN" ? term.zh : term.en);

/**
 * What one reader sees of a value: the codes' titles in the reader's language first (with the codes where they mean
 * something to a reader, as ICD-O-3 sites do), and one click away the text as it was entered (with its translation into
 * the reader's language, if there is one), or else the titles in the other language. A value that is only text is shown
 * in the reader's language: as written, or translated with the original one click away, or as written marked untranslated.
 */
export type ShownValue = {
  first: string;
  firstLanguage: ReaderLanguage;
  untranslated: boolean;
  /** Who translated `first`, when it is the translation of the text as entered. */
  translatedBy: Translation | null;
  original: { text: string; language: ReaderLanguage; entered: boolean; translation: Translation | null } | null;
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
      translatedBy: null,
      original: value.text
        ? entered(value.text, value.translation, language)
        : { text: value.terms.map((term) => title(term, other)).join(separator), language: other, entered: false, translation: null },
    };
  }
  if (!value.text) return null;
  const { language: written, translation } = entered(value.text, value.translation, language);
  if (translation)
    return { first: translation.text, firstLanguage: language, untranslated: false, translatedBy: translation, original: entered(value.text, null, language) };
  return { first: value.text, firstLanguage: written, untranslated: written !== language, translatedBy: null, original: null };
}

/** A value coded from a vocabulary with i18n labels (a reason for stopping, say), shown as its label with the text as entered one click away. */
export function shownLabel(
  label: string | null,
  text: string | null | undefined,
  language: ReaderLanguage,
  translation: Translation | null = null,
): ShownValue | null {
  const value = clinicalValue([], text, translation);
  if (!label) return shownTo(value, language);
  return {
    first: label,
    firstLanguage: language,
    untranslated: false,
    translatedBy: null,
    original: value.text ? entered(value.text, value.translation, language) : null,
  };
}

/** Text as entered, in the language it is written in, with its translation where that is the reader's language. */
function entered(text: string, translation: Translation | null, reader: ReaderLanguage): NonNullable<ShownValue["original"]> {
  // Codes, gene names and numbers are in neither language: every reader reads them as written.
  const language = textLanguage(text) ?? reader;
  return { text, language, entered: true, translation: language === reader ? null : translation };
}
