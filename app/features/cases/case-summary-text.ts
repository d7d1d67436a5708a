/** The words of a case's summary that the case page and the opinion PDF share: vocabulary labels and the staging line. Pure. */
import type { TFunction } from "i18next";
import { ALTERATION_TYPES, ELN2022_RISKS, labelKeys, LUGANO_STAGES, RESULT_CODES, RESULT_UNITS } from "~/features/cases/clinical-vocabulary";
import { parseJsonOrNull } from "~/platform/json";

const LUGANO_KEYS = labelKeys("lugano", LUGANO_STAGES);
const ELN_KEYS = labelKeys("eln", ELN2022_RISKS);
const ALTERATION_KEYS: Record<string, string> = labelKeys("alterationTypes", ALTERATION_TYPES);
const RESULT_KEYS: Record<string, string> = labelKeys("resultCodes", RESULT_CODES);
const UNIT_KEYS: Record<string, string> = labelKeys("resultUnits", Object.keys(RESULT_UNITS));

type CodedBiomarker = { alterationType: string | null; hgvs: string | null; resultCode: string | null; resultValue: number | null; resultUnit: string | null };

/** A biomarker's alteration in the reader's language: its HGVS expression, else its coded type; null for neither. */
export function alterationText(b: CodedBiomarker, t: TFunction): string | null {
  return b.hgvs ?? (b.alterationType && ALTERATION_KEYS[b.alterationType] ? t(ALTERATION_KEYS[b.alterationType]) : null);
}

/** A biomarker's result in the reader's language: the coded result and the value with its unit ("positive · TPS 60%"); null for neither. */
export function resultText(b: CodedBiomarker, t: TFunction): string | null {
  const parts = [
    b.resultCode && RESULT_KEYS[b.resultCode] ? t(RESULT_KEYS[b.resultCode]) : null,
    b.resultValue !== null && b.resultUnit && UNIT_KEYS[b.resultUnit] ? t(UNIT_KEYS[b.resultUnit], { value: b.resultValue }) : null,
  ];
  return parts.filter(Boolean).join(" · ") || null;
}

/** A vocabulary value in the reader's language; a value outside the vocabulary as stored; "—" for none. */
export function vocabularyLabel(keys: Record<string, string>, value: string | null | undefined, t: TFunction): string {
  const key = value ? keys[value] : undefined;
  return key ? t(key) : (value ?? "—");
}

/** The staging as one line in the reader's language: "AJCC 8 cT2a N2 M1b · stage IVA", "Lugano IIE with B symptoms", "R-ISS II", "ELN 2022: adverse". */
export function stagingText(stagingJson: string, t: TFunction): string {
  const parsed = parseJsonOrNull(stagingJson);
  const staging = (parsed && typeof parsed === "object" ? parsed : {}) as Record<string, string | number | boolean | null>;
  const label = (keys: Record<string, string>, value: unknown) => vocabularyLabel(keys, typeof value === "string" ? value : null, t);
  switch (staging.system) {
    case "AJCC8":
      return `${t("cases:summary.ajcc8")} ${staging.prefix ?? ""}${staging.t ?? "?"} ${staging.n ?? "?"} ${staging.m ?? "?"} · ${t("cases:summary.stageGroup")} ${staging.group ?? "?"}`;
    case "LUGANO":
      return `${t("cases:summary.lugano")} ${label(LUGANO_KEYS, staging.stage)}${staging.bSymptoms ? ` ${t("cases:summary.bSymptoms")}` : ""}`;
    case "RISS":
      return `R-ISS ${staging.stage ?? "?"}`;
    case "ELN2022":
      return `ELN 2022: ${label(ELN_KEYS, staging.risk)}`;
    default:
      return "—";
  }
}
