/** The PACS inbox's forms as zod schemas both the browser (conform) and the action parse: find by linkage key, attach a study to a case, discard a study. */
import { z } from "zod";

export const InboxFindForm = z.object({
  intent: z.literal("find"),
  linkageKey: z.string({ required_error: "imaging:inbox.findInvalid" }).trim().min(1, "imaging:inbox.findInvalid").max(64, "imaging:inbox.findInvalid"),
});

export const InboxAttachForm = z.object({
  intent: z.literal("attach"),
  studyId: z.string({ required_error: "imaging:inbox.invalid" }),
  caseId: z.string({ required_error: "imaging:inbox.chooseCase" }),
});

export const InboxDiscardForm = z.object({
  intent: z.literal("discard"),
  studyId: z.string({ required_error: "imaging:inbox.invalid" }),
});

/** Any of the three, told apart by `intent`; an unknown intent is an incomplete request. */
export const InboxActionForm = z.discriminatedUnion("intent", [InboxFindForm, InboxAttachForm, InboxDiscardForm], {
  errorMap: (issue, ctx) => (issue.code === z.ZodIssueCode.invalid_union_discriminator ? { message: "imaging:inbox.invalid" } : { message: ctx.defaultError }),
});
