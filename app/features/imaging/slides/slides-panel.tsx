/** The case page's pathology slides, their preparation state, and the upload for those who may add images. */
import { CsrfField } from "~/ui/csrf-field";
import { Link, useFetcher, useRevalidator } from "@remix-run/react";
import { useEffect, useId } from "react";
import { useTranslation } from "react-i18next";

type SlideItem = { id: string; fileName: string; status: string; errorKey: string | null };

/** The case's pathology slides, with their preparation state, and the upload form for those who may add images. */
export function SlidesPanel({ caseId, slides, canUpload }: { caseId: string; slides: SlideItem[]; canUpload: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const fetcher = useFetcher<{ error: string | null; slideId: string | null }>();
  const revalidator = useRevalidator();
  const preparing = slides.some((s) => s.status === "PROCESSING");
  useEffect(() => {
    if (!preparing) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1500);
    return () => clearInterval(timer);
  }, [preparing, revalidator]);
  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("imaging:slides.title")}</h2>
      {slides.length === 0 ? (
        <p className="muted">{t("imaging:slides.none")}</p>
      ) : (
        <ul className="slides">
          {slides.map((s) => (
            <li key={s.id}>
              {s.status === "READY" ? <Link to={`/cases/${caseId}/slides/${s.id}`}>{s.fileName}</Link> : s.fileName}{" "}
              {s.status === "PROCESSING" && <span role="status">{t("imaging:slides.processing")}</span>}
              {s.status === "FAILED" && <span className="field-error">{t(s.errorKey ?? "imaging:slides.errors.unreadable")}</span>}
            </li>
          ))}
        </ul>
      )}
      {canUpload && (
        <fetcher.Form method="post" action={`/cases/${caseId}/slides`} encType="multipart/form-data" className="inline-form">
          <CsrfField />
          <div className="field">
            <label htmlFor={`${id}-file`}>{t("imaging:slides.file")}</label>
            <input
              id={`${id}-file`}
              name="file"
              type="file"
              accept=".svs,.tif,.tiff,.dcm,.jpg,.jpeg,.png,image/*,application/dicom"
              required
              aria-describedby={`${id}-hint`}
            />
            <p className="hint" id={`${id}-hint`}>
              {t("imaging:slides.hint")}
            </p>
          </div>
          <button type="submit" disabled={fetcher.state !== "idle"}>
            {t("imaging:slides.upload")}
          </button>
          {fetcher.data?.error && (
            <p className="alert alert-error" role="alert">
              {t(fetcher.data.error)}
            </p>
          )}
        </fetcher.Form>
      )}
    </section>
  );
}
