/** The imaging forms of the case page and the viewers as the zod schemas both the browser (conform) and the actions parse. */
import { z } from "zod";

export const LinkageForm = z.object({
  intent: z.literal("setLinkage"),
  linkageKey: z.string({ required_error: "imaging:linkage.invalid" }).trim().min(1, "imaging:linkage.invalid").max(64, "imaging:linkage.invalid"),
});

export const ClearBurnedInForm = z.object({
  intent: z.literal("clearBurnedIn"),
  seriesId: z.string({ required_error: "imaging:review.notFound" }).max(40, "imaging:review.notFound"),
});

/** The burned-in review page's buttons: clear the series (redacting its boxes) or run OCR again where it failed. */
export const BurnedInReviewForm = z.object({
  intent: z.enum(["clearBurnedIn", "retryOcr"], { errorMap: () => ({ message: "cases:errors.actionNotAllowed" }) }),
});

/** A key image: the slice on screen with its note and the exact view (ViewerState as JSON). */
export const KeyImageForm = z.object({
  note: z
    .string({ required_error: "imaging:keyImages.noteRequired" })
    .trim()
    .min(1, "imaging:keyImages.noteRequired")
    .max(1000, "imaging:keyImages.noteTooLong"),
  sopInstanceUid: z.string({ required_error: "imaging:keyImages.invalid" }).min(1).max(64),
  frame: z.coerce.number({ required_error: "imaging:keyImages.invalid" }).int().min(0),
  viewState: z.string({ required_error: "imaging:keyImages.invalid" }).max(100_000),
});
