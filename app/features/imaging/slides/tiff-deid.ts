/**
 * TIFF slides (TIFF, SVS, NDPI, BigTIFF) cleaned in place: label and macro images zeroed, text emptied or reduced,
 * metadata blocks and unreferenced bytes zeroed. See slide-deid.ts for what and why.
 */
import { allZero, latin1, SlideFormatError, zeroUnless, type ByteSource, type PatchList } from "./slide-bytes";

const MAX_DIRECTORIES = 4096;
const MAX_ENTRIES = 4096;
const MAX_TEXT_BYTES = 16 * 1024 * 1024;
const MAX_ASSOCIATED_BYTES = 512 * 1024 * 1024;

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

/** The cleaned text, NUL-padded to the original's length; null when it is already clean. */
function cleanedText(original: Uint8Array, wanted: string): Uint8Array | null {
  const encoded = new TextEncoder().encode(wanted);
  const out = new Uint8Array(original.length);
  if (encoded.length < original.length) out.set(encoded);
  return out.every((b, i) => b === original[i]) ? null : out;
}

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

export async function planTiff(source: ByteSource, patches: PatchList): Promise<void> {
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

  const blank = async (entry: Entry, wanted = "") => {
    const original = await valueBytes(entry);
    const cleaned = entry.type === ASCII ? cleanedText(original, wanted) : allZero(original) ? null : new Uint8Array(original.length);
    if (cleaned) patches.add(entry.valueAt, cleaned);
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
      await zeroUnless(source, offset, offset + length, patches);
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
}
