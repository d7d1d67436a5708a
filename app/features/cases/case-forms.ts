/** The case page's forms as the zod schemas both the browser (conform) and the action parse. */
import { z } from "zod";
import { isCalendarDate } from "./case-packet";
import { SUGGESTION_UNCHECKED, suggestionChecked, TEXT_LANGUAGES, translationAidFields, translationText } from "~/features/translation/translated-text";

/** A narrative's translation, with its aids' fields (`translationAidFields`). */
export const TranslationForm = z
  .object({
    intent: z.literal("translate"),
    key: z.string().min(1).max(40),
    text: translationText(),
    status: z.enum(["DRAFT", "REVIEWED"]),
    ...translationAidFields,
  })
  .refine(suggestionChecked, SUGGESTION_UNCHECKED);

export const CommentForm = z.object({
  intent: z.literal("comment"),
  body: z.string({ required_error: "cases:discussion.bodyRequired" }).trim().min(1, "cases:discussion.bodyRequired").max(5000, "cases:errors.tooLong"),
  language: z.enum(TEXT_LANGUAGES),
});

/** The lifecycle steps the case page offers as buttons; a reason is kept to its first 2,000 characters. */
export const TransitionForm = z.object({
  intent: z.enum(["startReview", "return", "withdraw"]),
  reason: z
    .string()
    .optional()
    .transform((reason) => reason?.trim().slice(0, 2000)),
});

/** Deleting an empty draft: no reason, but the page asks first. */
export const DeleteDraftForm = z.object({ intent: z.literal("deleteDraft") });

export const AssignForm = z.object({
  primaryId: z.string({ required_error: "cases:assign.primaryRequired" }).min(1, "cases:assign.primaryRequired"),
  secondaryIds: z.array(z.string()).default([]),
  dueDate: z.string({ required_error: "cases:errors.dateInvalid" }).refine(isCalendarDate, "cases:errors.dateInvalid"),
});
