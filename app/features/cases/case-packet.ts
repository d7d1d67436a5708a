/**
 * The case packet form. A draft may be incomplete but never malformed
 * (`PacketSchema`); `submissionProblems` lists what still blocks submission.
 * Every message is an i18n key.
 */
import { z } from "zod";
import {
  AJCC_STAGE_GROUPS,
  BIOMARKER_METHODS,
  CANCER_TYPES,
  CONSENT_DATA_CATEGORIES,
  CONSENT_FORMS,
  ELN2022_RISKS,
  GENES,
  LUGANO_STAGES,
  M_CATEGORIES,
  N_CATEGORIES,
  NARRATIVE_LANGUAGES,
  RESPONSES,
  RISS_STAGES,
  SEXES,
  STAGING_SYSTEM_BY_CANCER_TYPE,
  T_CATEGORIES,
  TNM_PREFIXES,
  URGENCIES,
  type Staging,
} from "./clinical-vocabulary";
import { findIdentifiers, IDENTIFIER_ERROR_KEYS } from "./identifier-check";
import { SPECIALTIES } from "~/features/identity/specialties";

const keyed = (key: string) => ({ errorMap: () => ({ message: key }) });
const text = (max: number) => z.string().trim().max(max, "cases:errors.tooLong").optional();
const oneOf = <T extends string>(values: readonly [T, ...T[]]) => z.enum(values, keyed("cases:errors.notInList")).optional();

export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCFullYear() === Number(match[1]) && date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
}

/** A past or present calendar day (YYYY-MM-DD); "today" allows for the time zone furthest ahead. */
const pastDate = z
  .string()
  .trim()
  .refine(isCalendarDate, "cases:errors.dateInvalid")
  .refine((d) => d <= new Date(Date.now() + 14 * 3600_000).toISOString().slice(0, 10), "cases:errors.dateInFuture")
  .optional();

export const BiomarkerSchema = z.object({
  gene: oneOf(GENES as unknown as [string, ...string[]]),
  alteration: text(200),
  method: oneOf(BIOMARKER_METHODS),
  result: text(500),
  vaf: z.number(keyed("cases:errors.vafInvalid")).min(0, "cases:errors.vafInvalid").max(100, "cases:errors.vafInvalid").optional(),
  specimen: text(200),
  specimenDate: pastDate,
});

export const TreatmentLineSchema = z.object({
  regimen: text(300),
  startDate: pastDate,
  endDate: pastDate,
  bestResponse: oneOf(RESPONSES),
  reasonStopped: text(300),
});

export const PacketSchema = z.object({
  narrativeLanguage: z.enum(NARRATIVE_LANGUAGES, keyed("cases:errors.notInList")).default("zh-CN"),
  ageAtSubmission: z
    .number(keyed("cases:errors.ageInvalid"))
    .int("cases:errors.ageInvalid")
    .min(0, "cases:errors.ageInvalid")
    .max(120, "cases:errors.ageInvalid")
    .optional(),
  sex: oneOf(SEXES),
  cancerType: oneOf(CANCER_TYPES),
  primarySite: text(200),
  histology: text(300),
  icd10Code: z
    .string()
    .trim()
    .regex(/^[CD]\d{2}(\.\d{1,2})?$/, "cases:errors.icd10Invalid")
    .optional(),
  icdO3Code: z
    .string()
    .trim()
    .regex(/^\d{4}\/[0-3]$/, "cases:errors.icdO3Invalid")
    .optional(),
  diagnosisDate: pastDate,
  tnmPrefix: oneOf(TNM_PREFIXES),
  tnmT: oneOf(T_CATEGORIES),
  tnmN: oneOf(N_CATEGORIES),
  tnmM: oneOf(M_CATEGORIES),
  stageGroup: oneOf(AJCC_STAGE_GROUPS),
  luganoStage: oneOf(LUGANO_STAGES),
  bSymptoms: z.boolean().optional(),
  rissStage: oneOf(RISS_STAGES),
  eln2022Risk: oneOf(ELN2022_RISKS),
  ecog: z
    .number(keyed("cases:errors.ecogInvalid"))
    .int("cases:errors.ecogInvalid")
    .min(0, "cases:errors.ecogInvalid")
    .max(4, "cases:errors.ecogInvalid")
    .optional(),
  comorbidities: text(5000),
  clinicalHistory: text(20000),
  biomarkers: z.array(BiomarkerSchema).max(50, "cases:errors.tooMany").default([]),
  treatmentLines: z.array(TreatmentLineSchema).max(20, "cases:errors.tooMany").default([]),
  questions: z.array(z.string().trim().max(2000, "cases:errors.tooLong").optional()).max(20, "cases:errors.tooMany").default([]),
  urgency: z.enum(URGENCIES, keyed("cases:errors.notInList")).default("ROUTINE"),
  urgencyReason: text(1000),
  requestedSpecialties: z.array(z.enum(SPECIALTIES, keyed("cases:errors.notInList"))).default([]),
  consentDate: pastDate,
  consentForm: oneOf(CONSENT_FORMS),
  consentRecipientInstitutionId: z.string().trim().max(100).optional(),
  consentPurpose: text(1000),
  consentDataCategories: z.array(z.enum(CONSENT_DATA_CATEGORIES, keyed("cases:errors.notInList"))).default([]),
});
export type Packet = z.infer<typeof PacketSchema>;

/** Rows the physician added but left empty are not content. */
export function nonEmptyRows<T extends Record<string, unknown>>(rows: T[]): T[] {
  return rows.filter((row) => Object.values(row).some((v) => v !== undefined && v !== ""));
}

export function stagingOf(packet: Packet): Staging {
  const system = packet.cancerType ? STAGING_SYSTEM_BY_CANCER_TYPE[packet.cancerType] : null;
  switch (system) {
    case "AJCC8":
      return { system, edition: 8, prefix: packet.tnmPrefix, t: packet.tnmT, n: packet.tnmN, m: packet.tnmM, group: packet.stageGroup };
    case "LUGANO":
      return { system, stage: packet.luganoStage, bSymptoms: packet.bSymptoms ?? false };
    case "RISS":
      return { system, stage: packet.rissStage };
    case "ELN2022":
      return { system, risk: packet.eln2022Risk };
    default:
      return { system: null };
  }
}

export type FieldProblems = Record<string, string[]>;

/** Everything that must be true before submission, as errors keyed by form field name. */
export function submissionProblems(packet: Packet, validRecipientIds: readonly string[], knownIcd10Codes?: ReadonlySet<string>): FieldProblems {
  const problems: FieldProblems = {};
  const add = (field: string, key: string) => (problems[field] ??= []).push(key);
  const required: [keyof Packet, string][] = [
    ["ageAtSubmission", "cases:errors.ageRequired"],
    ["sex", "cases:errors.sexRequired"],
    ["cancerType", "cases:errors.cancerTypeRequired"],
    ["primarySite", "cases:errors.siteRequired"],
    ["histology", "cases:errors.histologyRequired"],
    ["icd10Code", "cases:errors.icd10Required"],
    ["diagnosisDate", "cases:errors.diagnosisDateRequired"],
    ["ecog", "cases:errors.ecogRequired"],
    ["clinicalHistory", "cases:errors.historyRequired"],
  ];
  for (const [field, key] of required) if (packet[field] === undefined || packet[field] === "") add(field, key);
  if (packet.icd10Code && knownIcd10Codes && !knownIcd10Codes.has(packet.icd10Code)) add("icd10Code", "cases:errors.icd10NotInList");

  const staging = stagingOf(packet);
  if (staging.system === "AJCC8") {
    for (const [field, value] of [
      ["tnmT", staging.t],
      ["tnmN", staging.n],
      ["tnmM", staging.m],
      ["stageGroup", staging.group],
    ] as const) {
      if (!value) add(field, "cases:errors.stagingRequired");
    }
  } else if (staging.system === "LUGANO" && !staging.stage) add("luganoStage", "cases:errors.stagingRequired");
  else if (staging.system === "RISS" && !staging.stage) add("rissStage", "cases:errors.stagingRequired");
  else if (staging.system === "ELN2022" && !staging.risk) add("eln2022Risk", "cases:errors.stagingRequired");

  packet.biomarkers.forEach((row, i) => {
    if (Object.values(row).some((v) => v !== undefined && v !== "") && !row.gene) add(`biomarkers[${i}].gene`, "cases:errors.geneRequired");
  });
  packet.treatmentLines.forEach((row, i) => {
    if (Object.values(row).some((v) => v !== undefined && v !== "") && !row.regimen) add(`treatmentLines[${i}].regimen`, "cases:errors.regimenRequired");
    if (row.startDate && row.endDate && row.endDate < row.startDate) add(`treatmentLines[${i}].endDate`, "cases:errors.endBeforeStart");
  });
  if (!packet.questions.some((q) => q && q.trim())) add("questions", "cases:errors.questionRequired");
  if (packet.urgency === "URGENT" && !packet.urgencyReason) add("urgencyReason", "cases:errors.urgencyReasonRequired");
  if (packet.requestedSpecialties.length === 0) add("requestedSpecialties", "cases:errors.specialtyRequired");

  if (!packet.consentDate) add("consentDate", "cases:errors.consentDateRequired");
  if (!packet.consentForm) add("consentForm", "cases:errors.consentFormRequired");
  if (!packet.consentRecipientInstitutionId || !validRecipientIds.includes(packet.consentRecipientInstitutionId)) {
    add("consentRecipientInstitutionId", "cases:errors.consentRecipientRequired");
  }
  if (!packet.consentPurpose) add("consentPurpose", "cases:errors.consentPurposeRequired");
  if (packet.consentDataCategories.length === 0) add("consentDataCategories", "cases:errors.consentDataCategoriesRequired");

  for (const [field, keys] of Object.entries(identifierProblems(packet))) for (const key of keys) add(field, key);
  return problems;
}

/** The free-text fields that hold what looks like a resident ID, a phone number or an email address, with why. */
export function identifierProblems(packet: Packet): FieldProblems {
  const problems: FieldProblems = {};
  for (const [field, value] of freeTextFields(packet)) {
    const kinds = findIdentifiers(value);
    if (kinds.length > 0) problems[field] = kinds.map((kind) => IDENTIFIER_ERROR_KEYS[kind]);
  }
  return problems;
}

/**
 * The packet as a draft may store it: a free-text field that holds an identifier is refused and keeps
 * the text `stored` for it (the form's values as last saved), unless that held one too. `refused` says which and why.
 */
export function withoutIdentifiers(packet: Packet, stored: Record<string, unknown>): { packet: Packet; refused: FieldProblems } {
  const refused = identifierProblems(packet);
  let storable = packet;
  for (const field of Object.keys(refused)) {
    const previous = textAt(stored, field);
    storable = withTextAt(storable, field, previous && findIdentifiers(previous).length === 0 ? previous : undefined);
  }
  return { packet: storable, refused };
}

/** A form field name such as `clinicalHistory`, `questions[2]` or `biomarkers[0].result`: its list, row and key. */
const FIELD_NAME = /^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?$/;

function textAt(values: Record<string, unknown>, field: string): string | undefined {
  const [, name, row, key] = FIELD_NAME.exec(field) ?? [];
  let value = values[name];
  if (row !== undefined) value = (value as unknown[] | undefined)?.[Number(row)];
  if (key !== undefined) value = (value as Record<string, unknown> | undefined)?.[key];
  return typeof value === "string" ? value : undefined;
}

function withTextAt(packet: Packet, field: string, text: string | undefined): Packet {
  const [, name, row, key] = FIELD_NAME.exec(field) ?? [];
  if (row === undefined) return { ...packet, [name]: text };
  const rows = [...(packet[name as "questions" | "biomarkers" | "treatmentLines"] as unknown[])];
  rows[Number(row)] = key === undefined ? text : { ...(rows[Number(row)] as object), [key]: text };
  return { ...packet, [name]: rows };
}

/** Whether the physician entered anything: the narrative language and a routine urgency are where every form starts. */
export function packetHasContent(packet: Packet): boolean {
  const { narrativeLanguage: _language, urgency, biomarkers, treatmentLines, questions, requestedSpecialties, consentDataCategories, ...single } = packet;
  return (
    urgency !== "ROUTINE" ||
    nonEmptyRows(biomarkers).length > 0 ||
    nonEmptyRows(treatmentLines).length > 0 ||
    questions.some((q) => q?.trim()) ||
    requestedSpecialties.length > 0 ||
    consentDataCategories.length > 0 ||
    Object.values(single).some((value) => value !== undefined && value !== "" && value !== false)
  );
}

/** Every free-text value of the packet with its form field name. */
export function freeTextFields(packet: Packet): [string, string][] {
  const fields: [string, string | undefined][] = [
    ["primarySite", packet.primarySite],
    ["histology", packet.histology],
    ["comorbidities", packet.comorbidities],
    ["clinicalHistory", packet.clinicalHistory],
    ["urgencyReason", packet.urgencyReason],
    ["consentPurpose", packet.consentPurpose],
    ...packet.questions.map((q, i): [string, string | undefined] => [`questions[${i}]`, q]),
    ...packet.biomarkers.flatMap((b, i): [string, string | undefined][] => [
      [`biomarkers[${i}].alteration`, b.alteration],
      [`biomarkers[${i}].result`, b.result],
      [`biomarkers[${i}].specimen`, b.specimen],
    ]),
    ...packet.treatmentLines.flatMap((l, i): [string, string | undefined][] => [
      [`treatmentLines[${i}].regimen`, l.regimen],
      [`treatmentLines[${i}].reasonStopped`, l.reasonStopped],
    ]),
  ];
  return fields.filter((f): f is [string, string] => typeof f[1] === "string" && f[1] !== "");
}
