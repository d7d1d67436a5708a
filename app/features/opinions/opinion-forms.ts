/**
 * The opinion page's forms as the zod schemas both the browser (conform) and
 * the action parse, and the action's reply as the page reads it. Messages are
 * i18n keys.
 *
 * The hidden ids the page always sends (the opinion, the follow-up) default to
 * "" when missing: an id that names nothing gets the step's answer for an
 * unknown one (404), as a password left empty is refused like a wrong one.
 */
import type { SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import { parseJsonOrNull } from "~/platform/json";
import { SECTIONS, TRANSLATION_STATUSES, type SectionName } from "./opinion-content";
import { OutcomeReportSchema } from "./outcome-report";

const Id = z.string().default("");

/** No origin, or one that is not the board's summary, starts from scratch. */
export const StartForm = z.object({ origin: z.enum(["BOARD", "SCRATCH"]).catch("SCRATCH") });

export const AMENDMENT_REASON_MAX = 2000;
export const AmendForm = z.object({
  reason: z
    .string({ required_error: "opinions:errors.amendmentReasonRequired" })
    .trim()
    .min(1, "opinions:errors.amendmentReasonRequired")
    .max(AMENDMENT_REASON_MAX, "opinions:errors.tooLong"),
});

/**
 * One section saved by the section or translation editor: the English body,
 * or the map of its strings' Chinese, as JSON the editor builds in the
 * browser; each step checks that content itself.
 */
export const SectionEditForm = z.object({
  opinionId: z.string().min(1).max(40),
  section: z.enum(SECTIONS),
  baseVersion: z.number().int().min(1),
  kind: z.enum(["english", "translation"]),
  content: z.string().max(200_000).default(""),
  translationStatus: z.enum(TRANSLATION_STATUSES).optional(),
});

/** The section versions the signer reviewed, from the form's JSON; anything that is not a whole number is left out. */
export function reviewedVersions(text: string): Record<string, number> {
  const parsed = parseJsonOrNull(text);
  if (!parsed || typeof parsed !== "object") return {};
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => Number.isInteger(v))) as Record<string, number>;
}

export const SignForm = z.object({
  opinionId: Id,
  password: z.string().default(""),
  code: z.string().max(40).default(""),
  reviewedVersions: z
    .string()
    .optional()
    .transform((text) => reviewedVersions(text ?? "")),
});

/** The browser does not send an empty password (the server would count it as a wrong one). */
export const SignFormInBrowser = SignForm.extend({ password: z.string({ required_error: "auth:errors.passwordRequired" }) });

/** The coordinator's "English only" decision: "true" decides it, and only with the confirmation ticked; anything else undoes it. */
export const EnglishOnlyForm = z
  .object({
    opinionId: Id,
    englishOnly: z
      .string()
      .optional()
      .transform((value) => value === "true"),
    confirm: z.literal("on").optional(),
  })
  .refine((form) => !form.englishOnly || form.confirm === "on", { path: ["confirm"], message: "opinions:errors.englishOnlyUnconfirmed" });

/** The recipients ticked; the delivery step requires one and checks each. */
export const DeliverForm = z.object({
  opinionId: Id,
  recipient: z
    .array(z.string().optional())
    .default([])
    .transform((ids) => ids.filter((id): id is string => id !== undefined)),
});

export const AcknowledgeForm = z.object({ opinionId: Id });

const FollowUpText = z
  .string({ required_error: "opinions:errors.followUpRequired" })
  .trim()
  .min(1, "opinions:errors.followUpRequired")
  .max(4000, "opinions:errors.tooLong");
export const AskForm = z.object({ opinionId: Id, question: FollowUpText });
export const AnswerForm = z.object({ opinionId: Id, followUpId: Id, answer: FollowUpText });

/** The treating physician's outcome report (the schema the reports read too). */
export const OutcomeForm = OutcomeReportSchema;

export const ArchiveForm = z.object({});

/** An editor's save that met a newer version of the section: both texts, for the editor to decide. */
export type SectionConflictView = {
  section: SectionName;
  theirs: { version: number; content: { en: unknown }; byName: string | null };
  yours: { en: unknown };
};

/**
 * What the opinion page's action answers: the intent, its errors as the step
 * names them (field errors of a section keyed by their path in it), a section
 * conflict, and conform's reply for the form that posted.
 */
export type OpinionActionReply = {
  ok: boolean;
  intent: string;
  section: string | null;
  formError: string | null;
  fieldErrors?: Record<string, string[]>;
  conflict?: SectionConflictView;
  result?: SubmissionResult<string[]>;
};

/** conform's reply for the form that posted `intent`; with `field`, only when that field had `value` (one of several forms of the same intent). */
export function lastResultOf(
  reply: OpinionActionReply | undefined,
  intent: string,
  field?: { name: string; value: string },
): SubmissionResult<string[]> | undefined {
  if (reply?.intent !== intent) return undefined;
  if (field && reply.result?.initialValue?.[field.name] !== field.value) return undefined;
  return reply.result;
}

/** The reply to one section editor's save: only when it posted `intent` for the section `name`. */
export function sectionReplyOf(reply: OpinionActionReply | undefined, intent: "saveSection" | "translate", name: SectionName): OpinionActionReply | undefined {
  return reply?.intent === intent && reply.section === name ? reply : undefined;
}
