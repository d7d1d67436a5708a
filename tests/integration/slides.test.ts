import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as caseRoute from "~/routes/cases.$caseId._index";
import * as newCase from "~/routes/cases.new";
import * as slidePage from "~/routes/cases.$caseId.slides.$slideId._index";
import * as slideFiles from "~/routes/cases.$caseId.slides.$slideId.files.$";
import { getDb } from "~/platform/db.server";
import { storageRoot } from "~/platform/storage.server";
import { get, post, run, signIn } from "../support/remix";
import { makeGenomicFiles } from "../support/genomic-files";
import { settledSlide, uploadSlide } from "../support/slides";
import { syntheticAperioSlide, syntheticLeicaSlide } from "../support/synthetic-slide";
import { FIRST_ENTRY } from "../support/case-packet";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");

async function draft(cookie: string) {
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, cookie) });
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
}

const upload = (caseId: string, cookie: string, file: string) => uploadSlide(caseId, cookie, path.resolve(CORPUS, file));
const settled = settledSlide;

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
    const dzi = await run(slideFiles.loader, { request: get(`/cases/${caseId}/slides/${slide.id}/files/slide.dzi`, physician), params: params("slide.dzi") });
    expect(dzi.status).toBe(200);
    expect(dzi.data).toContain('Width="16"');
    const tile = await run(slideFiles.loader, {
      request: get(`/cases/${caseId}/slides/${slide.id}/files/slide_files/0/0_0.jpeg`, physician),
      params: params("slide_files/0/0_0.jpeg"),
    });
    expect(tile.headers.get("content-type")).toBe("image/jpeg");

    const outsider = await signIn("physician2@demo.test");
    expect((await run(slideFiles.loader, { request: get("/x", outsider), params: params("slide.dzi") })).status).toBe(404);
    expect((await run(slidePage.loader, { request: get("/x", outsider), params: { caseId, slideId: slide.id } })).status).toBe(404);
    expect((await run(slideFiles.loader, { request: get("/x", physician), params: params("../../../etc/passwd") })).status).toBe(404);

    const annotate = (cookie: string, fields: Record<string, string>) =>
      run(slidePage.action, { request: post(`/cases/${caseId}/slides/${slide.id}`, fields, cookie), params: { caseId, slideId: slide.id } });
    const arrow = await annotate(physician, {
      intent: "annotate",
      kind: "ARROW",
      geometry: JSON.stringify({ start: { x: 1, y: 1 }, end: { x: 10, y: 12 } }),
      text: "mitosis",
    });
    expect(arrow.data).toEqual({ error: null });
    const emptyText = await annotate(physician, { intent: "annotate", kind: "TEXT", geometry: JSON.stringify({ at: { x: 2, y: 2 } }), text: " " });
    expect(emptyText.data.error).toBe("imaging:slides.annotations.textRequired");
    const offSlide = await annotate(physician, {
      intent: "annotate",
      kind: "ELLIPSE",
      geometry: JSON.stringify({ start: { x: 1, y: 1 }, end: { x: 99, y: 2 } }),
    });
    expect(offSlide.data.error).toBe("imaging:slides.annotations.invalid");
    expect(
      (await annotate(outsider, { intent: "annotate", kind: "ARROW", geometry: JSON.stringify({ start: { x: 1, y: 1 }, end: { x: 2, y: 2 } }) })).status,
    ).toBe(404);
    const page = await run(slidePage.loader, { request: get("/x", physician), params: { caseId, slideId: slide.id } });
    expect(page.data.annotations).toEqual([
      { id: expect.any(String), kind: "ARROW", geometry: { start: { x: 1, y: 1 }, end: { x: 10, y: 12 } }, text: "mitosis", mine: true },
    ]);
    expect(await getDb().auditEvent.count({ where: { action: "slide.annotate", entityId: caseId } })).toBe(1);

    // An archived case's slides are read only: no new annotation.
    await getDb().case.update({ where: { id: caseId }, data: { status: "ARCHIVED" } });
    await annotate(physician, { intent: "annotate", kind: "ARROW", geometry: JSON.stringify({ start: { x: 1, y: 1 }, end: { x: 3, y: 3 } }) });
    expect(await getDb().slideAnnotation.count({ where: { slideId: slide.id } })).toBe(1);
    await getDb().case.update({ where: { id: caseId }, data: { status: "DRAFT" } });
  });

  // Real slides through libvips: well over 30 s when the machine is busy.
  it("refuses a slide that still carries its label, scan text or DICOM patient data, as a client that skips the page's cleaning sends it", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const svs = syntheticAperioSlide();
    const raw = await uploadSlide(caseId, physician, svs, "CASE.svs", { raw: true });
    expect(raw.status).toBe(422);
    expect(raw.data.error).toBe("imaging:slides.errors.identifying");
    expect(await getDb().slide.count({ where: { caseId } })).toBe(0);
    const cleaned = await uploadSlide(caseId, physician, svs, "CASE.svs");
    expect((await settled(cleaned.data.slideId)).status).toBe("READY");

    // A TIFF whose directories the plan cannot walk (readers may still open it) cannot be shown clean.
    const broken = path.join(mkdtempSync(path.join(os.tmpdir(), "tb-broken-")), "broken.tif");
    writeFileSync(broken, Buffer.concat([Buffer.from([0x49, 0x49, 42, 0, 0x00, 0xff, 0xff, 0x7f]), Buffer.alloc(4000, 7)]));
    const unwalkable = await uploadSlide(caseId, physician, broken, "broken.tif");
    expect(unwalkable.status).toBe(422);
    expect(unwalkable.data.error).toBe("imaging:slides.errors.identifying");

    // A DICOM whole-slide image keeps its patient's name and IDs unless its header was de-identified with this case's context.
    const wsi = path.resolve(CORPUS, "pathology/sm-wsi-tiled-synthetic.dcm");
    const rawDicom = await uploadSlide(caseId, physician, wsi, "wsi.dcm", { raw: true });
    expect(rawDicom.status).toBe(422);
    expect(rawDicom.data.error).toBe("imaging:slides.errors.identifying");
    const dicom = await uploadSlide(caseId, physician, wsi, "wsi.dcm");
    expect((await settled(dicom.data.slideId)).status).toBe("READY");

    // A Leica SCN names the patient in its XML and shows the label in its macro image: refused raw, read once cleaned.
    const scn = syntheticLeicaSlide();
    const rawLeica = await uploadSlide(caseId, physician, scn, "CASE.scn", { raw: true });
    expect(rawLeica.status).toBe(422);
    expect(rawLeica.data.error).toBe("imaging:slides.errors.identifying");
    const leica = await settled((await uploadSlide(caseId, physician, scn, "CASE.scn")).data.slideId);
    expect(leica).toMatchObject({ status: "READY", micronsPerPixel: 0.5 });
    expect(await getDb().slide.count({ where: { caseId } })).toBe(3);
  }, 300_000);

  it("says clearly that an unreadable slide cannot be read, in the user's language, and refuses what is not a slide", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const uploaded = await upload(caseId, physician, "pathology/openslide-unreadable.svs");
    const slide = await settled(uploaded.data.slideId);
    expect(slide).toMatchObject({ status: "FAILED", errorKey: "imaging:slides.errors.unreadable" });
    const notASlide = await upload(caseId, physician, "multiframe/enhanced-ct-2f-rle.dcm");
    expect(notASlide.status).toBe(415);
    expect(notASlide.data.error).toBe("imaging:slides.errors.dicomNotSlide");
    const text = await upload(caseId, physician, "README.md");
    expect(text.status).toBe(415);
    expect(text.data.error).toBe("imaging:slides.errors.type");
    const bam = makeGenomicFiles().find((f) => f.format === "BAM")!;
    const bamPath = path.join(mkdtempSync(path.join(os.tmpdir(), "tb-bam-")), "slide.svs");
    writeFileSync(bamPath, bam.bytes);
    const named = await uploadSlide(caseId, physician, path.resolve(CORPUS, "pathology/openslide-small.svs"), "王芳 13912345678.svs");
    expect(named.status).toBe(422);
    expect(named.data.error).toBe("cases:errors.identifierInFileName");
    const genomic = await upload(caseId, physician, bamPath);
    expect(genomic.status).toBe(422);
    expect(genomic.data.error).toBe("cases:errors.rawGenomicData");
    const label = path.join(mkdtempSync(path.join(os.tmpdir(), "tb-label-")), "label.dcm");
    copyFileSync(path.join(CORPUS, "pathology/sm-wsi-tiled-synthetic.dcm"), label);
    execFileSync("dcmodify", ["-nb", "-m", "(0008,0008)=ORIGINAL\\PRIMARY\\LABEL\\NONE", label]);
    const labelUpload = await upload(caseId, physician, label);
    expect(labelUpload.status).toBe(415);
    expect(labelUpload.data.error).toBe("imaging:slides.errors.dicomLabel");
    expect(await getDb().slide.count({ where: { caseId } })).toBe(1);
    const consultant = await signIn("consultant@demo.test");
    expect((await upload(caseId, consultant, "pathology/openslide-small.svs")).status).toBe(404);
  });

  it("opens DICOM whole-slide images (JPEG-LS tiles) and single H&E images with the pixel size DICOM records", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const tiled = await settled((await upload(caseId, physician, "pathology/sm-wsi-tiled-jpegls-synthetic.dcm")).data.slideId);
    expect(tiled).toMatchObject({ status: "READY", width: 50, height: 50 });
    expect(tiled.micronsPerPixel).toBeCloseTo(0.499, 6);
    const tile = await run(slideFiles.loader, {
      request: get("/x", physician),
      params: { caseId, slideId: tiled.id, "*": "slide_files/6/0_0.jpeg" },
    });
    expect(tile.headers.get("content-type")).toBe("image/jpeg");
    const he = await settled((await upload(caseId, physician, "pathology/tcga-he-tile-jpeg-rgb.dcm")).data.slideId);
    expect(he).toMatchObject({ status: "READY", width: 256, height: 256, micronsPerPixel: null });
    const tmp = await readdir(path.join(storageRoot(), "tmp")).catch(() => []);
    expect(tmp.filter((f) => f.startsWith("slide-"))).toEqual([]);
  });

  it("a consultant marks a slide region as a key image with a note; the case summary lists it and the link reopens that region", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const slide = await settled((await upload(caseId, physician, "pathology/sm-wsi-tiled-synthetic.dcm")).data.slideId);
    const db = getDb();
    const [consultantUser, coordinator] = await Promise.all(
      ["consultant@demo.test", "coordinator@demo.test"].map((email) => db.user.findUniqueOrThrow({ where: { email } })),
    );
    await db.case.update({ where: { id: caseId }, data: { status: "IN_REVIEW" } });
    await db.caseAssignment.create({ data: { caseId, consultantId: consultantUser.id, role: "PRIMARY", assignedById: coordinator.id } });
    const consultant = await signIn("consultant@demo.test");
    const mark = (cookie: string, fields: Record<string, string>) =>
      run(slidePage.action, {
        request: post(`/cases/${caseId}/slides/${slide.id}`, { intent: "keyRegion", ...fields }, cookie),
        params: { caseId, slideId: slide.id },
      });

    expect((await mark(consultant, { x: "10", y: "20", width: "30", height: "25", note: "Tumour cells at the margin" })).data).toEqual({
      error: null,
      saved: true,
    });
    const offSlide = await mark(consultant, { x: "40", y: "0", width: "20", height: "10", note: "Off the edge" });
    expect(offSlide.status).toBe(400);
    expect(offSlide.data.error).toBe("imaging:keyImages.invalid");
    expect((await mark(consultant, { x: "0", y: "0", width: "5", height: "5", note: " " })).data.error).toBe("imaging:keyImages.noteRequired");
    expect((await mark(physician, { x: "0", y: "0", width: "5", height: "5", note: "Mine" })).status).toBe(404);
    expect(await db.slideKeyRegion.count({ where: { caseId } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "slide.keyRegion", entityId: caseId } })).toBe(1);

    const summary = await run(caseRoute.loader, { request: get(`/cases/${caseId}`, physician), params: { caseId } });
    expect(summary.data.slideKeyRegions).toEqual([
      expect.objectContaining({
        slideId: slide.id,
        slideName: "sm-wsi-tiled-synthetic.dcm",
        region: { x: 10, y: 20, width: 30, height: 25 },
        note: "Tumour cells at the margin",
        author: "Dr. Sarah Miller",
      }),
    ]);
    const reopened = await run(slidePage.loader, {
      request: get(`/cases/${caseId}/slides/${slide.id}?region=10,20,30,25`, consultant),
      params: { caseId, slideId: slide.id },
    });
    expect(reopened.data).toMatchObject({ region: { x: 10, y: 20, width: 30, height: 25 }, canMarkKeyRegion: true });
  });
});
