/** Uploads as the case page does: the case's context fetched from the upload endpoint, the file de-identified as the browser's upload worker does, and sent as its batch. */
import type { DeidContext } from "~/features/imaging/dicom/deidentify";
import { deidentifyFile } from "~/features/imaging/dicom/deidentify-file";
import { partDisposition } from "~/features/imaging/upload-batch";
import * as imaging from "~/routes/cases.$caseId.imaging";
import { BASE, csrfFor, run } from "./remix";

export async function uploadContext(caseId: string, cookie: string): Promise<DeidContext> {
  const answer = await run(imaging.loader, { request: new Request(`${BASE}/cases/${caseId}/imaging`, { headers: { cookie } }), params: { caseId } });
  return JSON.parse(answer.data) as DeidContext;
}

/** Files as the upload worker sends a batch of them (whatever bytes it is given): multipart/related, each part named. */
export async function postUploadBatch(caseId: string, cookie: string, files: { fileName: string; bytes: Uint8Array }[]) {
  const boundary = "test-upload-batch";
  const body = Buffer.concat([
    ...files.flatMap(({ fileName, bytes }) => [
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n${partDisposition(fileName)}\r\n\r\n`),
      bytes,
      Buffer.from("\r\n"),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  const headers = { cookie, "x-csrf-token": await csrfFor(cookie), "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}` };
  return run(imaging.action, {
    request: new Request(`${BASE}/cases/${caseId}/imaging`, { method: "POST", body: new Uint8Array(body), headers }),
    params: { caseId },
  });
}

export const postUpload = (caseId: string, cookie: string, fileName: string, bytes: Uint8Array) => postUploadBatch(caseId, cookie, [{ fileName, bytes }]);

export async function uploadAsBrowser(caseId: string, cookie: string, original: Uint8Array, fileName: string) {
  const deidentified = deidentifyFile(original, await uploadContext(caseId, cookie));
  if (!deidentified.ok) throw new Error(`not de-identified: ${deidentified.reason}`);
  return postUpload(caseId, cookie, fileName, deidentified.bytes);
}
