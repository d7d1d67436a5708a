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
import { DicomParseError, parseElements, parseHeader, tagOf, trimmedString, TS, writeElements, writePart10, type Part10 } from "../dicom/part10";
import { slideKindProblem } from "./dicom-slide";
import { readAhead, SlideRefusal, type ByteSource } from "./slide-bytes";

const FIRST_READ = 1024 * 1024;
const MAX_HEADER_BYTES = 256 * 1024 * 1024;
const ITEM = 0xfffee000;
const SEQUENCE_END = 0xfffee0dd;
const PIXEL_DATA = tagOf(0x7fe0, 0x0010);
const MAX_TRAILER_BYTES = 16 * 1024 * 1024;
/**
 * Items (fragments and the offset table) that encapsulated pixel data may have: a real slide has at most a few hundred
 * thousand fragments, and a crafted file of millions of empty items must not make the page or the server walk them all.
 */
export const MAX_PIXEL_ITEMS = 1 << 21;
/** The read-ahead window for the item walk: a file cannot make it take more than one read per this many bytes. */
export const ITEM_WALK_WINDOW = 64 * 1024;

async function readHeader(source: ByteSource): Promise<{ header: Part10; pixelDataAt: number }> {
  for (let length = Math.min(FIRST_READ, source.size); ; length = Math.min(length * 4, source.size)) {
    const parsed = parseHeader(await source.read(0, length), dictionaryVr, { complete: length >= source.size });
    if (parsed) return parsed;
    if (length >= source.size || length >= MAX_HEADER_BYTES) throw new DicomParseError("truncated", "the header does not end");
  }
}

/** Where the top-level Pixel Data element that starts at `at` ends (the file's length when there is none). */
async function pixelDataEnd(file: ByteSource, header: Part10, at: number): Promise<number> {
  if (at >= file.size) return file.size;
  // Item headers are read from a window ahead, not one call each: an empty item is 8 bytes.
  const source = readAhead(file, ITEM_WALK_WINDOW);
  const little = header.transferSyntax !== TS.explicitBE;
  const view = async (offset: number, length: number) => {
    if (offset + length > source.size) throw new DicomParseError("truncated", "the pixel data has no end");
    const bytes = await source.read(offset, length);
    return new DataView(bytes.buffer, bytes.byteOffset, length);
  };
  const headerLength = header.transferSyntax === TS.implicitLE ? 8 : 12;
  const length = (await view(at + headerLength - 4, 4)).getUint32(0, little);
  let end = at + headerLength;
  if (length !== 0xffffffff) return Math.min(end + length, source.size);
  for (let items = 0; ; items++) {
    if (items > MAX_PIXEL_ITEMS) throw new DicomParseError("tooManyElements", "too many items in the encapsulated pixel data");
    const item = await view(end, 8);
    const tag = ((item.getUint16(0, little) << 16) | item.getUint16(2, little)) >>> 0;
    const itemLength = item.getUint32(4, little);
    end += 8;
    if (tag === SEQUENCE_END) return end;
    if (tag !== ITEM) throw new DicomParseError("badLength", "malformed encapsulated pixel data");
    end += itemLength;
  }
}

/** A top-level text value of the header, split into its values. */
function values(header: Part10, tag: number): string[] {
  const element = header.dataset.find((e) => e.tag === tag);
  return element?.value
    ? trimmedString(element.value)
        .split("\\")
        .map((v) => v.trim())
    : [];
}

const REFUSAL_KEYS = { notSlide: "imaging:slides.errors.dicomNotSlide", labelImage: "imaging:slides.errors.dicomLabel" };

/**
 * Refuses, before anything is de-identified or sent, what the server would refuse for what the image is: a SOP class that
 * is not a slide, or a label or overview image, which shows the slide label and so can show the patient's name.
 */
function refuseWhatIsNotASlide(header: Part10, pixelDataAt: number, size: number) {
  if (pixelDataAt >= size) throw new SlideRefusal(REFUSAL_KEYS.notSlide); // as the server: no Pixel Data, no slide
  const problem = slideKindProblem(values(header, tagOf(0x0008, 0x0016))[0] ?? "", values(header, tagOf(0x0008, 0x0008)));
  if (problem) throw new SlideRefusal(REFUSAL_KEYS[problem]);
}

/** The header and whatever elements follow the pixels (signatures, padding, private groups), as one dataset. */
async function readAroundPixels(source: ByteSource, check?: (header: Part10, pixelDataAt: number) => void) {
  const { header, pixelDataAt } = await readHeader(source);
  check?.(header, pixelDataAt);
  const pixelsEnd = await pixelDataEnd(source, header, pixelDataAt);
  if (source.size - pixelsEnd > MAX_TRAILER_BYTES) throw new DicomParseError("badLength", "too much data after the pixels");
  const trailer = pixelsEnd < source.size ? parseElements(await source.read(pixelsEnd, source.size - pixelsEnd), header.transferSyntax, dictionaryVr) : [];
  return { file: { ...header, dataset: [...header.dataset, ...trailer] }, pixelDataAt, pixelsEnd };
}

/**
 * The de-identified header and trailer to send around the original's pixels [pixelsFrom, pixelsTo), which go as they are.
 * A SlideRefusal, before the case's context is asked for, for a label or overview image or DICOM that is not a slide (the
 * original header is checked: the page never sends what the server would refuse for what it shows).
 */
export async function deidentifyDicomSlide(
  source: ByteSource,
  context: DeidContext | (() => Promise<DeidContext>),
): Promise<{ head: Uint8Array; pixelsFrom: number; pixelsTo: number; trailer: Uint8Array }> {
  const { file, pixelDataAt, pixelsEnd } = await readAroundPixels(source, (header, at) => refuseWhatIsNotASlide(header, at, source.size));
  const clean = deidentify(file, typeof context === "function" ? await context() : context).file;
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
