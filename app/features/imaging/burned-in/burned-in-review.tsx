/** The burned-in review page's body: each flagged image with the OCR word boxes drawn over it, and the clear and retry buttons. */
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { BurnedInReviewForm } from "~/features/imaging/imaging-forms";
import { TableScroll } from "~/ui/table-scroll";

type Box = { id: string; x: number; y: number; width: number; height: number; text: string; confidence: number; manual: boolean };
type Instance = {
  id: string;
  instanceNumber: number | null;
  width: number;
  height: number;
  ocrStatus: string | null;
  ocrErrorKey: string | null;
  frameCount: number;
  redacted: boolean;
  hiddenFrames: number;
  frames: { frame: number; boxes: Box[] }[];
};
export type BurnedInReviewProps = {
  caseId: string;
  seriesId: string;
  canClear: boolean;
  cleared: boolean;
  pending: number;
  failed: number;
  boxCount: number;
  instances: Instance[];
  error: string | null;
  /** The action's answer to one image's add-a-box form. */
  boxFormResult: { formId: string; result: SubmissionResult<string[]> | undefined } | null;
};

export function BurnedInReview({ caseId, seriesId, canClear, cleared, pending, failed, boxCount, instances, error, boxFormResult }: BurnedInReviewProps) {
  const { t } = useTranslation();
  return (
    <>
      <p>{t("imaging:burnedIn.intro")}</p>
      <p role="status">
        {t("imaging:burnedIn.summary", { count: boxCount, images: instances.length })}
        {pending > 0 && ` ${t("imaging:burnedIn.reading", { count: pending })}`}
        {failed > 0 && ` ${t("imaging:burnedIn.failedCount", { count: failed })}`}
      </p>
      {cleared && <p className="hint">{t("imaging:burnedIn.cleared")}</p>}
      {error && (
        <p className="alert alert-error" role="alert">
          {t(error)}
        </p>
      )}
      {canClear && (
        <div className="button-row">
          <Form method="post">
            <input type="hidden" name="intent" value="clearBurnedIn" />
            <button type="submit" className="button-primary" disabled={pending > 0 || failed > 0}>
              {t("imaging:burnedIn.clear")}
            </button>
          </Form>
          {failed > 0 && (
            <Form method="post">
              <input type="hidden" name="intent" value="retryOcr" />
              <button type="submit" className="button-secondary">
                {t("imaging:burnedIn.retry")}
              </button>
            </Form>
          )}
        </div>
      )}
      {instances.map((instance, n) => {
        const number = instance.instanceNumber ?? n + 1;
        return (
          <section key={instance.id} className="burned-in-instance" aria-labelledby={`image-${instance.id}`}>
            <h2 id={`image-${instance.id}`}>{t("imaging:burnedIn.image", { number })}</h2>
            <p className="muted">
              {instance.ocrStatus && t(`imaging:burnedIn.status.${instance.ocrStatus}`)}
              {instance.ocrErrorKey && ` — ${t(instance.ocrErrorKey)}`}
              {instance.redacted && ` — ${t("imaging:burnedIn.redacted")}`}
            </p>
            <div className="burned-in-frames">
              {instance.frames.map(({ frame, boxes }) => (
                <figure key={frame} className="burned-in-frame">
                  <div className="burned-in-canvas">
                    <img
                      src={`/cases/${caseId}/burned-in/${seriesId}/frames/${instance.id}/${frame}`}
                      alt={t("imaging:burnedIn.imageAlt", { number, frame: frame + 1 })}
                      width={instance.width || undefined}
                      height={instance.height || undefined}
                    />
                    <svg
                      role="img"
                      aria-label={t("imaging:burnedIn.boxesLabel", { count: boxes.length })}
                      viewBox={`0 0 ${instance.width} ${instance.height}`}
                      preserveAspectRatio="none"
                      data-testid="burned-in-boxes"
                    >
                      {boxes.map((box, i) => (
                        <rect key={i} x={box.x} y={box.y} width={box.width} height={box.height}>
                          <title>{`${box.text} (${Math.round(box.confidence)}%)`}</title>
                        </rect>
                      ))}
                    </svg>
                  </div>
                  <figcaption>{t("imaging:burnedIn.frameCaption", { number, frame: frame + 1, count: boxes.length })}</figcaption>
                  {boxes.length > 0 && (
                    <BoxTable
                      boxes={boxes}
                      editable={canClear && instance.ocrStatus === "DONE"}
                      label={t("imaging:burnedIn.frameCaption", { number, frame: frame + 1, count: boxes.length })}
                    />
                  )}
                </figure>
              ))}
            </div>
            {instance.hiddenFrames > 0 && <p className="muted small">{t("imaging:burnedIn.hiddenFrames", { count: instance.hiddenFrames })}</p>}
            {canClear && instance.ocrStatus === "DONE" && (
              <AddBoxForm instance={instance} lastResult={boxFormResult?.formId === instance.id ? boxFormResult.result : undefined} />
            )}
          </section>
        );
      })}
    </>
  );
}

/** The boxes of one frame as a table (the accessible form of the drawing), each removable while the series is not cleared. */
function BoxTable({ boxes, editable, label }: { boxes: Box[]; editable: boolean; label: string }) {
  const { t } = useTranslation();
  return (
    <TableScroll label={label}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t("imaging:burnedIn.boxNumber")}</th>
            <th scope="col">{t("imaging:burnedIn.boxPlace")}</th>
            <th scope="col">{t("imaging:burnedIn.boxText")}</th>
            {editable && <th scope="col">{t("imaging:burnedIn.boxAction")}</th>}
          </tr>
        </thead>
        <tbody>
          {boxes.map((box, i) => (
            <tr key={box.id}>
              <td>{i + 1}</td>
              <td>{t("imaging:burnedIn.boxPlaceValue", { x: box.x, y: box.y, width: box.width, height: box.height })}</td>
              <td>{box.manual ? t("imaging:burnedIn.drawnByHand") : `${box.text} (${Math.round(box.confidence)}%)`}</td>
              {editable && (
                <td>
                  <Form method="post" preventScrollReset>
                    <input type="hidden" name="intent" value="removeBox" />
                    <input type="hidden" name="boxId" value={box.id} />
                    <button type="submit" className="button-secondary">
                      {t("imaging:burnedIn.removeBox", { number: i + 1 })}
                    </button>
                  </Form>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** A box OCR missed, drawn by hand in the image's pixels. */
function AddBoxForm({ instance, lastResult }: { instance: Instance; lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: `add-box-${instance.id}`,
    lastResult,
    constraint: getZodConstraint(BurnedInReviewForm),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: BurnedInReviewForm }),
  });
  const number = (name: "frame" | "x" | "y" | "width" | "height", label: string, max: number, min = 0) => {
    const field = fields[name as keyof typeof fields] as Parameters<typeof getInputProps>[0];
    return (
      <div className="field">
        <label htmlFor={field.id}>{label}</label>
        <input {...getInputProps(field, { type: "number" })} min={min} max={max} />
        <FieldErrors field={field} />
      </div>
    );
  };
  return (
    <Form method="post" preventScrollReset className="inline-form" {...getFormProps(form)} aria-label={t("imaging:burnedIn.addBox")}>
      <input type="hidden" name="intent" value="addBox" />
      <input type="hidden" name="instanceId" value={instance.id} />
      {number("frame", t("imaging:burnedIn.frameField"), instance.frameCount, 1)}
      {number("x", t("imaging:burnedIn.xField"), instance.width - 1)}
      {number("y", t("imaging:burnedIn.yField"), instance.height - 1)}
      {number("width", t("imaging:burnedIn.widthField"), instance.width, 1)}
      {number("height", t("imaging:burnedIn.heightField"), instance.height, 1)}
      <button type="submit" className="button-secondary">
        {t("imaging:burnedIn.addBox")}
      </button>
      <FormErrors errors={form.errors} />
    </Form>
  );
}
