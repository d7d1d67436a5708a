/**
 * Text pieces of the opinion PDF that need no drawing: the case summary's
 * lines in the reader's language, how an instant is printed on a given clock,
 * and whether a section has anything to print. No I/O.
 */
import type { TFunction } from "i18next";
import { stagingText, vocabularyLabel } from "~/features/cases/case-summary-text";
import { CANCER_TYPES, labelKeys, SEXES } from "~/features/cases/clinical-vocabulary";
import { filled, type SectionBody, type SectionName } from "~/features/opinions/opinion-content";
import { textLanguage, type Locale } from "~/i18n/locales";
import { localDateTimeInZone, zoneOffsetMs } from "~/platform/time-zones";

const SEX_KEYS = labelKeys("sexes", SEXES);
const CANCER_TYPE_KEYS = labelKeys("cancerTypes", CANCER_TYPES);

/** A code of a reference list with its titles, where the list knows the code. */
export type CodedTerm = { code: string; en: string | null; zh: string | null };

/** What the PDF's case summary says, as the packet stores it (no identity: a pseudonymous code, age and sex). */
export type CaseSummaryFacts = {
  code: string;
  ageAtSubmission: number | null;
  sex: string | null;
  cancerType: string | null;
  /** The staging as stored (JSON). */
  staging: string;
  primarySite: string | null;
  histology: string | null;
  /** The current translations of the site and histology as written, into the other language (absent: none). */
  primarySiteTranslation?: string | null;
  histologyTranslation?: string | null;
  /** The primary site's code (ICD-O-3 topography, else ICD-10) and the ICD-O-3 morphology code (histology). */
  siteCode: CodedTerm | null;
  icdO3: CodedTerm | null;
  /** The first biomarkers in the packet's order (the summary lists up to `SUMMARY_BIOMARKERS`), and how many there are. */
  biomarkerCount: number;
  biomarkers: readonly { gene: string; alteration: string | null; method: string | null; result: string | null; vaf: number | null }[];
};

/** A line of the summary: its value in the reader's language (or in none), and the text written in the other language, labelled as the original. */
export type SummaryLine = { label: string; value: string; original: string | null };
export type CaseSummaryText = { title: string; lines: SummaryLine[]; biomarkersLabel: string; biomarkers: SummaryLine[]; biomarkersLeftOut: number };

/** The most biomarkers the summary lists; the rest are counted. */
export const SUMMARY_BIOMARKERS = 12;

/**
 * The case summary in the reader's language. Vocabulary, codes and staging are translated; free text (primary site,
 * histology, a biomarker's alteration and result) in the reader's language (or in none, such as "L858R") goes with the
 * value, and text in the other language follows as the original, its translation (the site's and histology's, where
 * someone made one) going with the value.
 */
export function caseSummaryText(facts: CaseSummaryFacts, locale: Locale, t: TFunction): CaseSummaryText {
  const asWritten = (texts: (string | null)[]) => {
    const written = texts.filter((text): text is string => filled(text));
    const foreign = written.filter((text) => (textLanguage(text) ?? locale) !== locale);
    const language = foreign.length > 0 ? textLanguage(foreign[0]) : null;
    return {
      readable: written.filter((text) => !foreign.includes(text)),
      original: language ? `${t("cases:translation.original", { language: t(`cases:languages.${language}`) })}${t("pdf:colon")}${foreign.join(" · ")}` : null,
    };
  };
  const coded = (label: string, term: CodedTerm | null, freeText: string | null, translation: string | null | undefined): SummaryLine => {
    const title = term && (locale === "zh-CN" ? term.zh : term.en);
    const { readable, original } = asWritten([freeText]);
    const translated = original && translation ? [translation] : [];
    const value = [term && [term.code, title].filter(Boolean).join(" "), ...readable, ...translated].filter(Boolean).join(" · ");
    return { label, value: value || "—", original };
  };
  const biomarkers = facts.biomarkers.slice(0, SUMMARY_BIOMARKERS).map((b): SummaryLine => {
    const { readable, original } = asWritten([b.alteration, b.result]);
    const vaf = b.vaf === null ? null : t("pdf:summary.vaf", { value: b.vaf });
    return { label: b.gene, value: [...readable, b.method, vaf].filter(Boolean).join(" · ") || "—", original };
  });
  const plain = (label: string, value: string): SummaryLine => ({ label, value, original: null });
  return {
    title: t("cases:summary.title"),
    lines: [
      plain(t("pdf:caseCode"), facts.code),
      plain(t("cases:form.age"), facts.ageAtSubmission === null ? "—" : t("pdf:summary.age", { age: facts.ageAtSubmission })),
      plain(t("cases:form.sex"), vocabularyLabel(SEX_KEYS, facts.sex, t)),
      plain(t("cases:form.cancerType"), vocabularyLabel(CANCER_TYPE_KEYS, facts.cancerType, t)),
      plain(t("cases:form.staging"), stagingText(facts.staging, t)),
      coded(t("pdf:summary.primarySite"), facts.siteCode, facts.primarySite, facts.primarySiteTranslation),
      coded(t("pdf:summary.histology"), facts.icdO3, facts.histology, facts.histologyTranslation),
    ],
    biomarkersLabel: t("cases:form.biomarkers"),
    biomarkers,
    biomarkersLeftOut: Math.max(0, facts.biomarkerCount - biomarkers.length),
  };
}

/** "UTC+08:00", "UTC-07:00", "UTC+05:45". */
export function utcOffsetLabel(instant: Date, timeZone: string): string {
  const minutes = Math.round(zoneOffsetMs(instant, timeZone) / 60_000);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** "2026-03-14 09:30 America/Los_Angeles (UTC-07:00)": the same in both languages, and unambiguous. */
export function zonedTimestamp(instant: Date, timeZone: string): string {
  const { date, time } = localDateTimeInZone(instant, timeZone);
  return `${date} ${time} ${timeZone} (${utcOffsetLabel(instant, timeZone)})`;
}

/** Whether a section body says anything at all; an empty optional section prints as "None". */
export function sectionHasContent<S extends SectionName>(name: S, body: SectionBody<S>): boolean {
  switch (name) {
    case "diagnosis": {
      const b = body as SectionBody<"diagnosis">;
      return Boolean(b.diagnosis.agreement || b.stage.agreement) || [b.diagnosis.comment, b.stage.comment, b.comment].some(filled);
    }
    case "plan": {
      const b = body as SectionBody<"plan">;
      return b.items.length > 0 || filled(b.summary);
    }
    case "workup":
    case "dissent":
      return (body as SectionBody<"workup" | "dissent">).items.some(filled);
    case "trials":
      return (body as SectionBody<"trials">).items.some((t) => filled(t.description) || filled(t.registryId));
    case "references":
      return (body as SectionBody<"references">).items.length > 0;
    case "answers":
      return (body as SectionBody<"answers">).items.some((a) => filled(a.answer));
    default:
      return false;
  }
}
