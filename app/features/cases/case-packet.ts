/**
 * The case packet form. A draft may be incomplete but never malformed
 * (`PacketSchema`); `submissionProblems` lists what still blocks submission.
 * Every message is an i18n key.
 */
import { z } from "zod";
import {
  AJCC_STAGE_GROUPS,
  ALTERATION_TYPES,
  BIOMARKER_METHODS,
  CANCER_TYPES,
  CONSENT_DATA_CATEGORIES,
  CONSENT_FORMS,
  ELN2022_RISKS,
  GENES,
  LUGANO_STAGES,
  M_CATEGORIES,
  N_CATEGORIES,
  RESPONSES,
  RESULT_CODES,
  RESULT_UNITS,
  RISS_STAGES,
  SEXES,
  SPECIMEN_TYPES,
  STAGING_SYSTEM_BY_CANCER_TYPE,
  STOP_REASONS,
  T_CATEGORIES,
  TNM_PREFIXES,
  URGENCIES,
  type ResultUnit,
  type Staging,
} from "./clinical-vocabulary";
import { drugCodeOf, morphologyCodeOf, topographyCodeOf } from "./clinical-codes";
import { HGVS_MAX_LENGTH, isHgvs } from "./hgvs";
import { findIdentifiers, IDENTIFIER_ERROR_KEYS } from "./identifier-check";
import { SPECIALTIES } from "~/features/identity/specialties";
import { TEXT_LANGUAGES } from "~/features/translation/translated-text";

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

/** A value picked from a coded list, or typed as one of its names; what matches nothing is refused with `errorKey`, nothing is no value. */
const codedAs = (codeOf: (input: string) => string | undefined, errorKey: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, "cases:errors.tooLong")
    .transform((input, ctx) => (input === "" ? undefined : (codeOf(input) ?? (ctx.addIssue({ code: z.ZodIssueCode.custom, message: errorKey }), z.NEVER))))
    .optional();

const RESULT_UNIT_NAMES = Object.keys(RESULT_UNITS) as [ResultUnit, ...ResultUnit[]];

export const BiomarkerSchema = z
  .object({
    gene: oneOf(GENES as unknown as [string, ...string[]]),
    alterationType: oneOf(ALTERATION_TYPES),
    hgvs: z.string().trim().max(HGVS_MAX_LENGTH, "cases:errors.tooLong").refine(isHgvs, "cases:errors.hgvsInvalid").optional(),
    method: oneOf(BIOMARKER_METHODS),
    resultCode: oneOf(RESULT_CODES),
    resultValue: z.number(keyed("cases:errors.resultValueInvalid")).min(0, "cases:errors.resultValueInvalid").optional(),
    resultUnit: oneOf(RESULT_UNIT_NAMES),
    vaf: z.number(keyed("cases:errors.vafInvalid")).min(0, "cases:errors.vafInvalid").max(100, "cases:errors.vafInvalid").optional(),
    specimenType: oneOf(SPECIMEN_TYPES),
    specimen: text(200),
    specimenDate: pastDate,
    note: text(500),
  })
  .superRefine((row, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (row.alterationType === "SEQUENCE_VARIANT" && !row.hgvs) problem("hgvs", "cases:errors.hgvsRequired");
    if (row.hgvs && row.alterationType !== "SEQUENCE_VARIANT") problem("alterationType", "cases:errors.hgvsNeedsSequenceVariant");
    if (row.resultValue !== undefined && !row.resultUnit) problem("resultUnit", "cases:errors.resultUnitRequired");
    if (row.resultUnit && row.resultValue === undefined) problem("resultValue", "cases:errors.resultValueRequired");
    if (row.resultUnit && row.resultValue !== undefined && row.resultValue > RESULT_UNITS[row.resultUnit])
      problem("resultValue", "cases:errors.resultValueInvalid");
  });

export const TreatmentLineSchema = z.object({
  drugs: z
    .array(codedAs(drugCodeOf, "cases:errors.drugNotInList", 100))
    .max(10, "cases:errors.tooMany")
    .default([]),
  regimen: text(300),
  startDate: pastDate,
  endDate: pastDate,
  bestResponse: oneOf(RESPONSES),
  stopReason: oneOf(STOP_REASONS),
  reasonStopped: text(300),
});

export const PacketSchema = z.object({
  narrativeLanguage: z.enum(TEXT_LANGUAGES, keyed("cases:errors.notInList")).default("zh-CN"),
  ageAtSubmission: z
    .number(keyed("cases:errors.ageInvalid"))
    .int("cases:errors.ageInvalid")
    .min(0, "cases:errors.ageInvalid")
    .max(120, "cases:errors.ageInvalid")
    .optional(),
  sex: oneOf(SEXES),
  cancerType: oneOf(CANCER_TYPES),
  primarySiteCode: codedAs(topographyCodeOf, "cases:errors.siteNotInList", 300),
  primarySite: text(200),
  histology: text(300),
  icd10Code: z
    .string()
    .trim()
    .regex(/^[CD]\d{2}(\.\d{1,2})?$/, "cases:errors.icd10Invalid")
    .optional(),
  icdO3Code: codedAs(morphologyCodeOf, "cases:errors.icdO3Invalid", 300),
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

const filled = (value: unknown) => value !== undefined && value !== "" && !(Array.isArray(value) && !value.some(filled));
/** Rows the physician added but left empty are not content. */
export function nonEmptyRows<T extends Record<string, unknown>>(rows: T[]): T[] {
  return rows.filter((row) => Object.values(row).some(filled));
}

/** The drugs of a line, without the inputs left empty. */
export const drugsOf = (line: { drugs: (string | undefined)[] }) => line.drugs.filter((drug): drug is string => Boolean(drug));

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
    ["primarySiteCode", "cases:errors.siteRequired"],
    ["icd10Code", "cases:errors.icd10Required"],
    ["diagnosisDate", "cases:errors.diagnosisDateRequired"],
    ["ecog", "cases:errors.ecogRequired"],
    ["clinicalHistory", "cases:errors.historyRequired"],
  ];
  for (const [field, key] of required) if (packet[field] === undefined || packet[field] === "") add(field, key);
  if (!packet.icdO3Code && !packet.histology) add("icdO3Code", "cases:errors.histologyRequired");
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
    if (Object.values(row).some(filled) && !row.gene) add(`biomarkers[${i}].gene`, "cases:errors.geneRequired");
  });
  packet.treatmentLines.forEach((row, i) => {
    if (Object.values(row).some(filled) && drugsOf(row).length === 0 && !row.regimen) add(`treatmentLines[${i}].drugs`, "cases:errors.regimenRequired");
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

/** A form field name such as `clinicalHistory`, `questions[2]` or `biomarkers[0].note`: its list, row and key. */
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
      [`biomarkers[${i}].specimen`, b.specimen],
      [`biomarkers[${i}].note`, b.note],
    ]),
    ...packet.treatmentLines.flatMap((l, i): [string, string | undefined][] => [
      [`treatmentLines[${i}].regimen`, l.regimen],
      [`treatmentLines[${i}].reasonStopped`, l.reasonStopped],
    ]),
  ];
  return fields.filter((f): f is [string, string] => typeof f[1] === "string" && f[1] !== "");
}
