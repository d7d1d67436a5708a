/**
 * The upload worker: reads each DICOM file of a batch the user picked, de-identifies it with the case's context, and sends
 * only the results, together in one request (upload-batch.ts), all off the page's thread, so nothing identifiable leaves the
 * browser and the page stays responsive.
 */
import type { DeidContext } from "./dicom/deidentify";
import { deidentifyFile } from "./dicom/deidentify-file";
import { CSRF_HEADER } from "../identity/csrf";
import { partDisposition } from "./upload-batch";

export type UploadRequest = { id: number; files: { file: File; name: string }[]; ctx: DeidContext; url: string; csrf: string };
export type UploadResult = { status: "stored" | "duplicate" | "rejected" | "failed"; reasonKey?: string };
/** `index`/`indexes`: positions in the request's `files`. The batch ends with "done", which carries the results of the files sent. */
export type UploadMessage =
  | { id: number; phase: "refused"; index: number; reason: string }
  | { id: number; phase: "uploading"; indexes: number[] }
  | { id: number; phase: "done"; results: { index: number; result: UploadResult }[] };

const scope = self as unknown as { onmessage: (event: MessageEvent<UploadRequest>) => void; postMessage: (message: UploadMessage) => void };

const BOUNDARY = `upload-${crypto.randomUUID()}`;

async function send({ url, csrf }: UploadRequest, files: { name: string; bytes: Uint8Array }[]): Promise<UploadResult[]> {
  const body = new Blob(
    [
      ...files.flatMap(({ name, bytes }) => [
        `--${BOUNDARY}\r\nContent-Type: application/dicom\r\n${partDisposition(name)}\r\n\r\n`,
        bytes as Uint8Array<ArrayBuffer>,
        "\r\n",
      ]),
      `--${BOUNDARY}--\r\n`,
    ],
    { type: "multipart/related" },
  );
  const failed = files.map((): UploadResult => ({ status: "failed" }));
  try {
    const response = await fetch(url, {
      method: "POST",
      body,
      headers: { "content-type": `multipart/related; type="application/dicom"; boundary=${BOUNDARY}`, [CSRF_HEADER]: csrf },
    });
    const { results } = (await response.json()) as { results?: UploadResult[] };
    return failed.map((fallback, i) => (results?.[i] ? { status: results[i].status, reasonKey: results[i].reasonKey } : fallback));
  } catch {
    return failed;
  }
}

scope.onmessage = async ({ data }) => {
  const ready: { index: number; name: string; bytes: Uint8Array }[] = [];
  for (const [index, { file, name }] of data.files.entries()) {
    try {
      const result = deidentifyFile(new Uint8Array(await file.arrayBuffer()), data.ctx);
      if (result.ok) ready.push({ index, name, bytes: result.bytes });
      else scope.postMessage({ id: data.id, phase: "refused", index, reason: result.reason });
    } catch {
      scope.postMessage({ id: data.id, phase: "refused", index, reason: "deidentifyFailed" });
    }
  }
  if (ready.length === 0) return scope.postMessage({ id: data.id, phase: "done", results: [] });
  scope.postMessage({ id: data.id, phase: "uploading", indexes: ready.map((r) => r.index) });
  const results = await send(data, ready);
  scope.postMessage({ id: data.id, phase: "done", results: ready.map(({ index }, i) => ({ index, result: results[i] })) });
};
