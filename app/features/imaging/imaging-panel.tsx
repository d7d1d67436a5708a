/** The case page's imaging: studies and series, DICOM upload (files, folder, ZIP) with per-file results, linkage key, burned-in review. */
import { useCsrfToken } from "~/ui/csrf-field";
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod";
import { Form, Link, useRevalidator } from "@remix-run/react";
import { memo, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import type { DeidContext } from "./dicom/deidentify";
import { REJECTION_KEYS } from "./dicom/rejection-keys";
import { studyLabel } from "./study-label";
import type { ImagingAbilities } from "./imaging-access";
import type { UploadMessage, UploadRequest } from "./upload-deid.worker";
import { LinkageForm } from "./imaging-forms";
import { uploadBatches } from "./upload-batch";
import { IMAGING_SECTION_ID } from "./imaging-sections";
import { isDocumentModality } from "./dicom/structured-report";

type Series = {
  id: string;
  seriesNumber: number | null;
  modality: string | null;
  description: string | null;
  burnedInRisk: boolean;
  burnedInClearedAt: Date | string | null;
  _count: { instances: number };
};
type Study = { id: string; studyDate: string | null; description: string | null; series: Series[] };
type Item = {
  file: File;
  state: "waiting" | "deidentifying" | "uploading" | "stored" | "duplicate" | "rejected" | "failed";
  progress: number;
  reasonKey?: string;
};

const STATE_KEYS = {
  waiting: "imaging:upload.status.waiting",
  deidentifying: "imaging:upload.status.deidentifying",
  uploading: "imaging:upload.status.uploading",
  stored: "imaging:upload.status.stored",
  duplicate: "imaging:upload.status.duplicate",
  rejected: "imaging:upload.status.rejected",
  failed: "imaging:upload.status.failed",
} as const;

const MAX_ENTRY_BYTES = 1024 * 1024 * 1024;
const UPLOAD_LANES = 3;
const PAINT_MS = 200;

/** ZIP archives are unpacked in the browser, so every file inside gets its own progress and result. */
async function expandArchives(files: File[]): Promise<File[]> {
  const out: File[] = [];
  for (const file of files) {
    if (!/\.zip$/i.test(file.name)) {
      out.push(file);
      continue;
    }
    const { unzipSync } = await import("fflate");
    const entries = unzipSync(new Uint8Array(await file.arrayBuffer()), {
      filter: (entry) => !entry.name.endsWith("/") && !entry.name.startsWith("__MACOSX/") && entry.originalSize <= MAX_ENTRY_BYTES,
    });
    for (const [name, data] of Object.entries(entries)) out.push(new File([data as Uint8Array<ArrayBuffer>], `${file.name}/${name}`));
  }
  return out;
}

let uploadWorker: Worker | null = null;
let uploadRequests = 0;

/** A batch of files through the upload worker (each read and de-identified with the case's context, then all sent together); `onPhase` follows it. */
function uploadThroughWorker(caseId: string, files: File[], ctx: DeidContext, csrf: string, onPhase: (message: UploadMessage) => void): Promise<void> {
  uploadWorker ??= new Worker(new URL("./upload-deid.worker.ts", import.meta.url), { type: "module" });
  const worker = uploadWorker;
  const id = ++uploadRequests;
  return new Promise((resolve) => {
    const listen = ({ data }: MessageEvent<UploadMessage>) => {
      if (data.id !== id) return;
      onPhase(data);
      if (data.phase !== "done") return;
      worker.removeEventListener("message", listen);
      resolve();
    };
    worker.addEventListener("message", listen);
    const request: UploadRequest = {
      id,
      // The file's own name only: a folder exported from a PACS is often named after the patient.
      files: files.map((file) => ({ file, name: file.name })),
      ctx,
      url: `/cases/${caseId}/imaging`,
      csrf,
    };
    worker.postMessage(request);
  });
}

const rejectionKey = (reason: string) => (REJECTION_KEYS as Record<string, string>)[reason] ?? "imaging:upload.deidentifyFailed";

type Props = {
  caseId: string;
  studies: Study[];
  may: ImagingAbilities;
  linkageIsSet: boolean;
  /** The action's answer to the linkage form, and how many waiting studies it attached. */
  lastResult: SubmissionResult<string[]> | undefined;
  linkageAttached: number | null;
};

export function ImagingPanel({ caseId, studies, may, linkageIsSet, lastResult, linkageAttached }: Props) {
  const { t, i18n } = useTranslation();
  const seriesText = (s: Series) =>
    t("imaging:studies.series", { number: s.seriesNumber ?? "—", modality: s.modality ?? "", description: s.description ?? "", count: s._count.instances });
  const id = useId();
  const revalidator = useRevalidator();
  const csrf = useCsrfToken();
  const [items, setItems] = useState<Item[]>([]);
  const [busy, setBusy] = useState(false);
  const itemsRef = useRef<Item[]>([]);
  const paintRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  /**
   * Changes land in the ref at once and on screen at most every PAINT_MS: a table of hundreds of files repainted every
   * frame took the processor the de-identification and the upload need.
   */
  const update = (next: Item[]) => {
    itemsRef.current = next;
    paintRef.current ??= setTimeout(() => {
      paintRef.current = null;
      setItems(itemsRef.current);
    }, PAINT_MS);
  };

  /** Batches of files go through a few lanes at once: while one lane's batch is being sent, another's is de-identified in the worker. */
  async function run(indexes: number[]) {
    setBusy(true);
    const setItem = (i: number, change: Partial<Item>) => update(itemsRef.current.map((it, j) => (j === i ? { ...it, ...change } : it)));
    const ctx = await fetch(`/cases/${caseId}/imaging`, { headers: { accept: "application/json" } }).then(
      (r) => (r.ok ? (r.json() as Promise<DeidContext>) : null),
      () => null,
    );
    const queue = uploadBatches(indexes.map((i) => itemsRef.current[i].file.size)).map((batch) => batch.map((k) => indexes[k]));
    const lane = async () => {
      for (let batch = queue.shift(); batch !== undefined; batch = queue.shift()) {
        const inBatch = batch;
        if (!ctx) {
          for (const index of inBatch) setItem(index, { state: "failed", reasonKey: rejectionKey("deidentifyFailed"), progress: 1 });
          continue;
        }
        for (const index of inBatch) setItem(index, { state: "deidentifying", progress: 0 });
        await uploadThroughWorker(
          caseId,
          inBatch.map((index) => itemsRef.current[index].file),
          ctx,
          csrf ?? "",
          (message) => {
            if (message.phase === "refused") setItem(inBatch[message.index], { state: "rejected", reasonKey: rejectionKey(message.reason), progress: 1 });
            else if (message.phase === "uploading") for (const k of message.indexes) setItem(inBatch[k], { state: "uploading", progress: 0 });
            else for (const { index, result } of message.results) setItem(inBatch[index], { state: result.status, reasonKey: result.reasonKey, progress: 1 });
          },
        );
      }
    };
    await Promise.all(Array.from({ length: UPLOAD_LANES }, lane));
    setBusy(false);
    revalidator.revalidate();
  }

  async function add(files: FileList | File[]) {
    const fresh = (await expandArchives([...files])).filter((f) => f.size > 0).map((file): Item => ({ file, state: "waiting", progress: 0 }));
    const start = itemsRef.current.length;
    update([...itemsRef.current, ...fresh]);
    void run(fresh.map((_, k) => start + k));
  }

  const count = (state: Item["state"]) => items.filter((i) => i.state === state).length;
  const total = items.length ? items.reduce((sum, i) => sum + i.progress, 0) / items.length : 0;
  const failed = items.map((it, i) => (it.state === "failed" ? i : -1)).filter((i) => i >= 0);

  return (
    <section className="section" id={IMAGING_SECTION_ID} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("imaging:upload.title")}</h2>
      {studies.length === 0 ? (
        <p className="muted">{t("imaging:studies.none")}</p>
      ) : (
        <ul className="studies">
          {studies.map((study) => (
            <li key={study.id}>
              <h3>{studyLabel(study, t, i18n.language)}</h3>
              <ul>
                {study.series.map((s) => (
                  <li key={s.id}>
                    {isDocumentModality(s.modality) ? (
                      <>
                        {seriesText(s)} <span className="hint">{t("imaging:studies.documentSeries")}</span>
                      </>
                    ) : (
                      <Link to={`/cases/${caseId}/series/${s.id}`}>{seriesText(s)}</Link>
                    )}
                    {s.burnedInRisk && !s.burnedInClearedAt && <p className="hint warning">{t("imaging:studies.burnedIn")}</p>}
                    {s.burnedInRisk && may.seeFlaggedSeries && (
                      <p>
                        <Link to={`/cases/${caseId}/burned-in/${s.id}`}>{t("imaging:burnedIn.link", { number: s.seriesNumber ?? "—" })}</Link>
                      </p>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {may.addImaging && (
        <>
          <p className="hint">{t("imaging:upload.intro")}</p>
          <div
            className="drop-zone"
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              void add(e.dataTransfer.files);
            }}
          >
            <div className="field-row">
              <div className="field">
                <label htmlFor={`${id}-files`}>{t("imaging:upload.files")}</label>
                <input id={`${id}-files`} type="file" multiple disabled={busy} onChange={(e) => e.currentTarget.files && void add(e.currentTarget.files)} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-folder`}>{t("imaging:upload.folder")}</label>
                <input
                  id={`${id}-folder`}
                  type="file"
                  multiple
                  disabled={busy}
                  {...({ webkitdirectory: "" } as Record<string, string>)}
                  onChange={(e) => e.currentTarget.files && void add(e.currentTarget.files)}
                />
              </div>
            </div>
            <p className="muted small">{t("imaging:upload.drop")}</p>
          </div>
        </>
      )}
      {may.queryPacs && (
        <p>
          <Link to={`/cases/${caseId}/pacs`}>{t("imaging:pacs.link")}</Link>
        </p>
      )}
      {may.setLinkage && <LinkageKeyForm isSet={linkageIsSet} lastResult={lastResult} attached={linkageAttached} />}
      {items.length > 0 && (
        <>
          <progress max={1} value={total} aria-label={t("imaging:upload.total")} />
          <p role="status">
            {t("imaging:upload.summary", { stored: count("stored"), duplicate: count("duplicate"), rejected: count("rejected"), failed: count("failed") })}
          </p>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("imaging:upload.file")}</th>
                <th scope="col">{t("imaging:upload.result")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item, i) => (
                <UploadRow key={`${item.file.name}-${i}`} item={item} />
              ))}
            </tbody>
          </table>
          {failed.length > 0 && !busy && (
            <button type="button" className="button-secondary" onClick={() => void run(failed)}>
              {t("imaging:upload.retry")}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** One file's row; unchanged items keep their object, so only the rows whose file moved on are drawn again. */
const UploadRow = memo(function UploadRow({ item }: { item: Item }) {
  const { t } = useTranslation();
  return (
    <tr className={`upload-${item.state}`}>
      <td>{item.file.webkitRelativePath || item.file.name}</td>
      <td>
        {item.state === "uploading" ? (
          <progress max={1} value={item.progress} aria-label={t("imaging:upload.progressOf", { file: item.file.name })} />
        ) : (
          t(STATE_KEYS[item.state])
        )}
        {item.reasonKey && <span> — {t(item.reasonKey)}</span>}
        {item.state === "failed" && <span> — {t("imaging:upload.failed")}</span>}
      </td>
    </tr>
  );
});

/** The study's accession number or hospital patient ID, which the server keeps only as a keyed hash. */
function LinkageKeyForm({ isSet, lastResult, attached }: { isSet: boolean; lastResult: SubmissionResult<string[]> | undefined; attached: number | null }) {
  const { t } = useTranslation();
  const [form, fields] = useForm<z.input<typeof LinkageForm>>({
    id: "linkage",
    lastResult,
    constraint: getZodConstraint(LinkageForm),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" preventScrollReset className="linkage-form" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="setLinkage" />
      <div className="field">
        <label htmlFor={fields.linkageKey.id}>{t("imaging:linkage.label")}</label>
        <input {...getInputProps(fields.linkageKey, { type: "text", ariaDescribedBy: `${fields.linkageKey.id}-hint` })} autoComplete="off" />
        <p className="hint" id={`${fields.linkageKey.id}-hint`}>
          {isSet ? t("imaging:linkage.isSet") : t("imaging:linkage.hint")}
        </p>
        <FieldErrors field={fields.linkageKey} />
      </div>
      <FormErrors errors={form.errors} />
      {attached !== null && (
        <p className="alert alert-success" role="status">
          {t("imaging:linkage.saved", { count: attached })}
        </p>
      )}
      <button type="submit" className="button-secondary">
        {t("imaging:linkage.save")}
      </button>
    </Form>
  );
}
