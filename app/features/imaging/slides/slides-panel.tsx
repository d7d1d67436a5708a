/** The case page's pathology slides, their preparation state, and the upload for those who may add images. */
import { CsrfField } from "~/ui/csrf-field";
import { Link, useFetcher, useRevalidator } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DeidContext } from "../dicom/deidentify";
import { SlideRefusal } from "./slide-bytes";
import { slideCleaning } from "./slide-deid";
import { SLIDES_SECTION_ID } from "../imaging-sections";

/** The file as it leaves the page: cleaned (slide-deid.ts), with the untouched ranges as slices of it, so nothing large is copied. */
async function cleanedSlideFile(file: File, caseId: string): Promise<Blob> {
  const source = { size: file.size, read: async (offset: number, length: number) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()) };
  const parts = await slideCleaning(source, async () => {
    const answer = await fetch(`/cases/${caseId}/imaging`, { headers: { accept: "application/json" } });
    if (!answer.ok) throw new Error("no de-identification context");
    return (await answer.json()) as DeidContext;
  });
  return new Blob(parts.map((part) => (part instanceof Uint8Array ? (part as Uint8Array<ArrayBuffer>) : file.slice(part.from, part.to))));
}

type SlideItem = { id: string; fileName: string; status: string; errorKey: string | null };

/** The case's pathology slides, with their preparation state, and the upload form for those who may add images. */
export function SlidesPanel({ caseId, slides, canUpload }: { caseId: string; slides: SlideItem[]; canUpload: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const fetcher = useFetcher<{ error: string | null; slideId: string | null }>();
  const revalidator = useRevalidator();
  const [cleaningError, setCleaningError] = useState<string | null>(null);
  const [cleaning, setCleaning] = useState(false);
  const preparing = slides.some((s) => s.status === "PROCESSING");

  /** The slide is cleaned here (slide-deid.ts) and only the cleaned file is sent: its label and scan text never leave. */
  async function submitCleaned(form: HTMLFormElement) {
    const data = new FormData(form);
    const file = data.get("file");
    setCleaningError(null);
    if (file instanceof File && file.size > 0) {
      setCleaning(true);
      try {
        data.set("file", await cleanedSlideFile(file, caseId), file.name);
      } catch (error) {
        setCleaning(false);
        return setCleaningError(error instanceof SlideRefusal ? error.errorKey : "imaging:slides.errors.unreadable");
      }
      setCleaning(false);
    }
    fetcher.submit(data, { method: "post", action: `/cases/${caseId}/slides`, encType: "multipart/form-data" });
  }
  useEffect(() => {
    if (!preparing) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1500);
    return () => clearInterval(timer);
  }, [preparing, revalidator]);
  return (
    <section className="section" id={SLIDES_SECTION_ID} aria-labelledby={`${id}-title`}>
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
        <fetcher.Form
          method="post"
          action={`/cases/${caseId}/slides`}
          encType="multipart/form-data"
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void submitCleaned(event.currentTarget);
          }}
        >
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
          <button type="submit" disabled={cleaning || fetcher.state !== "idle"}>
            {t("imaging:slides.upload")}
          </button>
          {(cleaningError ?? fetcher.data?.error) && (
            <p className="alert alert-error" role="alert">
              {t(cleaningError ?? fetcher.data?.error ?? "")}
            </p>
          )}
        </fetcher.Form>
      )}
    </section>
  );
}
