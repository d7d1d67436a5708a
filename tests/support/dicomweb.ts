/** Calling a case's DICOMweb route in-process, as the integration tests do, and building STOW-RS bodies from corpus files. */
import { readFileSync } from "node:fs";
import path from "node:path";
import type * as dicomweb from "~/routes/dicomweb.cases.$caseId.$";
import { BASE, context, csrfFor } from "./remix";

export const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");

/** A multipart/related STOW-RS body of corpus files (paths relative to the corpus). */
export function stowBody(files: string[]) {
  const boundary = "stow-boundary-1";
  const chunks: Buffer[] = [];
  for (const f of files)
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), readFileSync(path.join(CORPUS, f)), Buffer.from("\r\n"));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/related; type="application/dicom"; boundary=${boundary}` };
}

/** The route's loader or action for `rest` under the case's service root; a thrown Response is returned. */
export async function callDicomweb(fn: typeof dicomweb.loader | typeof dicomweb.action, caseId: string, rest: string, init: RequestInit = {}) {
  // A signed-in page sends its CSRF token with a STOW-RS request, as it does with every write without a page of its own.
  const headers = new Headers(init.headers);
  const cookie = headers.get("cookie");
  if (init.method === "POST" && cookie) headers.set("x-csrf-token", await csrfFor(cookie));
  const request = new Request(`${BASE}/dicomweb/cases/${caseId}/${rest}`, { ...init, headers });
  try {
    return (await fn({ request, params: { caseId, "*": rest.split("?")[0] }, context })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
