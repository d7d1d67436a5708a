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

const pixel = (max: number) =>
  z.coerce
    .number({ required_error: "imaging:burnedIn.boxInvalid", invalid_type_error: "imaging:burnedIn.boxInvalid" })
    .int("imaging:burnedIn.boxInvalid")
    .min(0, "imaging:burnedIn.boxInvalid")
    .max(max, "imaging:burnedIn.boxInvalid");
const id = z.string({ required_error: "imaging:review.notFound" }).min(1, "imaging:review.notFound").max(40, "imaging:review.notFound");

/**
 * The burned-in review page's forms: clear the series (redacting its boxes), run OCR again where it failed,
 * draw a box by hand (frame counted from 1, pixels of the image), remove a box.
 */
export const BurnedInReviewForm = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("clearBurnedIn") }),
    z.object({ intent: z.literal("retryOcr") }),
    z.object({
      intent: z.literal("addBox"),
      instanceId: id,
      frame: pixel(100_000).min(1, "imaging:burnedIn.boxInvalid"),
      x: pixel(65_535),
      y: pixel(65_535),
      width: pixel(65_535).min(1, "imaging:burnedIn.boxInvalid"),
      height: pixel(65_535).min(1, "imaging:burnedIn.boxInvalid"),
    }),
    z.object({ intent: z.literal("removeBox"), boxId: id }),
  ],
  { errorMap: () => ({ message: "cases:errors.actionNotAllowed" }) },
);
export type BurnedInBoxInput = Extract<z.output<typeof BurnedInReviewForm>, { intent: "addBox" }>;

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

/** The viewer's measurements of the series on screen (the annotations of the ViewerState, as JSON) saved as a DICOM SR. */
export const SaveMeasurementsForm = z.object({
  intent: z.literal("saveMeasurements"),
  viewState: z.string({ required_error: "imaging:reports.invalid" }).max(100_000, "imaging:reports.invalid"),
});
