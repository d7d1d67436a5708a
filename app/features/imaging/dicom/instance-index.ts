/**
 * What the platform indexes per instance (enough for a viewer to order
 * slices), and the checks that turn a parseable but unusable file into a
 * clear rejection. Dimensions are capped before anything is allocated.
 */
import { find, stringValue, tagOf, type Dataset } from "./part10";

export const MAX_PIXELS_PER_FRAME = 65_536 * 65_536;
export const MAX_FRAMES = 10_000;

export type InstanceIndex = {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string | null;
  modality: string | null;
  studyDate: string | null;
  studyDescription: string | null;
  seriesNumber: number | null;
  seriesDescription: string | null;
  bodyPart: string | null;
  instanceNumber: number | null;
  imagePosition: number[] | null;
  imageOrientation: number[] | null;
  sliceLocation: number | null;
  frames: number;
  rows: number | null;
  columns: number | null;
  pixelSpacing: number[] | null;
  bitsAllocated: number | null;
  photometricInterpretation: string | null;
};

export type IndexResult = { ok: true; index: InstanceIndex } | { ok: false; reason: IndexRejection; detail: string };
export type IndexRejection = "missingUid" | "badNumberOfFrames" | "missingRows" | "dimensionsTooLarge" | "pixelDataTooShort" | "brokenCodestream";

const tag = (g: number, e: number) => tagOf(g, e);
const str = (ds: Dataset, g: number, e: number) => stringValue(ds, tag(g, e)) ?? null;
const num = (value: string | null) => (value !== null && value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : null);
const nums = (value: string | null) => {
  if (!value) return null;
  const parts = value.split("\\").map((v) => Number(v));
  return parts.every(Number.isFinite) ? parts : null;
};

function us(ds: Dataset, g: number, e: number, littleEndian: boolean): number | null {
  const value = find(ds, tag(g, e))?.value;
  if (!value || value.length < 2) return null;
  return new DataView(value.buffer, value.byteOffset, value.byteLength).getUint16(0, littleEndian);
}

export function indexInstance(ds: Dataset, littleEndian: boolean, transferSyntax: string): IndexResult {
  const studyInstanceUid = str(ds, 0x0020, 0x000d);
  const seriesInstanceUid = str(ds, 0x0020, 0x000e);
  const sopInstanceUid = str(ds, 0x0008, 0x0018);
  const sopClassUid = str(ds, 0x0008, 0x0016);
  if (!studyInstanceUid || !seriesInstanceUid || !sopInstanceUid) {
    return { ok: false, reason: "missingUid", detail: "study, series or SOP instance UID missing" };
  }
  const framesText = str(ds, 0x0028, 0x0008);
  if (framesText !== null && !/^\s*\d+\s*$/.test(framesText)) return { ok: false, reason: "badNumberOfFrames", detail: `Number of Frames is "${framesText}"` };
  const frames = framesText === null ? 1 : Number(framesText);
  if (frames < 1 || frames > MAX_FRAMES) return { ok: false, reason: "badNumberOfFrames", detail: `Number of Frames is ${frames}` };

  const pixelData = find(ds, tag(0x7fe0, 0x0010));
  const rows = us(ds, 0x0028, 0x0010, littleEndian);
  const columns = us(ds, 0x0028, 0x0011, littleEndian);
  const bitsAllocated = us(ds, 0x0028, 0x0100, littleEndian);
  const samples = us(ds, 0x0028, 0x0002, littleEndian) ?? 1;
  if (pixelData) {
    if (!rows || !columns) return { ok: false, reason: "missingRows", detail: "image without Rows or Columns" };
    if (rows * columns > MAX_PIXELS_PER_FRAME || rows * columns * frames * samples * ((bitsAllocated ?? 16) / 8) > 8 * 1024 ** 3) {
      return { ok: false, reason: "dimensionsTooLarge", detail: `${rows}×${columns}×${frames} is too large` };
    }
    if (pixelData.fragments && !codestreamIntact(pixelData.fragments, transferSyntax, rows, columns)) {
      return { ok: false, reason: "brokenCodestream", detail: "compressed pixel data does not start or end as its codec requires" };
    }
    if (pixelData.value && bitsAllocated) {
      const expected = Math.ceil((rows * columns * frames * samples * bitsAllocated) / 8);
      if (pixelData.value.length < expected)
        return { ok: false, reason: "pixelDataTooShort", detail: `pixel data has ${pixelData.value.length} of ${expected} bytes` };
    }
  }
  return {
    ok: true,
    index: {
      studyInstanceUid,
      seriesInstanceUid,
      sopInstanceUid,
      sopClassUid,
      modality: str(ds, 0x0008, 0x0060),
      studyDate: str(ds, 0x0008, 0x0020),
      studyDescription: str(ds, 0x0008, 0x1030),
      seriesNumber: num(str(ds, 0x0020, 0x0011)),
      seriesDescription: str(ds, 0x0008, 0x103e),
      bodyPart: str(ds, 0x0018, 0x0015),
      instanceNumber: num(str(ds, 0x0020, 0x0013)),
      imagePosition: nums(str(ds, 0x0020, 0x0032)),
      imageOrientation: nums(str(ds, 0x0020, 0x0037)),
      sliceLocation: num(str(ds, 0x0020, 0x1041)),
      frames,
      rows,
      columns,
      pixelSpacing: nums(str(ds, 0x0028, 0x0030)),
      bitsAllocated,
      photometricInterpretation: str(ds, 0x0028, 0x0004),
    },
  };
}

/**
 * JPEG, JPEG-LS and JPEG 2000 codestreams start with their SOI/SOC marker (or a
 * JP2 box) and end with EOI (FFD9), possibly padded to even length. A stream
 * that does not is cut off or corrupted.
 */
export function codestreamIntact(fragments: Uint8Array[], transferSyntax: string, rows: number, columns: number): boolean {
  if (!transferSyntax.startsWith("1.2.840.10008.1.2.4.")) return true;
  const frames = fragments.slice(1).filter((f) => f.length > 0);
  if (frames.length === 0) return false;
  const first = frames[0];
  const startsWell = (first[0] === 0xff && (first[1] === 0xd8 || first[1] === 0x4f)) || (first[4] === 0x6a && first[5] === 0x50);
  const last = frames[frames.length - 1];
  // One trailing byte may pad the fragment to even length (00, or FF fill as JPEG allows).
  const end = last[last.length - 1] === 0xd9 ? last.length : last.length - 1;
  return startsWell && last[end - 2] === 0xff && last[end - 1] === 0xd9 && j2kSizeMatches(first, rows, columns);
}

/** A JPEG 2000 codestream's SIZ marker must describe the image the DICOM header describes. */
function j2kSizeMatches(codestream: Uint8Array, rows: number, columns: number): boolean {
  if (!(codestream[0] === 0xff && codestream[1] === 0x4f && codestream[2] === 0xff && codestream[3] === 0x51) || codestream.length < 24) return true;
  const view = new DataView(codestream.buffer, codestream.byteOffset, codestream.byteLength);
  const width = view.getUint32(8) - view.getUint32(16);
  const height = view.getUint32(12) - view.getUint32(20);
  return width === columns && height === rows;
}
