/** The note and button that mark a key image (a DICOM slice or a slide region), with the exact view. */
import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useMemo, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { KeyImageForm as KeyImageSchema } from "~/features/imaging/imaging-forms";
import type { SlideRegionInput } from "~/features/imaging/slides/slide-region";
import { sliceNumber, type ViewerState } from "~/features/imaging/viewer/viewer-state";
import { FieldErrors } from "~/ui/field-errors";

/** The schemas a key image is posted with: a DICOM slice's, a slide region's. Each has the note. */
type KeyImageNoteSchema = typeof KeyImageSchema | typeof SlideRegionInput;

/**
 * The note and the button of a key image, posted with what identifies the view (`children`, hidden fields) to `action`
 * (by default the page's own); the form clears once saved. The browser checks the note only: the hidden fields are the
 * viewer's, and the action answers for them.
 */
export function KeyImageNoteForm({
  schema,
  submitLabel,
  action,
  children,
}: {
  schema: KeyImageNoteSchema;
  submitLabel: string;
  action?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const fetcher = useFetcher<{ error: string | null; saved?: boolean; result?: SubmissionResult<string[]> }>();
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  const note = useMemo(() => z.object({ note: schema.shape.note }), [schema]);
  const [form, fields] = useForm<z.input<typeof note>>({
    id,
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    constraint: getZodConstraint(note),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: note }),
  });
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.saved) formRef.current?.reset();
  }, [fetcher.state, fetcher.data]);
  return (
    <fetcher.Form method="post" action={action} ref={formRef} className="key-image-form" {...getFormProps(form)}>
      {children}
      <div className="field">
        <label htmlFor={fields.note.id}>{t("imaging:keyImages.note")}</label>
        <textarea {...getTextareaProps(fields.note)} rows={2} />
        <FieldErrors field={fields.note} />
      </div>
      <button type="submit" disabled={fetcher.state !== "idle"}>
        {submitLabel}
      </button>
      {fetcher.data?.error && (
        <p className="alert alert-error" role="alert">
          {t(fetcher.data.error)}
        </p>
      )}
      {fetcher.state === "idle" && fetcher.data?.saved && <p role="status">{t("imaging:keyImages.saved")}</p>}
    </fetcher.Form>
  );
}

/** Marks the slice on screen as a key image of its series (posted to the series' viewer page, `action`); the note and the exact view are kept with it. */
export function KeyImageForm({ action, state, sopInstanceUid, frame }: { action: string; state: ViewerState; sopInstanceUid: string; frame: number }) {
  const { t } = useTranslation();
  return (
    <KeyImageNoteForm schema={KeyImageSchema} submitLabel={t("imaging:keyImages.mark", { slice: sliceNumber(state.slice) })} action={action}>
      <input type="hidden" name="sopInstanceUid" value={sopInstanceUid} />
      <input type="hidden" name="frame" value={frame} />
      <input type="hidden" name="viewState" value={JSON.stringify(state)} />
    </KeyImageNoteForm>
  );
}
