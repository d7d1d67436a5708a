/**
 * DICOM whole-slide images de-identified without holding their tiles: the header (everything before the top-level Pixel
 * Data) is read in growing prefixes, de-identified with the case's context like any DICOM file, and written again; the
 * pixels follow byte for byte from the original. The case page sends only that; the server checks the header with the same
 * profile and the case's seal. What follows the pixels (digital signatures, padding, private groups) is read and
 * de-identified with the header, so nothing can hide after them.
 */
import { deidentify, type DeidContext } from "../dicom/deidentify";
import { dictionaryVr } from "../dicom/deid-profile";
import { deidentificationProblems, type DeidProblem } from "../dicom/deid-verify";
import { DicomParseError, parseElements, parseHeader, tagOf, TS, writeElements, writePart10, type Part10 } from "../dicom/part10";
import type { ByteSource } from "./slide-bytes";

const FIRST_READ = 1024 * 1024;
const MAX_HEADER_BYTES = 256 * 1024 * 1024;
const ITEM = 0xfffee000;
const SEQUENCE_END = 0xfffee0dd;
const PIXEL_DATA = tagOf(0x7fe0, 0x0010);
const MAX_TRAILER_BYTES = 16 * 1024 * 1024;

async function readHeader(source: ByteSource): Promise<{ header: Part10; pixelDataAt: number }> {
  for (let length = Math.min(FIRST_READ, source.size); ; length = Math.min(length * 4, source.size)) {
    const parsed = parseHeader(await source.read(0, length), dictionaryVr, { complete: length >= source.size });
    if (parsed) return parsed;
    if (length >= source.size || length >= MAX_HEADER_BYTES) throw new DicomParseError("truncated", "the header does not end");
  }
}

/** Where the top-level Pixel Data element that starts at `at` ends (the file's length when there is none). */
async function pixelDataEnd(source: ByteSource, header: Part10, at: number): Promise<number> {
  if (at >= source.size) return source.size;
  const little = header.transferSyntax !== TS.explicitBE;
  const word = async (offset: number) => {
    if (offset + 4 > source.size) throw new DicomParseError("truncated", "the pixel data has no end");
    const bytes = await source.read(offset, 4);
    return new DataView(bytes.buffer, bytes.byteOffset, 4);
  };
  const u32 = async (offset: number) => (await word(offset)).getUint32(0, little);
  const tagAt = async (offset: number) => {
    const d = await word(offset);
    return ((d.getUint16(0, little) << 16) | d.getUint16(2, little)) >>> 0;
  };
  const headerLength = header.transferSyntax === TS.implicitLE ? 8 : 12;
  const length = await u32(at + headerLength - 4);
  let end = at + headerLength;
  if (length !== 0xffffffff) return Math.min(end + length, source.size);
  for (;;) {
    const tag = await tagAt(end);
    const itemLength = await u32(end + 4);
    end += 8;
    if (tag === SEQUENCE_END) return end;
    if (tag !== ITEM) throw new DicomParseError("badLength", "malformed encapsulated pixel data");
    end += itemLength;
  }
}

/** The header and whatever elements follow the pixels (signatures, padding, private groups), as one dataset. */
async function readAroundPixels(source: ByteSource) {
  const { header, pixelDataAt } = await readHeader(source);
  const pixelsEnd = await pixelDataEnd(source, header, pixelDataAt);
  if (source.size - pixelsEnd > MAX_TRAILER_BYTES) throw new DicomParseError("badLength", "too much data after the pixels");
  const trailer = pixelsEnd < source.size ? parseElements(await source.read(pixelsEnd, source.size - pixelsEnd), header.transferSyntax, dictionaryVr) : [];
  return { file: { ...header, dataset: [...header.dataset, ...trailer] }, pixelDataAt, pixelsEnd };
}

/**
 * The de-identified header and trailer to send around the original's pixels [pixelsFrom, pixelsTo), which go as they are.
 */
export async function deidentifyDicomSlide(
  source: ByteSource,
  ctx: DeidContext,
): Promise<{ head: Uint8Array; pixelsFrom: number; pixelsTo: number; trailer: Uint8Array }> {
  const { file, pixelDataAt, pixelsEnd } = await readAroundPixels(source);
  const clean = deidentify(file, ctx).file;
  return {
    head: writePart10({ ...clean, dataset: clean.dataset.filter((e) => e.tag < PIXEL_DATA) }),
    pixelsFrom: pixelDataAt,
    pixelsTo: pixelsEnd,
    trailer: writeElements(
      clean.dataset.filter((e) => e.tag > PIXEL_DATA),
      clean.transferSyntax,
    ),
  };
}

/** What in the slide's header and trailer still identifies the patient or was de-identified with another context; empty when clean. */
export async function dicomSlideProblems(source: ByteSource, ctx: Pick<DeidContext, "caseCode" | "uidSecret">): Promise<DeidProblem[]> {
  try {
    return deidentificationProblems((await readAroundPixels(source)).file, ctx);
  } catch (error) {
    if (error instanceof DicomParseError || error instanceof RangeError) return [{ kind: "identifying", tag: "file", detail: String(error.message) }];
    throw error;
  }
}
