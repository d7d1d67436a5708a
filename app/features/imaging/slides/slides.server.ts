/**
 * Pathology slides. An upload (SVS or other TIFF through OpenSlide, large
 * JPEG or PNG, DICOM whole-slide or single H&E images) is streamed to a temporary file and turned into a Deep Zoom
 * tile pyramid by libvips (`vips dzsave`), outside the request. Then the
 * uploaded file is deleted: only pixels of the main image are kept, never the
 * slide label, macro image or file metadata, which can name the patient.
 */
import { execFile } from "node:child_process";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { refuseRawGenomicData, type RawGenomicRefusal } from "~/features/cases/genomic-data";
import { findIdentifiers } from "~/features/cases/identifier-check";
import { requireCsrf } from "~/features/identity/csrf.server";
import { detectFileType } from "~/platform/file-type";
import type { Db } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import { receiveFilePart, safeFileName, type FileUpload } from "~/platform/request-body.server";
import type { SlideProblem } from "~/features/imaging/slides/dicom-slide";
import { checkDicomSlide, DicomSlideError, dicomSlideToNetpbm } from "./dicom-slide.server";
import { planSlideCleaning } from "./slide-deid";
import { SlideFormatError, SlideRefusal } from "./slide-bytes";
import { dicomSlideProblems } from "./dicom-slide-deid";
import { caseDeidContext } from "../deid-context.server";
import { log } from "~/platform/logger.server";
import { discardStaged, FileTooLargeError, openByteSource, storageRoot } from "~/platform/storage.server";

const run = promisify(execFile);
const SLIDE_TYPES: readonly string[] = ["image/tiff", "image/jpeg", "image/png", "application/dicom"];
export const maxSlideBytes = () => env("SLIDE_MAX_MB") * 1024 * 1024;

export function pyramidDir(slideId: string): string {
  if (!/^[a-z0-9]+$/i.test(slideId)) throw new Error("invalid slide id");
  return path.join(storageRoot(), "slides", slideId);
}

export type SlideUpload = { ok: true; slideId: string } | { ok: false; status: number; errorKey: string } | RawGenomicRefusal;

export async function receiveSlide(db: Db, request: Request, caseId: string, uploadedById: string): Promise<SlideUpload> {
  if (!request.headers.get("content-type")?.startsWith("multipart/form-data")) return { ok: false, status: 400, errorKey: "imaging:slides.errors.noFile" };
  const upload: FileUpload = { staged: null, fileName: "slide" };
  try {
    await requireCsrf(request, await receiveFilePart(request, maxSlideBytes(), upload));
    const file = upload.staged;
    if (!file || file.size === 0) return { ok: false, status: 400, errorKey: "imaging:slides.errors.noFile" };
    const genomic = refuseRawGenomicData(file.head);
    if (genomic) return genomic;
    if (findIdentifiers(upload.fileName).length > 0) return { ok: false, status: 422, errorKey: "cases:errors.identifierInFileName" };
    const type = detectFileType(file.head);
    if (!type || !SLIDE_TYPES.includes(type.mimeType)) return { ok: false, status: 415, errorKey: "imaging:slides.errors.type" };
    if (type.mimeType === "application/dicom") {
      const problem = await checkDicomSlide(file.tempPath);
      if (problem) return { ok: false, status: 415, errorKey: DICOM_PROBLEM_KEYS[problem] };
    }
    const refusal = await stillIdentifying(db, caseId, file.tempPath, type.mimeType === "application/dicom");
    if (refusal) return { ok: false, status: 422, errorKey: refusal };
    const slide = await db.slide.create({
      data: { caseId, fileName: safeFileName(upload.fileName), status: "PROCESSING", uploadedById },
      select: { id: true },
    });
    const source = path.join(path.dirname(file.tempPath), `slide-${slide.id}.${type.extension}`);
    await rename(file.tempPath, source);
    upload.staged = null;
    void buildPyramid(db, slide.id, source);
    return { ok: true, slideId: slide.id };
  } catch (error) {
    if (error instanceof FileTooLargeError) return { ok: false, status: 413, errorKey: "imaging:slides.errors.tooLarge" };
    throw error;
  } finally {
    await discardStaged(upload.staged);
  }
}

/**
 * Why the upload is refused (a message key), or null: when it still carries what the case page removes before sending: for TIFF, JPEG and PNG what the cleaning
 * plan would change (slide-deid.ts: label and macro images, scanner text, metadata); for DICOM a header not de-identified
 * with this case's context (dicom-slide-deid.ts). The page does this for every slide; the server does not trust it, and
 * refuses a file it cannot walk too (libtiff and OpenSlide read past what the plan calls broken).
 */
async function stillIdentifying(db: Db, caseId: string, tempPath: string, dicom: boolean): Promise<string | null> {
  const identifying = "imaging:slides.errors.identifying";
  const file = await openByteSource(tempPath);
  try {
    if (dicom) return (await dicomSlideProblems(file, await caseDeidContext(db, caseId))).length > 0 ? identifying : null;
    return (await planSlideCleaning(file, { stopAtFirst: true })).patches.length > 0 ? identifying : null;
  } catch (error) {
    // A file the plan cannot walk cannot be shown clean, however readers may still open it.
    if (error instanceof SlideFormatError || error instanceof RangeError) return identifying;
    if (error instanceof SlideRefusal) return error.errorKey;
    throw error;
  } finally {
    await file.close();
  }
}

/** Pixel size in µm, from OpenSlide's properties when the format records it. */
async function micronsPerPixel(source: string): Promise<number | null> {
  const value = await run("vipsheader", ["-f", "openslide.mpp-x", source]).then(
    (r) => Number(r.stdout.trim()),
    () => Number.NaN,
  );
  return Number.isFinite(value) && value > 0 ? value : null;
}

const DICOM_PROBLEM_KEYS: Record<SlideProblem | "unreadable", string> = {
  notSlide: "imaging:slides.errors.dicomNotSlide",
  labelImage: "imaging:slides.errors.dicomLabel",
  pixelFormat: "imaging:slides.errors.dicomPixelFormat",
  tiling: "imaging:slides.errors.unreadable",
  unreadable: "imaging:slides.errors.unreadable",
};

type SlideImage = { input: string; width: number; height: number; micronsPerPixel: number | null };

/** For a DICOM upload, where its pixels are written out as one PPM/PGM file; null for uploads libvips reads itself. */
const netpbmOf = (source: string) => (source.endsWith(".dcm") ? source.replace(/\.dcm$/, ".pnm") : null);

/** The image libvips reads: the upload itself, or for DICOM its pixels in one PPM/PGM file. */
async function slideImage(source: string): Promise<SlideImage> {
  const netpbm = netpbmOf(source);
  if (netpbm) return { input: netpbm, ...(await dicomSlideToNetpbm(source, netpbm)) };
  const [size, mpp] = await Promise.all([dimensions(source), micronsPerPixel(source)]);
  return { input: source, ...size, micronsPerPixel: mpp };
}

async function dimensions(source: string): Promise<{ width: number; height: number }> {
  const [width, height] = await Promise.all(["width", "height"].map(async (field) => Number((await run("vipsheader", ["-f", field, source])).stdout.trim())));
  return { width, height };
}

/** Makes `<slides>/<id>/slide.dzi` and its tiles; the slide row says READY, or FAILED with a reason for the user, once the upload is gone. */
export async function buildPyramid(db: Db, slideId: string, source: string): Promise<void> {
  const dir = pyramidDir(slideId);
  let outcome: { status: "READY"; width: number; height: number; micronsPerPixel: number | null } | { status: "FAILED"; errorKey: string };
  try {
    const image = await slideImage(source);
    const building = `${dir}.building`;
    await rm(building, { recursive: true, force: true });
    await mkdir(building, { recursive: true });
    await run("vips", ["dzsave", image.input, path.join(building, "slide"), "--suffix", ".jpeg[Q=85]", "--tile-size", "254", "--overlap", "1"], {
      maxBuffer: 16 * 1024 * 1024,
    });
    await rm(dir, { recursive: true, force: true });
    await rename(building, dir);
    outcome = { status: "READY", width: image.width, height: image.height, micronsPerPixel: image.micronsPerPixel };
  } catch (error) {
    log("warn", "slide could not be read", { slideId, error: String(error).slice(0, 500) });
    outcome = { status: "FAILED", errorKey: error instanceof DicomSlideError ? DICOM_PROBLEM_KEYS[error.problem] : "imaging:slides.errors.unreadable" };
  } finally {
    await rm(source, { force: true });
    const netpbm = netpbmOf(source);
    if (netpbm) await rm(netpbm, { force: true });
  }
  await db.slide
    .update({ where: { id: slideId }, data: outcome })
    .catch((error) => log("error", "slide status could not be saved", { slideId, error: String(error) }));
}

/** Slides whose processing a restart interrupted: their upload is gone with the temporary files, so they are marked failed. */
export async function failInterruptedSlides(db: Db): Promise<number> {
  const { count } = await db.slide.updateMany({ where: { status: "PROCESSING" }, data: { status: "FAILED", errorKey: "imaging:slides.errors.interrupted" } });
  return count;
}

/** A file of a slide's pyramid: the .dzi descriptor or one tile, or null for anything else. */
export function pyramidFile(slideId: string, rest: string): { path: string; contentType: string } | null {
  if (rest === "slide.dzi") return { path: path.join(pyramidDir(slideId), "slide.dzi"), contentType: "application/xml" };
  const tile = /^slide_files\/(\d{1,2})\/(\d{1,6})_(\d{1,6})\.jpeg$/.exec(rest);
  return tile ? { path: path.join(pyramidDir(slideId), "slide_files", tile[1], `${tile[2]}_${tile[3]}.jpeg`), contentType: "image/jpeg" } : null;
}
