import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as newCase from "~/routes/cases.new";
import * as slides from "~/routes/cases.$caseId.slides";
import * as slidePage from "~/routes/cases.$caseId.slides.$slideId._index";
import * as slideFiles from "~/routes/cases.$caseId.slides.$slideId.files.$";
import { getDb } from "~/utils/db.server";
import { storageRoot } from "~/utils/storage.server";
import { BASE, get, post, run, signIn } from "../support/remix";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");

async function draft(cookie: string) {
  const created = await run(newCase.action as never, { request: post("/cases/new", {}, cookie) });
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
}

function upload(caseId: string, cookie: string, file: string) {
  const body = new FormData();
  body.append("file", new Blob([new Uint8Array(readFileSync(path.join(CORPUS, file)))]), path.basename(file));
  return run(slides.action as never, { request: new Request(`${BASE}/cases/${caseId}/slides`, { method: "POST", body, headers: { cookie } }), params: { caseId } });
}

async function settled(slideId: string) {
  for (let i = 0; i < 300; i++) {
    const slide = await getDb().slide.findUniqueOrThrow({ where: { id: slideId } });
    if (slide.status !== "PROCESSING") return slide;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("slide still processing");
}

describe("pathology slides", () => {
  it("turns an Aperio SVS into a tile pyramid with its pixel size, keeps none of the uploaded file, and serves tiles to those who may see the case", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const uploaded = await upload(caseId, physician, "pathology/openslide-small.svs");
    expect(uploaded.data).toMatchObject({ error: null });
    const slide = await settled(uploaded.data.slideId);
    expect(slide).toMatchObject({ status: "READY", width: 16, height: 16 });
    expect(slide.micronsPerPixel).toBeCloseTo(0.499, 3);
    const tmp = await readdir(path.join(storageRoot(), "tmp")).catch(() => []);
    expect(tmp.filter((f) => f.startsWith("slide-"))).toEqual([]);

    const params = (rest: string) => ({ caseId, slideId: slide.id, "*": rest });
    const dzi = await run(slideFiles.loader as never, { request: get(`/cases/${caseId}/slides/${slide.id}/files/slide.dzi`, physician), params: params("slide.dzi") });
    expect(dzi.status).toBe(200);
    expect(dzi.data).toContain('Width="16"');
    const tile = await run(slideFiles.loader as never, { request: get(`/cases/${caseId}/slides/${slide.id}/files/slide_files/0/0_0.jpeg`, physician), params: params("slide_files/0/0_0.jpeg") });
    expect(tile.headers.get("content-type")).toBe("image/jpeg");

    const outsider = await signIn("physician2@demo.test");
    expect((await run(slideFiles.loader as never, { request: get("/x", outsider), params: params("slide.dzi") })).status).toBe(404);
    expect((await run(slidePage.loader as never, { request: get("/x", outsider), params: { caseId, slideId: slide.id } })).status).toBe(404);
    expect((await run(slideFiles.loader as never, { request: get("/x", physician), params: params("../../../etc/passwd") })).status).toBe(404);

    const annotate = (cookie: string, fields: Record<string, string>) =>
      run(slidePage.action as never, { request: post(`/cases/${caseId}/slides/${slide.id}`, fields, cookie), params: { caseId, slideId: slide.id } });
    const arrow = await annotate(physician, { intent: "annotate", kind: "ARROW", geometry: JSON.stringify({ start: { x: 1, y: 1 }, end: { x: 10, y: 12 } }), text: "mitosis" });
    expect(arrow.data).toEqual({ error: null });
    const emptyText = await annotate(physician, { intent: "annotate", kind: "TEXT", geometry: JSON.stringify({ at: { x: 2, y: 2 } }), text: " " });
    expect(emptyText.data.error).toBe("imaging:slides.annotations.textRequired");
    const offSlide = await annotate(physician, { intent: "annotate", kind: "ELLIPSE", geometry: JSON.stringify({ start: { x: 1, y: 1 }, end: { x: 99, y: 2 } }) });
    expect(offSlide.data.error).toBe("imaging:slides.annotations.invalid");
    expect((await annotate(outsider, { intent: "annotate", kind: "ARROW", geometry: JSON.stringify({ start: { x: 1, y: 1 }, end: { x: 2, y: 2 } }) })).status).toBe(404);
    const page = await run(slidePage.loader as never, { request: get("/x", physician), params: { caseId, slideId: slide.id } });
    expect(page.data.annotations).toEqual([{ id: expect.any(String), kind: "ARROW", geometry: { start: { x: 1, y: 1 }, end: { x: 10, y: 12 } }, text: "mitosis", mine: true }]);
    expect(await getDb().auditEvent.count({ where: { action: "slide.annotate", entityId: caseId } })).toBe(1);
  });

  it("says clearly that an unreadable slide cannot be read, in the user's language, and refuses what is not a slide", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const uploaded = await upload(caseId, physician, "pathology/openslide-unreadable.svs");
    const slide = await settled(uploaded.data.slideId);
    expect(slide).toMatchObject({ status: "FAILED", errorKey: "imaging:slides.errors.unreadable" });
    const notASlide = await upload(caseId, physician, "ct-series/ct-3slice-01.dcm");
    expect(notASlide.status).toBe(415);
    expect(notASlide.data.error).toBe("imaging:slides.errors.type");
    const consultant = await signIn("consultant@demo.test");
    expect((await upload(caseId, consultant, "pathology/openslide-small.svs")).status).toBe(404);
  });
});
