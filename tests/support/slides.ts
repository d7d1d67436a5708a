/** Uploads a pathology slide as the case page does (cleaned first), and waits until its pyramid is built or has failed. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { getDb } from "~/platform/db.server";
import type { DeidContext } from "~/features/imaging/dicom/deidentify";
import { deidentifyDicomSlide } from "~/features/imaging/slides/dicom-slide-deid";
import { cleanedParts, planSlideCleaning, slideFormat } from "~/features/imaging/slides/slide-deid";
import { uploadContext } from "./browser-upload";
import * as slides from "~/routes/cases.$caseId.slides";
import { BASE, csrfFor, run } from "./remix";

/** The file as the case page sends it: cleaned in place by the same plan (slide-deid.ts), or DICOM with its header de-identified with `ctx`. */
export async function cleanedSlide(bytes: Uint8Array, ctx?: DeidContext): Promise<Uint8Array<ArrayBuffer>> {
  const source = { size: bytes.length, read: async (offset: number, length: number) => bytes.subarray(offset, offset + length) };
  if (ctx && slideFormat(bytes.subarray(0, 132)) === "dicom") {
    const cleaned = await deidentifyDicomSlide(source, ctx).catch(() => null);
    if (!cleaned) return new Uint8Array(bytes);
    return new Uint8Array(Buffer.concat([cleaned.head, bytes.subarray(cleaned.pixelsFrom, cleaned.pixelsTo), cleaned.trailer]));
  }
  const { patches } = await planSlideCleaning(source).catch(() => ({ patches: [] }));
  return new Uint8Array(Buffer.concat(cleanedParts(bytes.length, patches, (start, end) => bytes.subarray(start, end))));
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

export async function settledSlide(slideId: string) {
  for (let i = 0; i < 300; i++) {
    const slide = await getDb().slide.findUniqueOrThrow({ where: { id: slideId } });
    if (slide.status !== "PROCESSING") return slide;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("slide still processing");
}
