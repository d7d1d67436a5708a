/**
 * The structured content of a board opinion: the shape of each section, the
 * physician's questions it answers, and a first draft (from scratch or from
 * the board summary). A draft may be incomplete but never malformed; what
 * blocks signing and delivery is in `opinion-rules.ts`. Every message is an
 * i18n key in the `opinions` namespace. No I/O.
 */
import { z } from "zod";

const keyed = (key: string) => ({ errorMap: () => ({ message: key }) });
const text = (max: number) => z.string().trim().max(max, "opinions:errors.tooLong").default("");
export const filled = (value: string | undefined | null) => typeof value === "string" && value.trim() !== "";

// ---- vocabularies -----------------------------------------------------------

export const AGREEMENTS = ["AGREE", "DISAGREE", "NEED_MORE_INFORMATION"] as const;
export type Agreement = (typeof AGREEMENTS)[number];
export const INTENTS = ["CURATIVE", "PALLIATIVE"] as const;
export const GUIDELINE_SOURCES = ["NCCN", "CSCO", "ESMO"] as const;
/** ESMO Scale for Clinical Actionability of molecular Targets. */
export const ESCAT_TIERS = ["I-A", "I-B", "I-C", "II-A", "II-B", "III-A", "III-B", "IV", "V", "X"] as const;
/** NCCN categories of evidence and consensus. */
export const NCCN_CATEGORIES = ["1", "2A", "2B", "3"] as const;
export const EVIDENCE_SYSTEMS = ["ESCAT", "NCCN"] as const;
export const EVIDENCE_LEVELS: Record<(typeof EVIDENCE_SYSTEMS)[number], readonly string[]> = { ESCAT: ESCAT_TIERS, NCCN: NCCN_CATEGORIES };
/** As for case narratives: no translation yet, a draft translation, or one a second person reviewed. */
export const TRANSLATION_STATUSES = ["NONE", "DRAFT", "REVIEWED"] as const;
export type TranslationStatus = (typeof TRANSLATION_STATUSES)[number];

export const SECTIONS = ["diagnosis", "plan", "workup", "trials", "references", "dissent", "answers"] as const;
export type SectionName = (typeof SECTIONS)[number];

/** ClinicalTrials.gov (NCT + 8 digits) or the Chinese Clinical Trial Registry (ChiCTR + 10 digits, or the older ChiCTR-XXX-8 digits). */
export const TRIAL_ID_PATTERN = /^(NCT\d{8}|ChiCTR\d{10}|ChiCTR-[A-Z]{2,4}-\d{8})$/;
export function isTrialId(value: string): boolean {
  return TRIAL_ID_PATTERN.test(value);
}

/** A case question's key as stored with the narratives (`question.01`, …). */
export const QUESTION_KEY_PATTERN = /^question\.\d+$/;
export type CaseQuestion = { key: string; text: string };

/** Only the physician's questions among a case's narratives, in order. */
export function questionsOf<Q extends CaseQuestion>(narratives: readonly Q[]): Q[] {
  return narratives.filter((n) => QUESTION_KEY_PATTERN.test(n.key));
}

// ---- section bodies ---------------------------------------------------------

const AgreementSchema = z.object({
  agreement: z.enum(AGREEMENTS, keyed("opinions:errors.notInList")).optional(),
  comment: text(4000),
});

export const EvidenceLevelSchema = z
  .object({ system: z.enum(EVIDENCE_SYSTEMS, keyed("opinions:errors.notInList")), level: z.string().trim() })
  .refine((e) => EVIDENCE_LEVELS[e.system].includes(e.level), { message: "opinions:errors.evidenceLevelInvalid", path: ["level"] });
export type EvidenceLevel = z.infer<typeof EvidenceLevelSchema>;

export const PlanItemSchema = z.object({
  treatment: text(500),
  regimen: text(500),
  intent: z.enum(INTENTS, keyed("opinions:errors.notInList")).optional(),
  priority: z
    .number(keyed("opinions:errors.priorityInvalid"))
    .int("opinions:errors.priorityInvalid")
    .min(1, "opinions:errors.priorityInvalid")
    .max(20, "opinions:errors.priorityInvalid")
    .optional(),
  evidence: EvidenceLevelSchema.optional(),
  rationale: text(4000),
});
export type PlanItem = z.infer<typeof PlanItemSchema>;

export const TrialOptionSchema = z.object({
  description: text(2000),
  registryId: z
    .string()
    .trim()
    .refine((v) => v === "" || isTrialId(v), "opinions:errors.trialIdInvalid")
    .default(""),
});

export const GuidelineReferenceSchema = z.object({
  source: z.enum(GUIDELINE_SOURCES, keyed("opinions:errors.notInList")),
  version: text(100),
  section: text(300),
});

export const AnswerSchema = z.object({
  questionKey: z.string().regex(QUESTION_KEY_PATTERN, "opinions:errors.questionKeyInvalid"),
  answer: text(8000),
});

/** The body of each section. A Chinese translation has the same shape as the English original. */
export const SECTION_BODY_SCHEMAS = {
  diagnosis: z.object({ diagnosis: AgreementSchema, stage: AgreementSchema, comment: text(8000) }),
  plan: z.object({ items: z.array(PlanItemSchema).max(30, "opinions:errors.tooMany").default([]), summary: text(8000) }),
  workup: z.object({ items: z.array(text(1000)).max(30, "opinions:errors.tooMany").default([]) }),
  trials: z.object({ items: z.array(TrialOptionSchema).max(30, "opinions:errors.tooMany").default([]) }),
  references: z.object({ items: z.array(GuidelineReferenceSchema).max(30, "opinions:errors.tooMany").default([]) }),
  dissent: z.object({ items: z.array(text(4000)).max(30, "opinions:errors.tooMany").default([]) }),
  answers: z.object({ items: z.array(AnswerSchema).max(20, "opinions:errors.tooMany").default([]) }),
} as const;
export type SectionBody<S extends SectionName> = z.infer<(typeof SECTION_BODY_SCHEMAS)[S]>;

const translationFields = {
  translationStatus: z.enum(TRANSLATION_STATUSES, keyed("opinions:errors.notInList")).default("NONE"),
  translatedById: z.string().nullable().default(null),
  /** ISO 8601 instant. */
  translatedAt: z.string().datetime({ offset: true, message: "opinions:errors.dateInvalid" }).nullable().default(null),
};

function sectionSchema<B extends z.ZodTypeAny>(body: B) {
  return z.object({ en: body, zh: body.nullable().default(null), ...translationFields });
}

export const SECTION_SCHEMAS = {
  diagnosis: sectionSchema(SECTION_BODY_SCHEMAS.diagnosis),
  plan: sectionSchema(SECTION_BODY_SCHEMAS.plan),
  workup: sectionSchema(SECTION_BODY_SCHEMAS.workup),
  trials: sectionSchema(SECTION_BODY_SCHEMAS.trials),
  references: sectionSchema(SECTION_BODY_SCHEMAS.references),
  dissent: sectionSchema(SECTION_BODY_SCHEMAS.dissent),
  answers: sectionSchema(SECTION_BODY_SCHEMAS.answers),
} as const;
export type Section<S extends SectionName> = z.infer<(typeof SECTION_SCHEMAS)[S]>;

export const OpinionContentSchema = z.object(SECTION_SCHEMAS);
export type OpinionContent = z.infer<typeof OpinionContentSchema>;

const emptyAgreement = () => ({ agreement: undefined, comment: "" });
const emptySection = <S extends SectionName>(en: SectionBody<S>) =>
  ({ en, zh: null, translationStatus: "NONE" as TranslationStatus, translatedById: null, translatedAt: null }) as Section<S>;

/** An opinion drafted from scratch: every question has an empty answer slot. */
export function emptyOpinion(questions: readonly CaseQuestion[]): OpinionContent {
  return {
    diagnosis: emptySection<"diagnosis">({ diagnosis: emptyAgreement(), stage: emptyAgreement(), comment: "" }),
    plan: emptySection<"plan">({ items: [], summary: "" }),
    workup: emptySection<"workup">({ items: [] }),
    trials: emptySection<"trials">({ items: [] }),
    references: emptySection<"references">({ items: [] }),
    dissent: emptySection<"dissent">({ items: [] }),
    answers: emptySection<"answers">({ items: questionsOf(questions).map((q) => ({ questionKey: q.key, answer: "" })) }),
  };
}

/**
 * A draft seeded from the live session: the chair's board summary (one per
 * agenda item the case was discussed under, in order) becomes the plan summary
 * and the diagnosis comment, for the consultants to turn into structured
 * items; each question gets an empty answer slot.
 */
export function draftFromBoard(summaries: readonly string[], questions: readonly CaseQuestion[]): OpinionContent {
  const draft = emptyOpinion(questions);
  const summary = summaries
    .map((s) => s.trim())
    .filter(Boolean)
    .join("\n\n");
  draft.plan.en.summary = summary;
  draft.diagnosis.en.comment = summary;
  return draft;
}

// ---- what blocks signing and delivery ---------------------------------------
