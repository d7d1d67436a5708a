/** The burned-in review page's body: each flagged image with the OCR word boxes drawn over it, and the clear and retry buttons. */
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

type Box = { x: number; y: number; width: number; height: number; text: string; confidence: number };
type Instance = {
  id: string;
  instanceNumber: number | null;
  width: number;
  height: number;
  ocrStatus: string | null;
  ocrErrorKey: string | null;
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
};

export function BurnedInReview({ caseId, seriesId, canClear, cleared, pending, failed, boxCount, instances, error }: BurnedInReviewProps) {
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
                </figure>
              ))}
            </div>
            {instance.hiddenFrames > 0 && <p className="muted small">{t("imaging:burnedIn.hiddenFrames", { count: instance.hiddenFrames })}</p>}
          </section>
        );
      })}
    </>
  );
}
