/**
 * The code lists of a packet: the primary site by ICD-O-3 topography
 * (data/icdo3-topography.generated.ts), the histology by ICD-O-3 morphology (data/icdo3-morphology.json), and drugs by the
 * drug entries of the bilingual glossary (glossary/data/oncology-glossary.json; a drug's code is its English name).
 * Loaders turn stored codes into ClinicalValues (clinical-value.ts), so the pages never load these tables.
 */
import morphology from "./data/icdo3-morphology.json";
import { ICDO3_TOPOGRAPHY } from "./data/icdo3-topography.generated";
import glossary from "~/features/glossary/data/oncology-glossary.json";
import type { Translation } from "~/features/translation/translated-text";
import { clinicalValue, type ClinicalValue, type CodedTerm } from "./clinical-value";
import { packetTranslation, type PacketTextField } from "./packet-texts";

export const TOPOGRAPHY: readonly CodedTerm[] = ICDO3_TOPOGRAPHY;
export const MORPHOLOGY: readonly CodedTerm[] = morphology;
export const DRUGS: readonly CodedTerm[] = glossary.filter((term) => term.category === "drug").map(({ en, zh }) => ({ code: en, en, zh }));

const index = (terms: readonly CodedTerm[]) => new Map(terms.map((term) => [term.code, term]));
const byTitle = (terms: readonly CodedTerm[]) => new Map(terms.flatMap((term) => [[term.en.toLowerCase(), term] as const, [term.zh, term] as const]));
const TOPOGRAPHY_BY_CODE = index(TOPOGRAPHY);
const MORPHOLOGY_BY_CODE = index(MORPHOLOGY);
const DRUG_BY_CODE = index(DRUGS);
const DRUG_BY_NAME = byTitle(DRUGS);
const TOPOGRAPHY_BY_TITLE = byTitle(TOPOGRAPHY);
const MORPHOLOGY_BY_TITLE = byTitle(MORPHOLOGY);

export const topographyTerm = (code: string | null | undefined) => (code ? TOPOGRAPHY_BY_CODE.get(code) : undefined);
export const morphologyTerm = (code: string | null | undefined) => (code ? MORPHOLOGY_BY_CODE.get(code) : undefined);
export const drugTerm = (code: string) => DRUG_BY_CODE.get(code);

/** The codes whose title in either language contains the words searched for. */
export function codesTitled(terms: readonly CodedTerm[], search: string): string[] {
  const needle = search.trim().toLowerCase();
  return needle ? terms.filter((term) => term.en.toLowerCase().includes(needle) || term.zh.includes(needle)).map((term) => term.code) : [];
}

/** The site code a picked or typed value stands for: the code itself (any case) or exactly a title in either language. */
export function topographyCodeOf(input: string): string | undefined {
  const value = input.trim();
  return TOPOGRAPHY_BY_CODE.get(value.toUpperCase())?.code ?? TOPOGRAPHY_BY_TITLE.get(value.toLowerCase())?.code;
}

/** The morphology code a picked or typed value stands for: any ICD-O-3 morphology code (the list holds the common ones), or exactly a title of the list. */
export function morphologyCodeOf(input: string): string | undefined {
  const value = input.trim();
  return /^\d{4}\/[0-3]$/.test(value) ? value : MORPHOLOGY_BY_TITLE.get(value.toLowerCase())?.code;
}

/** The drug a picked or typed name stands for, by its English name (any case) or its Chinese name. */
export function drugCodeOf(input: string): string | undefined {
  return DRUG_BY_NAME.get(input.trim().toLowerCase())?.code;
}

/** A code this platform's lists do not hold (an ICD-O-3 morphology beyond them, say) is shown as the code alone. */
const termOrCode = (code: string | null | undefined, term: (code: string) => CodedTerm | undefined): CodedTerm | undefined =>
  code ? (term(code) ?? { code, en: "", zh: "" }) : undefined;

export const siteValue = (code: string | null, text: string | null, translation: Translation | null = null): ClinicalValue =>
  clinicalValue([termOrCode(code, topographyTerm)], text, translation);
export const histologyValue = (code: string | null, text: string | null, translation: Translation | null = null): ClinicalValue =>
  clinicalValue([termOrCode(code, morphologyTerm)], text, translation);
/** A treatment line's drugs, stored as a JSON array of drug codes, beside the regimen as typed. */
export const drugsValue = (drugsJson: string, text: string | null, translation: Translation | null = null): ClinicalValue =>
  clinicalValue(
    (JSON.parse(drugsJson) as string[]).map((code) => termOrCode(code, drugTerm)),
    text,
    translation,
  );

/**
 * A case's stored packet with each coded value ready to show (site, histology, each line's drugs beside its regimen as
 * typed), and the current translations of its short free texts (`packetTexts`, keyed by `subjectKey`).
 */
export function withClinicalValues<
  T extends {
    id: string;
    primarySiteCode: string | null;
    primarySite: string | null;
    icdO3Code: string | null;
    histology: string | null;
    treatmentLines: { id: string; drugs: string; regimen: string }[];
  },
>(detail: T, packetTranslations: Record<string, Translation>) {
  const translated = (rowId: string, field: PacketTextField) => packetTranslation(packetTranslations, rowId, field);
  return {
    ...detail,
    primarySiteValue: siteValue(detail.primarySiteCode, detail.primarySite, translated(detail.id, "primarySite")),
    histologyValue: histologyValue(detail.icdO3Code, detail.histology, translated(detail.id, "histology")),
    treatmentLines: detail.treatmentLines.map((line: T["treatmentLines"][number]) => ({
      ...line,
      regimenValue: drugsValue(line.drugs, line.regimen, translated(line.id, "regimen")),
    })),
    packetTranslations,
  };
}
