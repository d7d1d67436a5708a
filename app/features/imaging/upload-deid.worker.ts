/** The upload worker: de-identifies each DICOM file in the uploader's browser, off the page's thread, before anything is sent. */
import type { DeidContext } from "./dicom/deidentify";
import { deidentifyFile } from "./dicom/deidentify-file";

export type UploadDeidRequest = { id: number; bytes: ArrayBuffer; ctx: DeidContext };
export type UploadDeidAnswer = { id: number; ok: true; bytes: ArrayBuffer } | { id: number; ok: false; reason: string };

const scope = self as unknown as {
  onmessage: (event: MessageEvent<UploadDeidRequest>) => void;
  postMessage: (message: UploadDeidAnswer, transfer?: Transferable[]) => void;
};

scope.onmessage = ({ data: { id, bytes, ctx } }) => {
  try {
    const result = deidentifyFile(new Uint8Array(bytes), ctx);
    if (!result.ok) return scope.postMessage({ id, ok: false, reason: result.reason });
    const out = result.bytes.buffer.slice(result.bytes.byteOffset, result.bytes.byteOffset + result.bytes.byteLength) as ArrayBuffer;
    scope.postMessage({ id, ok: true, bytes: out }, [out]);
  } catch {
    scope.postMessage({ id, ok: false, reason: "deidentifyFailed" });
  }
};
