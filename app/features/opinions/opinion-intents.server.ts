/**
 * The opinion page's form intents: each one's form parsed with its schema from
 * opinion-forms.ts and handed to its step in the opinion workflow, with the
 * step's errors also given back as conform's reply to that form.
 */
import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { z } from "zod";
import type { CaseCaller } from "~/features/cases/case-access.server";
import { getDb } from "~/platform/db.server";
import { saveTextTranslation } from "~/features/translation/text-translations.server";
import { TextTranslationForm } from "~/features/translation/translated-text";
import { opinionAbilities, type OpinionAbility } from "./opinion-access";
import {
  AcknowledgeForm,
  AmendForm,
  AnswerForm,
  ArchiveForm,
  AskForm,
  DeliverForm,
  EnglishOnlyForm,
  OutcomeForm,
  SectionEditForm,
  SignForm,
  StartForm,
} from "./opinion-forms";
import {
  acknowledge,
  answerQuestion,
  archive,
  askQuestion,
  decideEnglishOnly,
  deliver,
  reportOutcome,
  saveSection,
  signDraft,
  startAmendment,
  startOpinion,
  type OpinionStepResult,
} from "./opinion-workflow.server";

export type OpinionIntentResult = OpinionStepResult & { result: SubmissionResult<string[]> };

type Caller = Required<CaseCaller>;

type Intent<S extends z.ZodTypeAny> = {
  /**
   * The ability the step asks first, asked here before the form is read, so a
   * user the step refuses (403) learns nothing from validating their input.
   * Saving a section asks for drafting or translating by the kind it names.
   */
  ability: OpinionAbility | null;
  schema: S;
  run: (caller: Caller, input: z.output<S>) => Promise<OpinionStepResult>;
  /** The form fields whose errors the form shows, each with the name the step gives it in its errors. */
  errorNames?: Record<string, string | ((form: FormData) => string)>;
  /** Fields never echoed back. */
  hideFields?: string[];
  /** Cleared once the step succeeds. */
  resetOnSuccess?: boolean;
};

/** Keeps each intent's input typed by its own schema. */
const intent = <S extends z.ZodTypeAny>(definition: Intent<S>) => handle(definition);

const INTENTS = {
  start: intent({ ability: "draft", schema: StartForm, run: (caller, input) => startOpinion({ ...caller, ...input }) }),
  amend: intent({
    ability: "draft",
    schema: AmendForm,
    run: (caller, input) => startAmendment({ ...caller, ...input }),
    errorNames: { reason: "amendmentReason" },
  }),
  saveSection: intent({ ability: null, schema: SectionEditForm, run: (caller, input) => saveSection({ ...caller, ...input }) }),
  translate: intent({ ability: null, schema: SectionEditForm, run: (caller, input) => saveSection({ ...caller, ...input }) }),
  sign: intent({
    ability: "sign",
    schema: SignForm,
    run: (caller, input) => signDraft({ ...caller, ...input }),
    errorNames: { password: "password" },
    hideFields: ["password"],
  }),
  englishOnly: intent({
    ability: "manageDelivery",
    schema: EnglishOnlyForm,
    run: (caller, input) => decideEnglishOnly({ ...caller, ...input }),
    errorNames: { confirm: "confirm" },
  }),
  deliver: intent({
    ability: "manageDelivery",
    schema: DeliverForm,
    run: (caller, input) => deliver({ ...caller, opinionId: input.opinionId, recipients: input.recipient }),
    errorNames: { recipient: "recipients" },
  }),
  acknowledge: intent({ ability: "ask", schema: AcknowledgeForm, run: (caller, input) => acknowledge({ ...caller, ...input }) }),
  ask: intent({
    ability: "ask",
    schema: AskForm,
    run: (caller, input) => askQuestion({ ...caller, ...input }),
    errorNames: { question: "question" },
    resetOnSuccess: true,
  }),
  answer: intent({
    ability: "answer",
    schema: AnswerForm,
    run: (caller, input) => answerQuestion({ ...caller, ...input }),
    errorNames: { answer: (form) => `answer.${String(form.get("followUpId") ?? "")}` },
    resetOnSuccess: true,
  }),
  outcome: intent({
    ability: "ask",
    schema: OutcomeForm,
    run: (caller, input) => reportOutcome({ ...caller, ...input }),
    errorNames: { changedDiagnosis: "changedDiagnosis", changedTreatment: "changedTreatment", actionTaken: "actionTaken" },
  }),
  archive: intent({ ability: "manageDelivery", schema: ArchiveForm, run: (caller) => archive(caller) }),
  translateText: intent({
    ability: "translateFollowUps",
    schema: TextTranslationForm,
    run: (caller, input) =>
      saveTextTranslation({ ...caller, subject: { type: input.subjectType, id: input.subjectId }, text: input.text, acceptedTermIds: input.acceptTerm }),
    errorNames: { text: "text" },
  }),
};

const isIntent = (value: string): value is keyof typeof INTENTS => Object.hasOwn(INTENTS, value);

const INVALID = "opinions:errors.invalid";
const NOT_ALLOWED = "cases:errors.actionNotAllowed";
const refusal = (formError: string): SubmissionResult<string[]> => ({ status: "error", error: { "": [formError] } });

function handle<S extends z.ZodTypeAny>({ ability, schema, run, errorNames = {}, hideFields, resetOnSuccess }: Intent<S>) {
  const stepName = (field: string, form: FormData) => {
    const name = errorNames[field];
    return typeof name === "function" ? name(form) : name;
  };
  return async (caller: Caller, form: FormData): Promise<OpinionIntentResult> => {
    if (ability && !opinionAbilities(caller.user, caller.facts, null)[ability])
      return { ok: false, status: 403, formError: NOT_ALLOWED, result: refusal(NOT_ALLOWED) };
    const submission = parseWithZod(form, { schema });
    if (submission.status !== "success") {
      const fieldErrors = Object.fromEntries(
        Object.keys(errorNames).flatMap((field) => (submission.error?.[field] ? [[stepName(field, form), submission.error[field]]] : [])),
      );
      const shown = Object.keys(fieldErrors).length > 0;
      return {
        ok: false,
        status: 400,
        ...(shown ? { fieldErrors } : { formError: INVALID }),
        result: submission.reply({ hideFields, ...(shown ? {} : { formErrors: [INVALID] }) }),
      };
    }
    const step = await run(caller, submission.value);
    if (step.ok) return { ...step, result: submission.reply({ hideFields, resetForm: resetOnSuccess }) };
    const fieldErrors = Object.fromEntries(
      Object.keys(errorNames).flatMap((field) => (step.fieldErrors?.[stepName(field, form)] ? [[field, step.fieldErrors[stepName(field, form)]]] : [])),
    );
    return { ...step, result: submission.reply({ hideFields, formErrors: step.formError ? [step.formError] : undefined, fieldErrors }) };
  };
}

/** Runs the intent the page posted, for the caller on their case; an intent the page does not have is refused. */
export async function runOpinionIntent({ user, facts, meta, db = getDb() }: CaseCaller, intent: string, form: FormData): Promise<OpinionIntentResult> {
  if (!isIntent(intent)) return { ok: false, status: 400, formError: NOT_ALLOWED, result: refusal(NOT_ALLOWED) };
  return INTENTS[intent]({ user, facts, meta, db }, form);
}
