/**
 * Pathology slide files (TIFF and its vendors' variants, BigTIFF, JPEG, PNG, DICOM) cleaned of what can name the patient,
 * in place: every change overwrites bytes without moving any, so the browser sends the original file's untouched slices
 * around a few patches (a gigabyte slide never sits in memory) and the result is still the same format for OpenSlide and
 * libvips. The server runs the same plan on what arrives and refuses a file for which it still finds anything to change,
 * or which it cannot walk within bounds (slide-bytes.ts).
 *
 * - TIFF (tiff-deid.ts): only the directories of the slide's own pyramid, as each vendor's rule names them, keep their
 *   pixels; labels, macro and overview images and unknown pages are zeroed. Descriptions, XML and XMP keep only the
 *   vendor's structure, geometry and optics (slide-text.ts); Make, Model and Software only the vendor's name; private
 *   and unknown tags, EXIF and GPS directories, IPTC and Photoshop blocks, and bytes no directory refers to are zeroed.
 * - JPEG and PNG (raster-deid.ts): metadata segments and chunks anywhere in the file are blanked, and whatever follows
 *   the image's end (appended MPF images, trailing data) is zeroed.
 * - DICOM whole-slide images (dicom-slide-deid.ts): de-identified like any DICOM file around their untouched tiles;
 *   label and overview images and non-slide DICOM are refused before anything is sent.
 */
import type { DeidContext } from "../dicom/deidentify";
import { deidentifyDicomSlide } from "./dicom-slide-deid";
import { planJpeg, planPng } from "./raster-deid";
import { PatchList, type ByteSource, type Patch } from "./slide-bytes";
import { planTiff } from "./tiff-deid";

export type SlideFormat = "tiff" | "jpeg" | "png" | "dicom" | "other";
export type SlidePlan = { format: SlideFormat; patches: Patch[] };

export function slideFormat(head: Uint8Array): SlideFormat {
  if ((head[0] === 0x49 && head[1] === 0x49) || (head[0] === 0x4d && head[1] === 0x4d)) return "tiff";
  if (head[0] === 0xff && head[1] === 0xd8) return "jpeg";
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return "png";
  if (head.length >= 132 && head[128] === 0x44 && head[129] === 0x49 && head[130] === 0x43 && head[131] === 0x4d) return "dicom";
  return "other";
}

const PLANS = { tiff: planTiff, jpeg: planJpeg, png: planPng };

/**
 * The changes that clean the file; empty when there is nothing to clean (or the format is handled elsewhere). With
 * `stopAtFirst` (the server's check) the walk ends at the first change found.
 */
export async function planSlideCleaning(source: ByteSource, { stopAtFirst = false } = {}): Promise<SlidePlan> {
  const format = slideFormat(await source.read(0, Math.min(source.size, 132)));
  if (format === "dicom" || format === "other") return { format, patches: [] };
  return { format, patches: await new PatchList(stopAtFirst).collect((patches) => PLANS[format](source, patches)) };
}

/** A part of the cleaned file: bytes written by the cleaning, or a range [from, to) of the original sent as it is. */
export type CleanedPart = Uint8Array | { from: number; to: number };

/**
 * The cleaned file, in parts, as the case page sends it: for DICOM its header and trailer de-identified with the case's
 * `context` around the original pixels; otherwise the original with the plan's patches laid over it. Nothing large is
 * copied: the untouched ranges stay ranges of the original.
 */
export async function slideCleaning(source: ByteSource, context: () => Promise<DeidContext>): Promise<CleanedPart[]> {
  if (slideFormat(await source.read(0, Math.min(source.size, 132))) === "dicom") {
    const { head, pixelsFrom, pixelsTo, trailer } = await deidentifyDicomSlide(source, context);
    return [head, { from: pixelsFrom, to: pixelsTo }, trailer];
  }
  return cleanedParts(source.size, (await planSlideCleaning(source)).patches);
}

/** The original's untouched ranges and the patches, in order. */
export function cleanedParts(size: number, patches: readonly Patch[]): CleanedPart[] {
  const parts: CleanedPart[] = [];
  let at = 0;
  for (const patch of [...patches].sort((a, b) => a.offset - b.offset)) {
    const end = patch.offset + patch.bytes.length;
    if (end <= at) continue;
    if (patch.offset > at) parts.push({ from: at, to: patch.offset });
    parts.push(patch.offset < at ? patch.bytes.subarray(at - patch.offset) : patch.bytes); // an overlap sends the rest of the patch
    at = end;
  }
  if (at < size) parts.push({ from: at, to: size });
  return parts;
}
