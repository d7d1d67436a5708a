/**
 * The PIPL export ledger's rules. Health data is sensitive personal information; under the 2024
 * Provisions on Promoting and Regulating Cross-Border Data Flows (art. 7-8), a data handler that
 * provides sensitive personal information of fewer than 10,000 individuals abroad since 1 January
 * needs a filed standard contract (or certification), and from 10,000 a CAC security assessment,
 * which is valid for three years. A case counts as one individual, once per calendar year.
 */

export const CROSS_BORDER_BASES = ["STANDARD_CONTRACT", "SECURITY_ASSESSMENT"] as const;
export type CrossBorderBasis = (typeof CROSS_BORDER_BASES)[number];

export const SENSITIVE_ASSESSMENT_THRESHOLD = 10_000;
export const WARNING_SHARE = 0.8;
const ASSESSMENT_VALID_YEARS = 3;

export const CROSS_BORDER_BASIS_LABEL_KEYS: Record<CrossBorderBasis, string> = {
  STANDARD_CONTRACT: "admin:crossBorder.bases.STANDARD_CONTRACT",
  SECURITY_ASSESSMENT: "admin:crossBorder.bases.SECURITY_ASSESSMENT",
};

export type InstitutionBasis = { crossBorderBasis: string | null; crossBorderReference: string | null; crossBorderDate: Date | null };

export type ExportRefusal = "noBasis" | "assessmentRequired" | "assessmentExpired";

export const EXPORT_REFUSAL_KEYS: Record<ExportRefusal, string> = {
  noBasis: "cases:errors.crossBorderNoBasis",
  assessmentRequired: "cases:errors.crossBorderAssessmentRequired",
  assessmentExpired: "cases:errors.crossBorderAssessmentExpired",
};

/** A reader is abroad when their institution is in another country than the case's (a reader without an institution counts as abroad). */
export function isAbroad(caseCountry: string, readerCountry: string | null | undefined): boolean {
  return readerCountry !== caseCountry;
}

/** The calendar year of an instant in the institution's time zone. */
export function yearIn(timeZone: string, at: Date): number {
  return Number(new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric" }).format(at));
}

/** Whether one more case of this institution may become readable abroad this year; a case already counted this year always may. */
export function exportRefusal(input: { basis: InstitutionBasis; countedThisYear: number; alreadyCounted: boolean; now: Date }): ExportRefusal | null {
  const { basis, countedThisYear, alreadyCounted, now } = input;
  if (alreadyCounted) return null;
  if (basis.crossBorderBasis === "SECURITY_ASSESSMENT") {
    if (!basis.crossBorderDate) return "noBasis";
    const expires = new Date(basis.crossBorderDate);
    expires.setUTCFullYear(expires.getUTCFullYear() + ASSESSMENT_VALID_YEARS);
    return now < expires ? null : "assessmentExpired";
  }
  if (basis.crossBorderBasis === "STANDARD_CONTRACT" && basis.crossBorderReference && basis.crossBorderDate)
    return countedThisYear + 1 < SENSITIVE_ASSESSMENT_THRESHOLD ? null : "assessmentRequired";
  return "noBasis";
}

export type LedgerLevel = "ok" | "warning" | "overThreshold";

/** Where an institution's count stands against the assessment threshold: a warning from 80%. */
export function ledgerLevel(count: number, basis: string | null): LedgerLevel {
  if (count >= SENSITIVE_ASSESSMENT_THRESHOLD && basis !== "SECURITY_ASSESSMENT") return "overThreshold";
  if (basis !== "SECURITY_ASSESSMENT" && count >= SENSITIVE_ASSESSMENT_THRESHOLD * WARNING_SHARE) return "warning";
  return "ok";
}
