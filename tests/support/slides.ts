/** Uploads a pathology slide as the case page does, and waits until its pyramid is built or has failed. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { getDb } from "~/platform/db.server";
import * as slides from "~/routes/cases.$caseId.slides";
import { BASE, csrfFor, run } from "./remix";

export async function uploadSlide(caseId: string, cookie: string, file: string, name = path.basename(file)) {
  const body = new FormData();
  body.append("csrf", await csrfFor(cookie));
  body.append("file", new Blob([new Uint8Array(readFileSync(file))]), name);
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
