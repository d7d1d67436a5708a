/**
 * A case's diagnosis in the reader's language: the primary site and histology
 * as the treating side wrote them, or, where they are in the other language,
 * the names of the case's ICD-10 and ICD-O-3 codes in the reader's.
 */
import { textLanguage, type TextLanguage } from "~/platform/text-language";

export type CodedTerm = { code: string; en: string; zh: string };
export type DiagnosisFacts = { primarySite: string | null; histology: string | null; siteTerm: CodedTerm | null; histologyTerm: CodedTerm | null };
export type ReaderText = { text: string; lang: TextLanguage };

function forReader(stored: string | null, term: CodedTerm | null, reader: TextLanguage): ReaderText | null {
  const text = stored?.trim() ?? "";
  if (text && textLanguage(text) === reader) return { text, lang: reader };
  if (term) return { text: reader === "zh-CN" ? term.zh : term.en, lang: reader };
  return text ? { text, lang: textLanguage(text) } : null;
}

/** Site and histology for a reader of the interface language given; a part nobody entered is null. */
export function diagnosisForReader(facts: DiagnosisFacts, language: string): { site: ReaderText | null; histology: ReaderText | null } {
  const reader: TextLanguage = language === "zh-CN" ? "zh-CN" : "en";
  return { site: forReader(facts.primarySite, facts.siteTerm, reader), histology: forReader(facts.histology, facts.histologyTerm, reader) };
}
