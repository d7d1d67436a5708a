/** Uploads a pathology slide as the case page does (cleaned first), and waits until its pyramid is built or has failed. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { getDb } from "~/platform/db.server";
import type { DeidContext } from "~/features/imaging/dicom/deidentify";
import { slideCleaning } from "~/features/imaging/slides/slide-deid";
import { uploadContext } from "./browser-upload";
import * as slides from "~/routes/cases.$caseId.slides";
import { BASE, csrfFor, run } from "./remix";

/** The file as the case page sends it (slide-deid.ts `slideCleaning`), DICOM with `ctx`; the original when the page would refuse it. */
export async function cleanedSlide(bytes: Uint8Array, ctx?: DeidContext): Promise<Uint8Array<ArrayBuffer>> {
  const source = { size: bytes.length, read: async (offset: number, length: number) => bytes.subarray(offset, offset + length) };
  const parts = await slideCleaning(source, async () => ctx ?? Promise.reject(new Error("no context"))).catch(() => [{ from: 0, to: bytes.length }]);
  return new Uint8Array(Buffer.concat(parts.map((part) => (part instanceof Uint8Array ? part : bytes.subarray(part.from, part.to)))));
}

/** `raw`: the original bytes, as a client that skips the page's cleaning would send them. */
export async function uploadSlide(caseId: string, cookie: string, file: string, name = path.basename(file), { raw = false } = {}) {
  const original = new Uint8Array(readFileSync(file));
  const body = new FormData();
  body.append("csrf", await csrfFor(cookie));
  const ctx = raw ? undefined : await uploadContext(caseId, cookie).catch(() => undefined);
  body.append("file", new Blob([raw ? original : await cleanedSlide(original, ctx)]), name);
  return run(slides.action, { request: new Request(`${BASE}/cases/${caseId}/slides`, { method: "POST", body, headers: { cookie } }), params: { caseId } });
}

/** The slide once its processing ended; a loaded 2-core machine may take a minute and more for a whole-slide image. */
export async function settledSlide(slideId: string, within = 100_000) {
  const deadline = Date.now() + within;
  while (Date.now() < deadline) {
    const slide = await getDb().slide.findUniqueOrThrow({ where: { id: slideId } });
    if (slide.status !== "PROCESSING") return slide;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("slide still processing");
}
