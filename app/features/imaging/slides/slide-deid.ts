/**
 * Pathology slide files (TIFF and SVS, BigTIFF, JPEG, PNG) cleaned of what can name the patient, in place: every change
 * overwrites bytes without moving any, so the browser sends the original file's untouched slices around a few patches
 * (a gigabyte slide never sits in memory) and the result is still the same format for OpenSlide and libvips. The server
 * runs the same plan on what arrives and refuses a file for which it still finds anything to change.
 *
 * What is changed, and why:
 * - TIFF label and macro images (the photographed slide label carries the name and the barcode; Aperio names them in
 *   the description, Hamamatsu by a negative source lens): their image data is overwritten with zeros and an Aperio
 *   description reduced to "label" or "macro", so they stay where readers expect them.
 * - ImageDescription: Aperio's keeps only the objective power and pixel size (it also holds the scan's file name, date,
 *   time, user and scanner); any other vendor's (Philips keeps its label image and barcode in it as XML) is emptied.
 * - Every other text value (document and page name, date and time, artist, host computer, copyright, vendor tags), and
 *   XMP, IPTC and Photoshop blocks and private byte values (Hamamatsu's slide reference), is emptied. Make, Model and
 *   Software (the scanner) stay.
 * - Bytes that no directory refers to (left behind when a tool rewrote a tag or a directory) are zeroed: they are
 *   invisible to readers but not to anyone who opens the file.
 * - JPEG: application segments other than JFIF (APP0) and Adobe (APP14), and comments, become zero-filled comments.
 * - PNG: text, time and EXIF chunks become zero-filled private chunks with their checksum recomputed.
 */

export type ByteSource = { size: number; read(offset: number, length: number): Promise<Uint8Array> };
export type Patch = { offset: number; bytes: Uint8Array };
export type SlideFormat = "tiff" | "jpeg" | "png" | "dicom" | "other";
export type SlidePlan = { format: SlideFormat; patches: Patch[] };

export class SlideFormatError extends Error {}

const MAX_DIRECTORIES = 4096;
const MAX_ENTRIES = 4096;
const MAX_TEXT_BYTES = 16 * 1024 * 1024;
const MAX_ASSOCIATED_BYTES = 512 * 1024 * 1024;
const MAX_JPEG_SEGMENTS = 10_000;

const KEPT_TEXT_TAGS = new Set([271, 272, 305]); // Make, Model, Software
// DocumentName, ImageDescription, PageName, DateTime, Artist, HostComputer, Copyright
const TEXT_TAGS = new Set([269, 270, 285, 306, 315, 316, 33432]);
const IMAGE_DESCRIPTION = 270;
const BLOCK_TAGS = new Set([700, 33723, 34377]); // XMP, IPTC, Photoshop
const EXIF_IFD = 34665;
const GPS_IFD = 34853;
const SUB_IFDS = 330;
const STRIP_OFFSETS = [273, 324]; // StripOffsets, TileOffsets
const STRIP_COUNTS = [279, 325]; // StripByteCounts, TileByteCounts
/** Hamamatsu NDPI: the source lens of a directory, -1 for the macro image and -2 for the slide map. */
const NDPI_SOURCE_LENS = 65421;
const ASCII = 2;
const BYTE_TYPES = new Set([1, 6, 7]); // BYTE, SBYTE, UNDEFINED
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };
const APERIO_KEPT_KEYS = new Set(["AppMag", "MPP"]);

export function slideFormat(head: Uint8Array): SlideFormat {
  if ((head[0] === 0x49 && head[1] === 0x49) || (head[0] === 0x4d && head[1] === 0x4d)) return "tiff";
  if (head[0] === 0xff && head[1] === 0xd8) return "jpeg";
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return "png";
  if (head.length >= 132 && head[128] === 0x44 && head[129] === 0x49 && head[130] === 0x43 && head[131] === 0x4d) return "dicom";
  return "other";
}

/** The changes that clean the file; empty when there is nothing to clean (or the format is handled elsewhere). */
export async function planSlideCleaning(source: ByteSource): Promise<SlidePlan> {
  const format = slideFormat(await source.read(0, Math.min(source.size, 132)));
  if (format === "tiff") return { format, patches: await planTiff(source) };
  if (format === "jpeg") return { format, patches: await planJpeg(source) };
  if (format === "png") return { format, patches: await planPng(source) };
  return { format, patches: [] };
}

const allZero = (bytes: Uint8Array) => bytes.every((b) => b === 0);

/** The cleaned text, NUL-padded to the original's length; null when it is already clean. */
function cleanedText(original: Uint8Array, wanted: string): Uint8Array | null {
  const encoded = new TextEncoder().encode(wanted);
  const out = new Uint8Array(original.length);
  if (encoded.length < original.length) out.set(encoded);
  return out.every((b, i) => b === original[i]) ? null : out;
}

const latin1 = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join("");

/** Aperio's description reduced to its library line, the associated image's kind, and the kept numeric keys. */
export function cleanAperioDescription(text: string): string {
  const value = text.replace(/\0+$/, "");
  const [head, ...pairs] = value.split("|");
  const kind = /\n\s*(label|macro)\b/i.exec(head)?.[1]?.toLowerCase();
  const kept = pairs
    .map((pair) => /^\s*([A-Za-z]+)\s*=\s*([0-9.]+)\s*$/.exec(pair))
    .filter((m): m is RegExpExecArray => m !== null && APERIO_KEPT_KEYS.has(m[1]))
    .map((m) => `|${m[1]} = ${m[2]}`);
  return `Aperio Image Library\n${kind ?? ""}${kept.join("")}`;
}

type Entry = { tag: number; type: number; count: number; valueAt: number; inline: boolean };

async function planTiff(source: ByteSource): Promise<Patch[]> {
  const head = await source.read(0, 16);
  const little = head[0] === 0x49;
  const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (d: DataView, at: number) => d.getUint16(at, little);
  const u32 = (d: DataView, at: number) => d.getUint32(at, little);
  const u64 = (d: DataView, at: number) => Number(d.getBigUint64(at, little));
  const magic = u16(view(head), 2);
  if (magic !== 42 && magic !== 43) throw new SlideFormatError("not a TIFF");
  const big = magic === 43;
  const offsetSize = big ? 8 : 4;
  const entrySize = big ? 20 : 12;
  const readOffset = (d: DataView, at: number) => (big ? u64(d, at) : u32(d, at));
  const inside = (offset: number, length: number) => offset >= 0 && length >= 0 && offset + length <= source.size;

  const readEntries = async (at: number): Promise<{ entries: Entry[]; next: number }> => {
    if (!inside(at, big ? 8 : 2)) throw new SlideFormatError("directory outside the file");
    const countBytes = view(await source.read(at, big ? 8 : 2));
    const count = big ? u64(countBytes, 0) : u16(countBytes, 0);
    if (count > MAX_ENTRIES) throw new SlideFormatError("too many entries");
    const start = at + (big ? 8 : 2);
    if (!inside(start, count * entrySize + offsetSize)) throw new SlideFormatError("directory outside the file");
    const d = view(await source.read(start, count * entrySize + offsetSize));
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const base = i * entrySize;
      const type = u16(d, base + 2);
      const entryCount = big ? u64(d, base + 4) : u32(d, base + 4);
      const bytes = (TYPE_SIZES[type] ?? 1) * entryCount;
      const inline = bytes <= offsetSize;
      const valueField = start + base + (big ? 12 : 8);
      entries.push({ tag: u16(d, base), type, count: entryCount, inline, valueAt: inline ? valueField : readOffset(d, base + (big ? 12 : 8)) });
    }
    return { entries, next: readOffset(d, count * entrySize) };
  };

  const valueBytes = async (entry: Entry) => {
    const length = (TYPE_SIZES[entry.type] ?? 1) * entry.count;
    if (length > MAX_TEXT_BYTES || !inside(entry.valueAt, length)) throw new SlideFormatError("value outside the file");
    return source.read(entry.valueAt, length);
  };
  const numbers = async (entry: Entry | undefined): Promise<number[]> => {
    if (!entry) return [];
    const bytes = await valueBytes(entry);
    const d = view(bytes);
    const size = TYPE_SIZES[entry.type] ?? 4;
    return Array.from({ length: entry.count }, (_, i) => (size === 2 ? u16(d, i * 2) : size === 8 ? u64(d, i * 8) : u32(d, i * 4)));
  };

  const patches: Patch[] = [];
  const blank = async (entry: Entry, wanted = "") => {
    const original = await valueBytes(entry);
    const cleaned = entry.type === ASCII ? cleanedText(original, wanted) : allZero(original) ? null : new Uint8Array(original.length);
    if (cleaned) patches.push({ offset: entry.valueAt, bytes: cleaned });
  };

  /** Text and byte values of one directory (and of its EXIF directory), with `description` for the ImageDescription. */
  const cleanValues = async (entries: Entry[], description: (text: string) => string) => {
    for (const entry of entries) {
      if (entry.type === ASCII && entry.tag === IMAGE_DESCRIPTION) await blank(entry, description(latin1(await valueBytes(entry))));
      else if (TEXT_TAGS.has(entry.tag) && entry.type !== ASCII)
        await blank(entry); // text stored under a byte type: readers still show it
      else if (entry.type === ASCII && !KEPT_TEXT_TAGS.has(entry.tag)) await blank(entry);
      else if (BYTE_TYPES.has(entry.type) && (BLOCK_TAGS.has(entry.tag) || entry.tag >= 32768) && entry.tag !== 34675) await blank(entry);
    }
  };

  /** Every byte range a directory refers to: nothing outside them is image or tag data. */
  const referenced: [number, number][] = [[0, big ? 16 : 8]];
  const refer = (entries: Entry[], at: number) => {
    referenced.push([at, at + (big ? 8 : 2) + entries.length * entrySize + offsetSize]);
    for (const entry of entries) if (!entry.inline) referenced.push([entry.valueAt, entry.valueAt + (TYPE_SIZES[entry.type] ?? 1) * entry.count]);
  };
  const imageData = async (entries: Entry[]) => {
    const offsets = await numbers(entries.find((e) => STRIP_OFFSETS.includes(e.tag)));
    const counts = await numbers(entries.find((e) => STRIP_COUNTS.includes(e.tag)));
    return offsets.map((offset, i): [number, number] => [offset, counts[i] ?? 0]);
  };

  const queue = [readOffset(view(head), big ? 8 : 4)];
  const seen = new Set<number>();
  let associatedBytes = 0;
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    if (at === 0) continue;
    if (seen.has(at) || seen.size >= MAX_DIRECTORIES) throw new SlideFormatError("directory chain loops or is too long");
    seen.add(at);
    const { entries, next } = await readEntries(at);
    refer(entries, at);
    queue.push(next, ...(await numbers(entries.find((e) => e.tag === SUB_IFDS))));
    const descriptionEntry = entries.find((e) => e.tag === IMAGE_DESCRIPTION);
    const description = descriptionEntry ? latin1(await valueBytes(descriptionEntry)) : "";
    const aperio = description.startsWith("Aperio");
    const lens = entries.find((e) => e.tag === NDPI_SOURCE_LENS && e.type === 11);
    const lensPower = lens ? view(await valueBytes(lens)).getFloat32(0, little) : 0;
    const associated = (aperio && /\n\s*(label|macro)\b/i.test(description.split("|")[0])) || lensPower < 0;
    await cleanValues(entries, (text) => (aperio ? cleanAperioDescription(text) : ""));
    for (const pointer of entries.filter((e) => e.tag === EXIF_IFD || e.tag === GPS_IFD)) {
      const [subAt] = await numbers(pointer);
      if (!subAt || seen.has(subAt)) continue;
      seen.add(subAt);
      const sub = await readEntries(subAt);
      refer(sub.entries, subAt);
      await cleanValues(sub.entries, () => "");
    }
    for (const [offset, length] of await imageData(entries)) {
      if (!inside(offset, length)) throw new SlideFormatError("image data outside the file");
      referenced.push([offset, offset + length]);
      if (!associated) continue;
      associatedBytes += length;
      if (associatedBytes > MAX_ASSOCIATED_BYTES) throw new SlideFormatError("label and macro images too large");
      if (!allZero(await source.read(offset, length))) patches.push({ offset, bytes: new Uint8Array(length) });
    }
  }

  // Bytes no directory refers to (a description an editor replaced, a directory it rewrote elsewhere) are still in the
  // file, and can still be read by anyone who looks: they are zeroed too.
  let end = 0;
  for (const [start, stop] of referenced.sort((a, b) => a[0] - b[0])) {
    if (start > end) await zeroUnless(source, end, Math.min(start, source.size), patches);
    end = Math.max(end, stop);
  }
  if (end < source.size) await zeroUnless(source, end, source.size, patches);
  return patches;
}

const GAP_CHUNK = 1024 * 1024;

/** Patches that zero [start, end), read in chunks, for the chunks that are not zero already. */
async function zeroUnless(source: ByteSource, start: number, end: number, patches: Patch[]) {
  for (let at = start; at < end; at += GAP_CHUNK) {
    const length = Math.min(GAP_CHUNK, end - at);
    if (!allZero(await source.read(at, length))) patches.push({ offset: at, bytes: new Uint8Array(length) });
  }
}

async function planJpeg(source: ByteSource): Promise<Patch[]> {
  const patches: Patch[] = [];
  let at = 2;
  for (let segments = 0; segments < MAX_JPEG_SEGMENTS && at + 4 <= source.size; segments++) {
    const [marker, type, hi, lo] = await source.read(at, 4);
    if (marker !== 0xff) throw new SlideFormatError("not a JPEG segment");
    if (type === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (type === 0xda || type === 0xd9) break; // the image data starts (or the file ends): no metadata beyond here
    const length = (hi << 8) | lo;
    if (length < 2 || at + 2 + length > source.size) throw new SlideFormatError("JPEG segment outside the file");
    const metadata = (type >= 0xe1 && type <= 0xef && type !== 0xee) || type === 0xfe;
    if (metadata) {
      const payload = await source.read(at + 4, length - 2);
      if (type !== 0xfe || !allZero(payload)) {
        patches.push({ offset: at + 1, bytes: new Uint8Array([0xfe]) });
        if (!allZero(payload)) patches.push({ offset: at + 4, bytes: new Uint8Array(length - 2) });
      }
    }
    at += 2 + length;
  }
  return patches;
}

const PNG_METADATA = new Set(["tEXt", "zTXt", "iTXt", "tIME", "eXIf"]);
const PNG_BLANK_TYPE = "pRVt";

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

async function planPng(source: ByteSource): Promise<Patch[]> {
  const patches: Patch[] = [];
  let at = 8;
  while (at + 8 <= source.size) {
    const header = await source.read(at, 8);
    const length = new DataView(header.buffer, header.byteOffset).getUint32(0);
    const type = latin1(header.subarray(4, 8));
    if (at + 12 + length > source.size) throw new SlideFormatError("PNG chunk outside the file");
    if (type === "IEND") break;
    if (PNG_METADATA.has(type) || (type === PNG_BLANK_TYPE && !allZero(await source.read(at + 8, length)))) {
      const blanked = new Uint8Array(8 + length + 4);
      const d = new DataView(blanked.buffer);
      d.setUint32(0, length);
      blanked.set(new TextEncoder().encode(PNG_BLANK_TYPE), 4);
      d.setUint32(8 + length, crc32(blanked.subarray(4, 8 + length)));
      patches.push({ offset: at, bytes: blanked });
    }
    at += 12 + length;
  }
  return patches;
}

/** The parts of the cleaned file in order: the original's untouched ranges (as `slice` makes them) and the patches. */
export function cleanedParts<T>(size: number, patches: readonly Patch[], slice: (start: number, end: number) => T): (T | Uint8Array)[] {
  const parts: (T | Uint8Array)[] = [];
  let at = 0;
  for (const patch of [...patches].sort((a, b) => a.offset - b.offset)) {
    if (patch.offset < at) continue;
    if (patch.offset > at) parts.push(slice(at, patch.offset));
    parts.push(patch.bytes);
    at = patch.offset + patch.bytes.length;
  }
  if (at < size) parts.push(slice(at, size));
  return parts;
}
