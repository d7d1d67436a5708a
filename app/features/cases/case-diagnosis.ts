/**
 * A case's diagnosis in the reader's language: the primary site and histology
 * as the treating side wrote them, or, where they are in the other language,
 * their translation, else the names of the case's ICD-10 and ICD-O-3 codes in
 * the reader's.
 */
import { textLanguage, type Locale } from "~/i18n/locales";

export type CodedTerm = { code: string; en: string; zh: string };
export type DiagnosisFacts = {
  primarySite: string | null;
  histology: string | null;
  siteTerm: CodedTerm | null;
  histologyTerm: CodedTerm | null;
  /** The current translations of the site and histology as written, into the other language. */
  siteTranslation?: string | null;
  histologyTranslation?: string | null;
};
export type ReaderText = { text: string; lang: Locale };

function forReader(stored: string | null, term: CodedTerm | null, translation: string | null | undefined, reader: Locale): ReaderText | null {
  const text = stored?.trim() ?? "";
  // Codes and gene names are in neither language: every reader reads them as written.
  const written = textLanguage(text) ?? reader;
  if (text && written === reader) return { text, lang: reader };
  if (text && translation) return { text: translation, lang: reader };
  if (term) return { text: reader === "zh-CN" ? term.zh : term.en, lang: reader };
  return text ? { text, lang: written } : null;
}

/** Site and histology for a reader of the interface language given; a part nobody entered is null. */
export function diagnosisForReader(facts: DiagnosisFacts, language: string): { site: ReaderText | null; histology: ReaderText | null } {
  const reader: Locale = language === "zh-CN" ? "zh-CN" : "en";
  return {
    site: forReader(facts.primarySite, facts.siteTerm, facts.siteTranslation, reader),
    histology: forReader(facts.histology, facts.histologyTerm, facts.histologyTranslation, reader),
  };
}
