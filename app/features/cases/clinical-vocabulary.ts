/** Controlled vocabularies of the case packet. Labels are i18n keys in the "cases" namespace. */

export const SEXES = ["FEMALE", "MALE", "OTHER"] as const;
export const CANCER_TYPES = ["SOLID", "LYMPHOMA", "MYELOMA", "AML", "OTHER_HEME"] as const;
export type CancerType = (typeof CANCER_TYPES)[number];

export const GENES = [
  "EGFR",
  "ALK",
  "ROS1",
  "MET",
  "RET",
  "ERBB2/HER2",
  "KRAS",
  "NRAS",
  "BRAF",
  "PIK3CA",
  "NTRK1",
  "NTRK2",
  "NTRK3",
  "PD-L1",
  "MSI/MMR",
  "TMB",
  "BRCA1",
  "BRCA2",
  "BCR-ABL1",
  "FLT3",
  "NPM1",
  "IDH1",
  "IDH2",
  "TP53",
  "CEBPA",
  "KIT",
  "MYC",
  "BCL2",
  "BCL6",
  "Ki-67",
] as const;
export const BIOMARKER_METHODS = ["NGS", "IHC", "FISH", "PCR"] as const;
/** What kind of alteration a biomarker names; a sequence variant is spelled out in HGVS (hgvs.ts). */
export const ALTERATION_TYPES = [
  "SEQUENCE_VARIANT",
  "EXON19_DELETION",
  "EXON20_INSERTION",
  "EXON14_SKIPPING",
  "FUSION",
  "AMPLIFICATION",
  "COPY_LOSS",
  "EXPRESSION",
] as const;
export const RESULT_CODES = ["POSITIVE", "NEGATIVE", "EQUIVOCAL"] as const;
/** Units of a measured result, each with the largest value it can take. */
export const RESULT_UNITS = { TPS: 100, CPS: 100, PERCENT: 100, MUT_PER_MB: 1000, COPY_NUMBER: 1000 } as const;
export type ResultUnit = keyof typeof RESULT_UNITS;
export const SPECIMEN_TYPES = ["TISSUE_BIOPSY", "RESECTION", "CYTOLOGY", "PLASMA", "BONE_MARROW", "PERIPHERAL_BLOOD", "OTHER"] as const;
export const STOP_REASONS = ["COMPLETED", "PROGRESSION", "TOXICITY", "PATIENT_CHOICE", "OTHER"] as const;
export const RESPONSES = ["CR", "PR", "SD", "PD", "NE", "CMR", "PMR", "NMR", "PMD", "MRD_NEGATIVE", "VGPR", "STRINGENT_CR"] as const;
export const URGENCIES = ["ROUTINE", "URGENT"] as const;
export const CONSENT_FORMS = ["WRITTEN", "ELECTRONIC"] as const;
export const CONSENT_DATA_CATEGORIES = ["CLINICAL_HISTORY", "PATHOLOGY", "IMAGING", "GENOMICS", "TREATMENT_HISTORY", "LABORATORY"] as const;
export const ATTACHMENT_KINDS = ["PATHOLOGY_REPORT", "LAB_RESULT", "CONSENT_FORM", "OTHER"] as const;

/** Staging that fits the disease: AJCC 8 for solid tumours, Lugano (Ann Arbor) for lymphoma, R-ISS for myeloma, ELN 2022 for AML. */
export const STAGING_SYSTEM_BY_CANCER_TYPE: Record<CancerType, StagingSystem | null> = {
  SOLID: "AJCC8",
  LYMPHOMA: "LUGANO",
  MYELOMA: "RISS",
  AML: "ELN2022",
  OTHER_HEME: null,
};
export type StagingSystem = "AJCC8" | "LUGANO" | "RISS" | "ELN2022";

export const TNM_PREFIXES = ["c", "p", "yp", "yc", "r"] as const;
export const T_CATEGORIES = ["TX", "T0", "Tis", "T1", "T1mi", "T1a", "T1b", "T1c", "T2", "T2a", "T2b", "T3", "T4", "T4a", "T4b"] as const;
export const N_CATEGORIES = ["NX", "N0", "N1", "N1a", "N1b", "N1c", "N2", "N2a", "N2b", "N2c", "N3", "N3a", "N3b"] as const;
export const M_CATEGORIES = ["M0", "M1", "M1a", "M1b", "M1c"] as const;
export const AJCC_STAGE_GROUPS = [
  "0",
  "IA1",
  "IA2",
  "IA3",
  "IA",
  "IB",
  "IC",
  "I",
  "IIA",
  "IIB",
  "IIC",
  "II",
  "IIIA",
  "IIIB",
  "IIIC",
  "III",
  "IVA",
  "IVB",
  "IVC",
  "IV",
] as const;
export const LUGANO_STAGES = ["I", "IE", "II", "IIE", "II_BULKY", "III", "IV"] as const;
export const RISS_STAGES = ["I", "II", "III"] as const;
export const ELN2022_RISKS = ["FAVORABLE", "INTERMEDIATE", "ADVERSE"] as const;

export type Staging =
  | { system: "AJCC8"; edition: 8; prefix?: string; t?: string; n?: string; m?: string; group?: string }
  | { system: "LUGANO"; stage?: string; bSymptoms?: boolean }
  | { system: "RISS"; stage?: string }
  | { system: "ELN2022"; risk?: string }
  | { system: null };

export function labelKeys<T extends string>(prefix: string, values: readonly T[]): Record<T, string> {
  return Object.fromEntries(values.map((v) => [v, `cases:${prefix}.${v}`])) as Record<T, string>;
}
