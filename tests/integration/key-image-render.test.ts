import { execFileSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import PDFDocument from "pdfkit";
import { afterAll, describe, expect, it } from "vitest";
import { initialViewerState, type ViewerState } from "~/features/imaging/viewer/viewer-state";
import { getDb } from "~/platform/db.server";
import { ingestDicom } from "~/features/imaging/imaging-ingest.server";
import { renderKeyImages } from "~/features/imaging/key-images/key-image-render.server";
import { viewerStudies } from "~/features/imaging/imaging-store.server";
import { encodePng } from "~/features/imaging/key-images/png.server";
import { buildPyramid, pyramidDir } from "~/features/imaging/slides/slides.server";
import { objectPath } from "~/platform/storage.server";
import { referenceDecode, transferSyntaxOf } from "../support/reference-decoder";
import { caseUnderReview } from "../support/review-case";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const work = mkdtempSync(path.join(os.tmpdir(), "tb-key-render-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Raster = { width: number; height: number; bands: number; pixels: Uint8Array };

/** An image file's pixels as libvips reads them (so our PNG encoder is checked by a decoder we did not write). */
function rasterOf(file: string): Raster {
  const [width, height, bands] = ["width", "height", "bands"].map((field) =>
    Number(execFileSync("vipsheader", ["-f", field, file], { encoding: "utf8" }).trim()),
  );
  const raw = path.join(work, `${randomUUID()}.raw`);
  execFileSync("vips", ["rawsave", file, raw]);
  return { width, height, bands, pixels: new Uint8Array(readFileSync(raw)) };
}

function rasterOfPng(png: Buffer): Raster {
  const file = path.join(work, `${randomUUID()}.png`);
  writeFileSync(file, png);
  return rasterOf(file);
}

function meanAbsoluteDifference(a: Raster, b: Raster): number {
  expect([a.width, a.height, a.bands]).toEqual([b.width, b.height, b.bands]);
  let sum = 0;
  for (let i = 0; i < a.pixels.length; i++) sum += Math.abs(a.pixels[i] - b.pixels[i]);
  return sum / a.pixels.length;
}

function spread(r: Raster): number {
  const mean = r.pixels.reduce((s, v) => s + v, 0) / r.pixels.length;
  return Math.sqrt(r.pixels.reduce((s, v) => s + (v - mean) ** 2, 0) / r.pixels.length);
}

/** 2×2 box average, as an independent downscale of a reference. */
function halve(r: Raster): Raster {
  const width = r.width / 2;
  const height = r.height / 2;
  const pixels = new Uint8Array(width * height * r.bands);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < r.bands; c++) {
        const at = (dx: number, dy: number) => r.pixels[((2 * y + dy) * r.width + 2 * x + dx) * r.bands + c];
        pixels[(y * width + x) * r.bands + c] = Math.round((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4);
      }
  return { width, height, bands: r.bands, pixels };
}

/** dcmtk's rendering of a stored instance (decompressed first by dcmtk or GDCM when compressed). */
function dcmtkRendering(sha256: string, windowArgs: string[], frame = 1): Raster {
  const stored = objectPath(sha256);
  const native = path.join(work, `${randomUUID()}.dcm`);
  referenceDecode(transferSyntaxOf(stored), stored, native);
  const png = path.join(work, `${randomUUID()}.png`);
  execFileSync("dcmj2pnm", ["--write-png", "+F", String(frame), ...windowArgs, native, png], { stdio: "ignore" });
  return rasterOf(png);
}

async function ingest(caseId: string, file: string) {
  const result = await ingestDicom(getDb(), caseId, readFileSync(path.join(CORPUS, file)), path.basename(file));
  expect(result.status).toBe("stored");
  return getDb().imagingInstance.findFirstOrThrow({
    where: { sopInstanceUid: result.sopInstanceUid!, series: { study: { caseId } } },
    include: { series: true },
  });
}

let clock = Date.parse("2026-01-01T00:00:00Z");
async function markKeyImage(
  caseId: string,
  createdById: string,
  instance: { seriesId: string; sopInstanceUid: string },
  note: string,
  view: Partial<ViewerState> = {},
  frame = 0,
) {
  const viewState = JSON.stringify({ ...initialViewerState(instance.seriesId), ...view });
  clock += 1000;
  return getDb().keyImage.create({
    data: { caseId, seriesId: instance.seriesId, sopInstanceUid: instance.sopInstanceUid, frame, viewState, note, createdById, createdAt: new Date(clock) },
  });
}

/** A smooth colour test pattern (so JPEG tiles stay close to it) whose every pixel differs from its neighbours: a misplaced crop shows. */
function patternPng(width: number, height: number): Buffer {
  const triangle = (v: number) => Math.abs((v % 510) - 255);
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set([triangle(3 * x), triangle(3 * y), triangle(2 * x + y)], (y * width + x) * 3);
  return encodePng({ width, height, channels: 3, pixels });
}

/** A slide made from an image file the way an upload makes it: a Deep Zoom pyramid built by libvips. */
async function slideFrom(caseId: string, uploadedById: string, file: string) {
  const db = getDb();
  const slide = await db.slide.create({ data: { caseId, fileName: path.basename(file), status: "PROCESSING", uploadedById } });
  const upload = path.join(work, `${randomUUID()}${path.extname(file)}`);
  copyFileSync(file, upload);
  await buildPyramid(db, slide.id, upload);
  return db.slide.findUniqueOrThrow({ where: { id: slide.id } });
}

/** libvips' own crop of the full-resolution image, shrunk by box averaging. */
function vipsReference(source: string, region: { x: number; y: number; width: number; height: number }, shrink = 1): Raster {
  const cropped = path.join(work, `${randomUUID()}.v`);
  execFileSync("vips", ["crop", source, cropped, ...[region.x, region.y, region.width, region.height].map(String)]);
  if (shrink === 1) return rasterOf(cropped);
  const shrunk = path.join(work, `${randomUUID()}.v`);
  execFileSync("vips", ["shrink", cropped, shrunk, String(shrink), String(shrink)]);
  return rasterOf(shrunk);
}

describe("key images rendered for the opinion PDF", () => {
  it("draws a CT key image in its lung window as dcmtk does, full size and downscaled, with series, slice and note in the caption", async () => {
    const { caseId, consultant } = await caseUnderReview();
    const slices = [];
    for (const f of ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"]) slices.push(await ingest(caseId, `ct-series/${f}`));
    // Instance 1 lies highest along the normal, so the viewer stacks it third and calls it slice 3.
    const instance = slices[0];
    expect(instance.instanceNumber).toBe(1);
    const studies = await viewerStudies(getDb(), caseId, false);
    const stack = studies
      .flatMap((s) => s.series)
      .find((s) => s.series.id === instance.seriesId)!
      .instances.map((i) => i.uid);
    expect(stack.indexOf(instance.sopInstanceUid)).toBe(2);
    await markKeyImage(caseId, consultant.id, instance, "Spiculated nodule", { slice: 2, windowCenter: -600, windowWidth: 1500 });

    const [full] = await renderKeyImages(getDb(), caseId, false, { maxEdge: 512 });
    expect(full.caption).toBe(`CT ${instance.series.seriesNumber} · slice 3 — Spiculated nodule`);
    expect(full.measurements).toBeNull();
    expect(full.image.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const rendered = rasterOfPng(full.image);
    const lung = dcmtkRendering(instance.sha256, ["+Ww", "-600", "1500"]);
    expect([rendered.width, rendered.height, rendered.bands]).toEqual([512, 512, 1]);
    expect(spread(lung)).toBeGreaterThan(20);
    expect(meanAbsoluteDifference(rendered, lung)).toBeLessThan(1);
    expect(meanAbsoluteDifference(rendered, dcmtkRendering(instance.sha256, ["+Ww", "40", "400"]))).toBeGreaterThan(10);

    const [byDefault] = await renderKeyImages(getDb(), caseId, false);
    expect(meanAbsoluteDifference(rasterOfPng(byDefault.image), lung)).toBeLessThan(1);
    const [small] = await renderKeyImages(getDb(), caseId, false, { maxEdge: 256 });
    expect(meanAbsoluteDifference(rasterOfPng(small.image), halve(lung))).toBeLessThan(1.5);
    expect(() => new PDFDocument().image(small.image, 0, 0)).not.toThrow();
  });

  it("carries the measurements drawn on the key image's slice, labelled as the viewer labels them in the reader's language", async () => {
    const { caseId, consultant } = await caseUnderReview();
    const instance = await ingest(caseId, "ct-series/ct-3slice-01.dcm");
    const stored = objectPath(instance.sha256);
    const [rowSpacing, columnSpacing] = /\[([\d.]+)\\([\d.]+)\]/
      .exec(execFileSync("dcmdump", ["+P", "0028,0030", stored], { encoding: "utf8" }))!
      .slice(1)
      .map(Number);
    const length = { kind: "length" as const, slice: 0, start: { x: 100, y: 256 }, end: { x: 300, y: 406 } };
    const angle = { kind: "angle" as const, slice: 0, a: { x: 100, y: 100 }, vertex: { x: 200, y: 200 }, c: { x: 300, y: 100 } };
    const ellipse = { kind: "ellipse" as const, slice: 0, start: { x: 200, y: 200 }, end: { x: 260, y: 240 } };
    const elsewhere = { kind: "length" as const, slice: 1, start: { x: 0, y: 0 }, end: { x: 10, y: 0 } };
    await markKeyImage(caseId, consultant.id, instance, "Measured", { annotations: [length, elsewhere, angle, ellipse] });

    const mm = Math.hypot(200 * columnSpacing, 150 * rowSpacing).toFixed(1);
    const [english] = await renderKeyImages(getDb(), caseId, false, { maxEdge: 256 });
    expect(english.measurements!.frame).toEqual({ width: 512, height: 512 });
    expect(english.measurements!.items.map((m) => m.annotation)).toEqual([length, angle, ellipse]);
    const [lengthLabel, angleLabel, regionLabel] = english.measurements!.items.map((m) => m.label);
    expect(lengthLabel).toBe(`${mm} mm`);
    expect(angleLabel).toBe("90.0°");
    expect(regionLabel).toMatch(/^\d+\.\d mm² · mean -?\d+\.\d HU ± \d+\.\d$/);
    const [chinese] = await renderKeyImages(getDb(), caseId, false, { maxEdge: 256, locale: "zh-CN" });
    expect(chinese.measurements!.items.map((m) => m.label)).toEqual([`${mm} 毫米`, "90.0°", expect.stringMatching(/平方毫米 · 均值 .* HU ± /)]);
  });

  it("applies the viewer's invert, and without a window in the view uses the instance's own", async () => {
    const { caseId, consultant } = await caseUnderReview();
    const instance = await ingest(caseId, "ct-series/ct-3slice-01.dcm");
    await markKeyImage(caseId, consultant.id, instance, "inverted", { invert: true, windowCenter: -600, windowWidth: 1500 });
    await markKeyImage(caseId, consultant.id, instance, "as stored");
    const [inverted, asStored] = await renderKeyImages(getDb(), caseId, true, { maxEdge: 512 });
    const lung = dcmtkRendering(instance.sha256, ["+Ww", "-600", "1500"]);
    const negative = { ...lung, pixels: lung.pixels.map((v) => 255 - v) };
    expect(meanAbsoluteDifference(rasterOfPng(inverted.image), negative)).toBeLessThan(1);
    expect(meanAbsoluteDifference(rasterOfPng(asStored.image), dcmtkRendering(instance.sha256, ["+Wi", "1"]))).toBeLessThan(1);
  });

  it("decodes compressed instances (JPEG-LS, JPEG 2000, lossy JPEG, colour JPEG) through the DICOM workers", async () => {
    const { caseId, consultant } = await caseUnderReview();
    const jpegLs = await ingest(caseId, "syntax/ct1-jpegls-lossless.dcm");
    const j2k = await ingest(caseId, "syntax/mr-j2k-lossless.dcm");
    const jpeg = await ingest(caseId, "syntax/mr1-jpeg-extended-lossy.dcm");
    const colour = await ingest(caseId, "multiframe/us-30f-jpeg-ybr.dcm");
    await markKeyImage(caseId, consultant.id, jpegLs, "JPEG-LS", { windowCenter: 40, windowWidth: 400 });
    await markKeyImage(caseId, consultant.id, j2k, "JPEG 2000");
    await markKeyImage(caseId, consultant.id, jpeg, "JPEG", { windowCenter: 300, windowWidth: 700 });
    await markKeyImage(caseId, consultant.id, colour, "Ultrasound frame 4", { slice: 3 }, 3);
    const rendered = await renderKeyImages(getDb(), caseId, true, { maxEdge: 1024 });
    expect(rendered.map((r) => r.caption.split(" — ")[1])).toEqual(["JPEG-LS", "JPEG 2000", "JPEG", "Ultrasound frame 4"]);
    expect(rendered[3].caption).toContain("slice 4");
    const references = [
      dcmtkRendering(jpegLs.sha256, ["+Ww", "40", "400"]),
      dcmtkRendering(j2k.sha256, ["+Wi", "1"]),
      dcmtkRendering(jpeg.sha256, ["+Ww", "300", "700"]),
      dcmtkRendering(colour.sha256, [], 4),
    ];
    rendered.forEach((r, i) => {
      expect(spread(references[i])).toBeGreaterThan(5);
      expect(meanAbsoluteDifference(rasterOfPng(r.image), references[i])).toBeLessThan(1.5);
    });
    expect(rasterOfPng(rendered[3].image)).toMatchObject({ width: 320, height: 240, bands: 3 });
  });

  // Real slides through libvips: well over 30 s when the machine is busy.
  it("cuts a slide key region from the pyramid: exact at full resolution, from a smaller level when it must fit, after the DICOM key images", async () => {
    const { caseId, consultant } = await caseUnderReview();
    const source = path.join(work, "pattern.png");
    writeFileSync(source, patternPng(1000, 700));
    const slide = await slideFrom(caseId, consultant.id, source);
    expect(slide).toMatchObject({ status: "READY", width: 1000, height: 700 });
    const region = { x: 200, y: 96, width: 400, height: 300 };
    await getDb().slideKeyRegion.create({ data: { caseId, slideId: slide.id, ...region, note: "Invasive front", createdById: consultant.id } });
    const ct = await ingest(caseId, "ct-series/ct-3slice-01.dcm");
    await markKeyImage(caseId, consultant.id, ct, "Nodule");

    const images = await renderKeyImages(getDb(), caseId, false);
    expect(images.map((i) => i.caption)).toEqual([`CT ${ct.series.seriesNumber} · slice 1 — Nodule`, "pattern.png — Invasive front"]);
    expect(images[1].measurements).toBeNull();
    const full = rasterOfPng(images[1].image);
    expect(full).toMatchObject({ width: 400, height: 300, bands: 3 });
    const exact = meanAbsoluteDifference(full, vipsReference(source, region));
    expect(exact).toBeLessThan(2);
    for (const shifted of [
      { ...region, x: region.x + 1 },
      { ...region, x: region.x - 1 },
      { ...region, y: region.y + 1 },
      { ...region, y: region.y - 1 },
    ])
      expect(meanAbsoluteDifference(full, vipsReference(source, shifted))).toBeGreaterThan(exact + 0.5);

    const [, fitted] = await renderKeyImages(getDb(), caseId, false, { maxEdge: 100 });
    const small = rasterOfPng(fitted.image);
    expect(small).toMatchObject({ width: 100, height: 75, bands: 3 });
    // Each level is JPEG-compressed on its own, and the pattern is four times steeper there.
    const fittedExact = meanAbsoluteDifference(small, vipsReference(source, region, 4));
    expect(fittedExact).toBeLessThan(3);
    expect(meanAbsoluteDifference(small, vipsReference(source, { ...region, x: region.x + 4 }, 4))).toBeGreaterThan(fittedExact + 1);
  }, 120_000);

  it("leaves out key images on series the reader may not see", async () => {
    const { caseId, consultant } = await caseUnderReview();
    const hidden = await ingest(caseId, "multiframe/us-30f-jpeg-ybr.dcm");
    const shown = await ingest(caseId, "ct-series/ct-3slice-01.dcm");
    expect(hidden.series.burnedInRisk).toBe(true);
    await markKeyImage(caseId, consultant.id, hidden, "Ultrasound");
    await markKeyImage(caseId, consultant.id, shown, "CT");
    const notes = async (seeFlaggedSeries: boolean) =>
      (await renderKeyImages(getDb(), caseId, seeFlaggedSeries, { maxEdge: 64 })).map((r) => r.caption.split(" — ")[1]);
    expect(await notes(false)).toEqual(["CT"]);
    expect(await notes(true)).toEqual(["Ultrasound", "CT"]);
    await getDb().imagingSeries.update({ where: { id: hidden.seriesId }, data: { burnedInClearedAt: new Date(), burnedInClearedBy: consultant.id } });
    expect(await notes(false)).toEqual(["Ultrasound", "CT"]);
  });

  it("skips an image that cannot be drawn (unreadable instance, missing pyramid) and draws the rest", async () => {
    const { caseId, consultant } = await caseUnderReview();
    const broken = await ingest(caseId, "syntax/ct1-explicit-le.dcm");
    const good = await ingest(caseId, "ct-series/ct-3slice-01.dcm");
    const garbage = Buffer.from("not a DICOM file at all");
    const garbageHash = createHash("sha256").update(garbage).digest("hex");
    mkdirSync(path.dirname(objectPath(garbageHash)), { recursive: true });
    writeFileSync(objectPath(garbageHash), garbage);
    await getDb().imagingInstance.update({ where: { id: broken.id }, data: { sha256: garbageHash } });
    await markKeyImage(caseId, consultant.id, broken, "Broken");
    await markKeyImage(caseId, consultant.id, good, "Good");
    await markKeyImage(caseId, consultant.id, good, "Missing frame", {}, 5);

    const source = path.join(work, "small-pattern.png");
    writeFileSync(source, patternPng(300, 200));
    const kept = await slideFrom(caseId, consultant.id, source);
    const lost = await slideFrom(caseId, consultant.id, source);
    for (const slide of [lost, kept])
      await getDb().slideKeyRegion.create({
        data: { caseId, slideId: slide.id, x: 10, y: 10, width: 50, height: 40, note: slide.id === lost.id ? "Lost" : "Kept", createdById: consultant.id },
      });
    rmSync(pyramidDir(lost.id), { recursive: true, force: true });

    const images = await renderKeyImages(getDb(), caseId, false, { maxEdge: 128 });
    expect(images.map((i) => i.caption.split(" — ")[1])).toEqual(["Good", "Kept"]);
  });
});
