/** A packet's attachments: the list with download links, and the treating side's upload with progress. */
import { CsrfField } from "~/ui/csrf-field";
import { useRevalidator } from "@remix-run/react";
import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ATTACHMENT_KINDS, labelKeys } from "~/features/cases/clinical-vocabulary";
import { formatNumber } from "~/ui/format";

const KIND_KEYS = labelKeys("attachmentKinds", ATTACHMENT_KINDS);
type Attachment = { id: string; fileName: string; kind: string; size: number; mimeType: string };

export function AttachmentsPanel({ caseId, attachments, canUpload }: { caseId: string; attachments: Attachment[]; canUpload: boolean }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const revalidator = useRevalidator();
  const formRef = useRef<HTMLFormElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState<{ kind: "error" | "ok"; key: string } | null>(null);

  function upload(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    if (!(data.get("file") instanceof File) || (data.get("file") as File).size === 0) {
      setMessage({ kind: "error", key: "cases:attachments.errors.noFile" });
      return;
    }
    const request = new XMLHttpRequest();
    request.open("POST", `/cases/${caseId}/attachments`);
    request.upload.onprogress = (e) => e.lengthComputable && setProgress(Math.round((e.loaded / e.total) * 100));
    request.onload = () => {
      setProgress(null);
      const body = (() => {
        try {
          return JSON.parse(request.responseText) as { error?: string };
        } catch {
          return {};
        }
      })();
      if (request.status === 201) {
        setMessage({ kind: "ok", key: "cases:attachments.uploaded" });
        formRef.current?.reset();
        revalidator.revalidate();
      } else setMessage({ kind: "error", key: body.error ?? "cases:attachments.errors.failed" });
    };
    request.onerror = () => {
      setProgress(null);
      setMessage({ kind: "error", key: "cases:attachments.errors.failed" });
    };
    setMessage(null);
    setProgress(0);
    request.send(data);
  }

  return (
    <section className="section attachments" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("cases:attachments.title")}</h2>
      {attachments.length === 0 ? (
        <p className="muted">{t("cases:attachments.none")}</p>
      ) : (
        <ul>
          {attachments.map((a) => (
            <li key={a.id}>
              <a href={`/cases/${caseId}/attachments/${a.id}`}>{a.fileName}</a> — {t(KIND_KEYS[a.kind as keyof typeof KIND_KEYS] ?? KIND_KEYS.OTHER)},{" "}
              {t("cases:attachments.size", { kb: formatNumber(Math.ceil(a.size / 1024), i18n.language) })}
            </li>
          ))}
        </ul>
      )}
      {canUpload && (
        <form ref={formRef} method="post" action={`/cases/${caseId}/attachments`} encType="multipart/form-data" onSubmit={upload} className="field-row">
          <CsrfField />
          <div className="field">
            <label htmlFor={`${id}-kind`}>{t("cases:attachments.kind")}</label>
            <select id={`${id}-kind`} name="kind">
              {ATTACHMENT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(KIND_KEYS[k])}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-file`}>{t("cases:attachments.file")}</label>
            <input id={`${id}-file`} name="file" type="file" accept="application/pdf,image/jpeg,image/png" aria-describedby={`${id}-hint`} />
            <p className="hint" id={`${id}-hint`}>
              {t("cases:attachments.hint")}
            </p>
          </div>
          <button type="submit" className="button-secondary" disabled={progress !== null}>
            {t("cases:attachments.upload")}
          </button>
        </form>
      )}
      {progress !== null && (
        <progress max={100} value={progress} aria-label={t("cases:attachments.progress")}>
          {progress}%
        </progress>
      )}
      {message && (
        <p role={message.kind === "error" ? "alert" : "status"} className={message.kind === "error" ? "alert alert-error" : undefined}>
          {t(message.key)}
        </p>
      )}
    </section>
  );
}
