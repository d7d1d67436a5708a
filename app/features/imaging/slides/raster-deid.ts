/**
 * JPEG and PNG slides (single images, photographed or exported) cleaned in place:
 * - JPEG: every segment is walked until the end-of-image marker, across the entropy-coded data of every scan (progressive
 *   files put tables, comments and application segments between their scans). Application segments become zero-filled
 *   comments, except a JFIF APP0 and an Adobe APP14, whose fixed fields stay and whose extra bytes (a JFIF thumbnail) are
 *   zeroed; comments are zeroed. Whatever follows the end-of-image marker (MPF's second image with its own EXIF, a
 *   photograph of the label, anything appended) is zeroed.
 * - PNG: critical chunks and the ancillary chunks that only say how to show the pixels stay; every other ancillary chunk
 *   (text, time, EXIF, ICC profile, private chunks) becomes a zero-filled private chunk with its checksum recomputed, and
 *   whatever follows the end chunk is zeroed.
 * A walk reads at most the file, in chunks, and keeps no more than a chunk in memory; a file with more segments or chunks
 * than any image needs, a segment or chunk past the end of the file, or a marker the readers would refuse is unreadable.
 */
import { latin1, READ_CHUNK, readAhead, SlideFormatError, zeroUnless, type ByteSource, type PatchList } from "./slide-bytes";

export const MAX_JPEG_SEGMENTS = 10_000;
export const MAX_PNG_CHUNKS = 1_000_000;

/** `length` bytes at `offset`, which must lie inside the file. */
async function readInside(source: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  if (offset < 0 || offset + length > source.size) throw new SlideFormatError(`${what} outside the file`);
  const bytes = await source.read(offset, length);
  if (bytes.length !== length) throw new SlideFormatError(`${what} outside the file`);
  return bytes;
}

/** Starts with `prefix` (Latin-1). */
const startsWith = (bytes: Uint8Array, prefix: string) => bytes.length >= prefix.length && [...prefix].every((c, i) => bytes[i] === c.charCodeAt(0));

// ---------------------------------------------------------------------------------------------------------------- JPEG

const SOS = 0xda;
const EOI = 0xd9;
const COM = 0xfe;
const isRst = (type: number) => type >= 0xd0 && type <= 0xd7;

/**
 * Segments that carry no length and nothing but the marker (TEM, and RSTn met between segments); segments whose lengths
 * the walk steps over and which stay (frames, tables, scans, restart interval, JPEG-LS frame and parameters).
 */
const standalone = (type: number) => type === 0x01 || isRst(type);
const structural = (type: number) => (type >= 0xc0 && type <= 0xcf && type !== 0xc8) || (type >= 0xda && type <= 0xdf) || type === 0xf7 || type === 0xf8;

/** The fixed fields of the application segments that stay (identifier included); anything past them is zeroed. */
const KEPT_APPLICATION: Record<number, { identifier: string; fields: number }> = {
  0xe0: { identifier: "JFIF\0", fields: 14 }, // identifier, version, units, densities, thumbnail size: the thumbnail is zeroed
  0xee: { identifier: "Adobe", fields: 12 }, // identifier, version, flags, colour transform
};

/**
 * The offset of the marker that ends the entropy-coded data starting at `from`: a 0xFF followed by a byte other than 0x00
 * (a stuffed 0xFF), a restart marker (which belongs to the data) or another 0xFF (fill, the marker comes after it).
 * Read in chunks that overlap by one byte, so a 0xFF at the end of a chunk is seen with the byte after it.
 */
async function entropyEnd(source: ByteSource, from: number): Promise<number> {
  for (let at = from; ;) {
    if (at + 2 > source.size) throw new SlideFormatError("JPEG scan runs past the end of the file");
    const chunk = await readInside(source, at, Math.min(READ_CHUNK, source.size - at), "JPEG scan");
    for (let i = chunk.indexOf(0xff); i >= 0 && i + 1 < chunk.length; i = chunk.indexOf(0xff, i + 1)) {
      const next = chunk[i + 1];
      if (next !== 0x00 && next !== 0xff && !isRst(next)) return at + i;
    }
    at += chunk.length - 1;
  }
}

/** The offset of the last 0xFF of the run of 0xFF bytes (fill before a marker) that starts at `from`. */
async function fillEnd(source: ByteSource, from: number): Promise<number> {
  for (let at = from; ;) {
    if (at + 2 > source.size) throw new SlideFormatError("JPEG ends in fill bytes");
    const chunk = await readInside(source, at, Math.min(READ_CHUNK, source.size - at), "JPEG fill");
    let i = 0;
    while (i + 1 < chunk.length && chunk[i + 1] === 0xff) i++;
    if (i + 1 < chunk.length) return at + i;
    at += chunk.length - 1;
  }
}

export async function planJpeg(file: ByteSource, patches: PatchList): Promise<void> {
  const source = readAhead(file);
  let at = 2;
  for (let segments = 0; ;) {
    const [marker, type] = await readInside(source, at, 2, "JPEG marker");
    if (marker !== 0xff) throw new SlideFormatError("not a JPEG segment");
    if (type === 0xff) {
      at = await fillEnd(file, at);
      continue;
    }
    if (++segments > MAX_JPEG_SEGMENTS) throw new SlideFormatError("too many JPEG segments");
    if (type === EOI) {
      // Nothing a reader of this image looks at follows: a second image (MPF) or anything appended is zeroed.
      await zeroUnless(file, at + 2, file.size, patches);
      return;
    }
    if (standalone(type)) {
      at += 2;
      continue;
    }
    const application = type >= 0xe0 && type <= 0xef;
    if (!application && type !== COM && !structural(type)) {
      throw new SlideFormatError(`JPEG marker 0x${type.toString(16)} is not one that readers accept`);
    }
    const header = await readInside(source, at + 2, 2, "JPEG segment");
    const length = (header[0] << 8) | header[1];
    if (length < 2) throw new SlideFormatError("JPEG segment shorter than its length field");
    const end = at + 2 + length;
    if (end > file.size) throw new SlideFormatError("JPEG segment outside the file");
    if (application || type === COM) await blankMetadataSegment(source, at, type, end, patches);
    at = end;
    if (type === SOS) at = await entropyEnd(file, at);
  }
}

/** An application segment or comment [at, end) blanked: a JFIF or Adobe segment keeps its fixed fields, others become zero-filled comments. */
async function blankMetadataSegment(source: ByteSource, at: number, type: number, end: number, patches: PatchList) {
  const kept = KEPT_APPLICATION[type];
  const head = kept && end - at - 4 >= kept.fields ? await readInside(source, at + 4, kept.fields, "JPEG segment") : null;
  if (kept && head && startsWith(head, kept.identifier)) {
    await zeroUnless(source, at + 4 + kept.fields, end, patches);
  } else {
    if (type !== COM) patches.add(at + 1, new Uint8Array([COM]));
    await zeroUnless(source, at + 4, end, patches);
  }
}

const MAX_EMBEDDED_SEGMENTS = 64;

/**
 * A JPEG stream inside another file [start, end) (a TIFF tile or strip, or JPEG tables): its segments before the first
 * scan are walked and its application segments and comments blanked as in a JPEG file. What is not a JPEG stream is left.
 */
export async function blankEmbeddedJpegMetadata(source: ByteSource, start: number, end: number, patches: PatchList): Promise<void> {
  if (end - start < 4) return;
  const soi = await readInside(source, start, 2, "JPEG stream");
  if (soi[0] !== 0xff || soi[1] !== 0xd8) return;
  for (let at = start + 2, segments = 0; at + 4 <= end; segments++) {
    if (segments > MAX_EMBEDDED_SEGMENTS) throw new SlideFormatError("too many segments in an embedded JPEG stream");
    const [marker, type, hi, lo] = await readInside(source, at, 4, "JPEG segment");
    if (marker !== 0xff || type === SOS || type === EOI) return;
    if (type === 0xff) {
      at += 1;
      continue;
    }
    if (standalone(type)) {
      at += 2;
      continue;
    }
    const segmentEnd = at + 2 + ((hi << 8) | lo);
    if (segmentEnd > end) throw new SlideFormatError("JPEG segment outside its stream");
    if ((type >= 0xe0 && type <= 0xef) || type === COM) await blankMetadataSegment(source, at, type, segmentEnd, patches);
    at = segmentEnd;
  }
}

// ----------------------------------------------------------------------------------------------------------------- PNG

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_CRITICAL = new Set(["IHDR", "PLTE", "IDAT", "IEND"]);
/**
 * Ancillary chunks that only say how to show the pixels (colour, transparency, size): they stay. An animated PNG's other
 * frames (acTL, fcTL, fdAT) go: they are other images, which can be a photograph of the label; the first image stays.
 */
const PNG_KEPT = new Set(["tRNS", "cHRM", "gAMA", "sBIT", "sRGB", "cICP", "mDCV", "mDCv", "cLLI", "cLLi", "bKGD", "hIST", "pHYs"]);
/**
 * What a blanked chunk becomes: ancillary (lower-case first letter), private (lower-case second), reserved bit clear
 * (upper-case third), safe to copy (lower-case fourth). Earlier cleanings wrote "pRVt" (public by its second letter): a
 * zero-filled one is accepted as clean.
 */
const PNG_BLANK_TYPE = "prVt";
const PNG_EARLIER_BLANK_TYPE = "pRVt";
const PNG_MAX_LENGTH = 0x7fffffff;

let crcTable: Uint32Array | undefined;
function crcTableOnce(): Uint32Array {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  return crcTable;
}

/** The PNG checksum of a chunk of type `type` whose `length` data bytes are all zero, without holding them in memory. */
function blankChunkCrc(type: string, length: number): number {
  const table = crcTableOnce();
  let crc = 0xffffffff;
  for (let i = 0; i < 4; i++) crc = table[(crc ^ type.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  for (let i = 0; i < length; i++) crc = table[crc & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const uint32 = (bytes: Uint8Array, offset = 0) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
const uint32Bytes = (value: number) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
};

/** A chunk becomes a zero-filled blank: its type, its data (in chunks) and its checksum, each patched only when it differs. */
async function blankPngChunk(source: ByteSource, at: number, type: string, length: number, patches: PatchList) {
  const before = patches.patches.length;
  await zeroUnless(source, at + 8, at + 8 + length, patches);
  const dataZeroed = patches.patches.length > before;
  const blankType = type === PNG_EARLIER_BLANK_TYPE && !dataZeroed ? type : PNG_BLANK_TYPE;
  if (type !== blankType) patches.add(at + 4, new TextEncoder().encode(blankType));
  const crc = blankChunkCrc(blankType, length);
  if (uint32(await readInside(source, at + 8 + length, 4, "PNG chunk")) !== crc) patches.add(at + 8 + length, uint32Bytes(crc));
}

export async function planPng(file: ByteSource, patches: PatchList): Promise<void> {
  const source = readAhead(file);
  const signature = await readInside(source, 0, 8, "PNG signature");
  if (PNG_SIGNATURE.some((b, i) => signature[i] !== b)) throw new SlideFormatError("not a PNG signature");
  let at = 8;
  for (let chunks = 0; ;) {
    if (++chunks > MAX_PNG_CHUNKS) throw new SlideFormatError("too many PNG chunks");
    const header = await readInside(source, at, 8, "PNG chunk");
    const length = uint32(header);
    const type = latin1(header.subarray(4, 8));
    if (length > PNG_MAX_LENGTH || at + 12 + length > file.size) throw new SlideFormatError("PNG chunk outside the file");
    if (!/^[A-Za-z]{4}$/.test(type)) throw new SlideFormatError("not a PNG chunk type");
    if (type === "IEND") {
      if (length !== 0) throw new SlideFormatError("PNG end chunk with data");
      await zeroUnless(file, at + 12, file.size, patches);
      return;
    }
    const critical = type.charCodeAt(0) < 0x60;
    if (critical && !PNG_CRITICAL.has(type)) throw new SlideFormatError(`PNG critical chunk ${type} that readers refuse`);
    if (!critical && !PNG_KEPT.has(type)) await blankPngChunk(source, at, type, length, patches);
    at += 12 + length;
  }
}
