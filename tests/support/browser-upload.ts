/** Uploads as the case page does: the case's context fetched from the upload endpoint, the file de-identified as the browser's upload worker does, and one request per file. */
import type { DeidContext } from "~/features/imaging/dicom/deidentify";
import { deidentifyFile } from "~/features/imaging/dicom/deidentify-file";
import * as imaging from "~/routes/cases.$caseId.imaging";
import { BASE, csrfFor, run } from "./remix";

export async function uploadContext(caseId: string, cookie: string): Promise<DeidContext> {
  const answer = await run(imaging.loader, { request: new Request(`${BASE}/cases/${caseId}/imaging`, { headers: { cookie } }), params: { caseId } });
  return JSON.parse(answer.data) as DeidContext;
}

/** One file as the request body, as the upload worker sends it (whatever bytes it is given). */
export async function postUpload(caseId: string, cookie: string, fileName: string, bytes: Uint8Array) {
  const headers = { cookie, "x-csrf-token": await csrfFor(cookie), "content-type": "application/dicom", "x-file-name": encodeURIComponent(fileName) };
  return run(imaging.action, {
    request: new Request(`${BASE}/cases/${caseId}/imaging`, { method: "POST", body: new Uint8Array(bytes), headers }),
    params: { caseId },
  });
}

export async function uploadAsBrowser(caseId: string, cookie: string, original: Uint8Array, fileName: string) {
  const deidentified = deidentifyFile(original, await uploadContext(caseId, cookie));
  if (!deidentified.ok) throw new Error(`not de-identified: ${deidentified.reason}`);
  return postUpload(caseId, cookie, fileName, deidentified.bytes);
}
