/**
 * The upload worker: reads each DICOM file the user picked, de-identifies it with the case's context, and sends only the
 * result to the server, all off the page's thread, so nothing identifiable leaves the browser and the page stays responsive.
 */
import type { DeidContext } from "./dicom/deidentify";
import { deidentifyFile } from "./dicom/deidentify-file";
import { CSRF_HEADER } from "../identity/csrf";

export type UploadRequest = { id: number; file: File; name: string; ctx: DeidContext; url: string; csrf: string };
export type UploadResult = { status: "stored" | "duplicate" | "rejected" | "failed"; reasonKey?: string };
export type UploadMessage =
  { id: number; phase: "uploading" } | { id: number; phase: "done"; result: UploadResult } | { id: number; phase: "refused"; reason: string };

const scope = self as unknown as { onmessage: (event: MessageEvent<UploadRequest>) => void; postMessage: (message: UploadMessage) => void };

async function send({ name, url, csrf }: UploadRequest, bytes: Uint8Array): Promise<UploadResult> {
  try {
    const response = await fetch(url, {
      method: "POST",
      body: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/dicom" }),
      headers: { "content-type": "application/dicom", "x-file-name": encodeURIComponent(name), [CSRF_HEADER]: csrf },
    });
    const [result] = ((await response.json()) as { results: UploadResult[] }).results;
    return result ? { status: result.status, reasonKey: result.reasonKey } : { status: "failed" };
  } catch {
    return { status: "failed" };
  }
}

scope.onmessage = async ({ data }) => {
  try {
    const result = deidentifyFile(new Uint8Array(await data.file.arrayBuffer()), data.ctx);
    if (!result.ok) return scope.postMessage({ id: data.id, phase: "refused", reason: result.reason });
    scope.postMessage({ id: data.id, phase: "uploading" });
    scope.postMessage({ id: data.id, phase: "done", result: await send(data, result.bytes) });
  } catch {
    scope.postMessage({ id: data.id, phase: "refused", reason: "deidentifyFailed" });
  }
};
