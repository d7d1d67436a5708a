/**
 * TIFF slides (TIFF, BigTIFF, Aperio SVS, Hamamatsu NDPI, Leica SCN, Philips TIFF, Ventana BIF, Trestle, OME-TIFF)
 * cleaned in place. Only the slide's own pyramid keeps its pixels: every other image (label, macro, overview, thumbnail
 * where the vendor's is not known to be of the tissue alone, anything unrecognised) is zeroed. Text keeps only what
 * readers need (slide-text.ts); private tags, EXIF and GPS data, IPTC and Photoshop blocks, and bytes no directory
 * refers to are zeroed.
 */
import { allZero, latin1, readAhead, SlideFormatError, SlideRefusal, zeroUnless, type ByteSource, type PatchList } from "./slide-bytes";
import { blankEmbeddedJpegMetadata } from "./raster-deid";
import { cleanAperioDescription, cleanScannerText, cleanTrestleDescription, cleanVentanaDescription, reduceXml } from "./slide-text";

const MAX_DIRECTORIES = 4096;
const MAX_ENTRIES = 4096;
const MAX_TEXT_BYTES = 16 * 1024 * 1024;
const MAX_DESCRIPTION_BYTES = 64 * 1024 * 1024;
/** All tag values read, together: a file cannot make the plan read more than this, however many entries share a value. */
const MAX_VALUE_BYTES_READ = 256 * 1024 * 1024;
/** One value of a structure tag other than the arrays below (a colour map or JPEG tables are kilobytes). */
const MAX_STRUCTURE_VALUE_BYTES = 1024 * 1024;
const MAX_ASSOCIATED_BYTES = 512 * 1024 * 1024;
/** Strips and tiles across the file: a 250,000-pixel-wide slide in 256-pixel tiles has about 1.3 million over all levels. */
const MAX_IMAGE_PIECES = 4 * 1024 * 1024;

const NEW_SUBFILE_TYPE = 254;
const COMPRESSION = 259;
const JPEG_COMPRESSIONS = new Set([6, 7]); // old-style and new-style JPEG
const JPEG_TABLES = 347;
const IMAGE_DESCRIPTION = 270;
const SCANNER_TAGS = new Set([271, 272, 305]); // Make, Model, Software
const SOFTWARE = 305;
// DocumentName, ImageDescription, PageName, DateTime, Artist, HostComputer, Copyright
const TEXT_TAGS = new Set([269, 270, 285, 306, 315, 316, 33432]);
const SUB_IFDS = 330;
const XMP = 700;
const EXIF_IFD = 34665;
const GPS_IFD = 34853;
const STRIP_OFFSETS = [273, 324]; // StripOffsets, TileOffsets
const STRIP_COUNTS = [279, 325]; // StripByteCounts, TileByteCounts
const TILE_WIDTH = 322;
const ICC_PROFILE = 34675;
const NDPI_FORMAT_FLAG = 65420;
/** Hamamatsu NDPI: the source lens of a directory, -1 for the macro image and -2 for the slide map. */
const NDPI_SOURCE_LENS = 65421;
/** Structure values that are arrays as long as the image needs: strip and tile offsets and counts, SubIFDs, NDPI's restart offsets. */
const ARRAY_TAGS = new Set([273, 279, 324, 325, 330, 65426, 65432]);
/**
 * Private tags readers need, all numbers: the EXIF and GPS pointers (whose directories are emptied), the ICC profile, and
 * Hamamatsu's format flag, source lens, offsets, focal plane and JPEG restart positions. Every other private value is
 * zeroed, whatever its type.
 */
const KEPT_PRIVATE_TAGS = [EXIF_IFD, GPS_IFD, ICC_PROFILE, NDPI_FORMAT_FLAG, NDPI_SOURCE_LENS, 65422, 65423, 65424, 65426, 65432];
/**
 * The tags whose values are kept: how the image is stored (TIFF 6.0's baseline and extensions, SGI's image and tile
 * depth) and the private tags above. Any other tag's value is zeroed, whatever its type.
 */
const STRUCTURE_TAGS = new Set([
  ...[254, 255, 256, 257, 258, 259, 262, 263, 264, 265, 266, 273, 274, 277, 278, 279, 280, 281, 282, 283, 284, 286, 287],
  ...[290, 291, 292, 293, 296, 297, 301, 317, 318, 319, 320, 321, 322, 323, 324, 325, 330, 332, 338, 339, 340, 341, 347],
  ...[512, 513, 514, 515, 517, 518, 519, 520, 521, 529, 530, 531, 532, 32997, 32998],
  ...KEPT_PRIVATE_TAGS,
]);
const ASCII = 2;
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };
const FOUR_GB = 2 ** 32;

type Vendor = "aperio" | "hamamatsu" | "ventana" | "philips" | "leica" | "ome" | "trestle" | "generic";
type Entry = { tag: number; type: number; count: number; valueAt: number; inline: boolean };
type Directory = {
  at: number;
  /** Position in the main chain; SubIFDs take their main-chain ancestor's as `parent`. */
  index: number | null;
  parent: number | null;
  entries: Entry[];
  description: string;
};

/** The cleaned text, NUL-padded to the original's length; null when it is already clean. */
function cleanedText(original: Uint8Array, wanted: string, pad = 0): Uint8Array | null {
  const encoded = new TextEncoder().encode(wanted);
  const out = new Uint8Array(original.length).fill(pad);
  if (encoded.length < original.length) out.set(encoded);
  else if (pad !== 0 && encoded.length === original.length) out.set(encoded);
  return out.every((b, i) => b === original[i]) ? null : out;
}

/** Start and end offsets of every byte range a directory refers to, in growing typed arrays. */
class Ranges {
  starts = new Float64Array(1024);
  ends = new Float64Array(1024);
  length = 0;
  add(start: number, end: number) {
    if (end <= start) return;
    if (this.length === this.starts.length) {
      const grow = (old: Float64Array) => {
        const next = new Float64Array(old.length * 2);
        next.set(old);
        return next;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    this.starts[this.length] = start;
    this.ends[this.length++] = end;
  }
  /** The gaps between the ranges' union within [0, size): starts and ends sorted apart, then swept. */
  gaps(size: number): [number, number][] {
    const starts = this.starts.subarray(0, this.length).sort();
    const ends = this.ends.subarray(0, this.length).sort();
    const gaps: [number, number][] = [];
    let open = 0;
    let covered = 0;
    for (let s = 0, e = 0; s < starts.length || e < ends.length;) {
      if (s < starts.length && starts[s] <= ends[e]) {
        if (open === 0 && starts[s] > covered) gaps.push([covered, Math.min(starts[s], size)]);
        open++;
        s++;
      } else {
        open--;
        covered = Math.max(covered, ends[e]);
        e++;
      }
    }
    if (covered < size) gaps.push([covered, size]);
    return gaps.filter(([start, end]) => end > start);
  }
}

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
  const byteLength = (entry: Entry) => (TYPE_SIZES[entry.type] ?? 1) * entry.count;

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
      const inline = (TYPE_SIZES[type] ?? 1) * entryCount <= offsetSize;
      const valueField = start + base + (big ? 12 : 8);
      entries.push({ tag: u16(d, base), type, count: entryCount, inline, valueAt: inline ? valueField : readOffset(d, base + (big ? 12 : 8)) });
    }
    return { entries, next: readOffset(d, count * entrySize) };
  };

  let valueBytesRead = 0;
  const valueBytes = async (entry: Entry) => {
    const length = byteLength(entry);
    if (length > MAX_TEXT_BYTES || !inside(entry.valueAt, length)) throw new SlideFormatError("value outside the file");
    valueBytesRead += length;
    if (valueBytesRead > MAX_VALUE_BYTES_READ) throw new SlideFormatError("tag values too large altogether");
    return source.read(entry.valueAt, length);
  };
  let pieces = 0;
  const numbers = async (entry: Entry | undefined): Promise<number[]> => {
    if (!entry) return [];
    const bytes = await valueBytes(entry);
    const d = view(bytes);
    const size = TYPE_SIZES[entry.type] ?? 4;
    return Array.from({ length: entry.count }, (_, i) => (size === 2 ? u16(d, i * 2) : size === 8 ? u64(d, i * 8) : u32(d, i * 4)));
  };
  const text = async (entry: Entry | undefined) => (entry ? latin1(await valueBytes(entry)) : "");
  const find = (directory: Directory, tag: number) => directory.entries.find((e) => e.tag === tag);

  const referenced = new Ranges();
  referenced.add(0, big ? 16 : 8);
  // A value that runs past the file, or a structure value larger than any image needs, would mark bytes as referenced
  // that the plan never reads (and so never zeroes): such a file cannot be shown clean.
  const refer = (entries: Entry[], at: number) => {
    referenced.add(at, at + (big ? 8 : 2) + entries.length * entrySize + offsetSize);
    for (const entry of entries) {
      const length = byteLength(entry);
      if (length > MAX_TEXT_BYTES || (STRUCTURE_TAGS.has(entry.tag) && !ARRAY_TAGS.has(entry.tag) && length > MAX_STRUCTURE_VALUE_BYTES)) {
        throw new SlideFormatError(`tag ${entry.tag} too large`);
      }
      if (entry.inline) continue;
      if (!inside(entry.valueAt, length)) throw new SlideFormatError(`tag ${entry.tag} outside the file`);
      referenced.add(entry.valueAt, entry.valueAt + length);
    }
  };

  // Every directory: the main chain, and the SubIFDs (pyramid levels some writers keep there).
  const directories: Directory[] = [];
  const queue: { at: number; index: number | null; parent: number | null }[] = [{ at: readOffset(view(head), big ? 8 : 4), index: 0, parent: null }];
  const seen = new Set<number>();
  let descriptionBytes = 0;
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (next.at === 0) continue;
    if (seen.has(next.at) || seen.size >= MAX_DIRECTORIES) throw new SlideFormatError("directory chain loops or is too long");
    seen.add(next.at);
    const { entries, next: following } = await readEntries(next.at);
    refer(entries, next.at);
    const descriptionEntry = entries.find((e) => e.tag === IMAGE_DESCRIPTION);
    descriptionBytes += descriptionEntry ? byteLength(descriptionEntry) : 0;
    if (descriptionBytes > MAX_DESCRIPTION_BYTES) throw new SlideFormatError("descriptions too large");
    const directory: Directory = { ...next, entries, description: await text(descriptionEntry) };
    directories.push(directory);
    if (next.index !== null) queue.push({ at: following, index: next.index + 1, parent: null });
    const family = next.index ?? next.parent;
    for (const at of await numbers(entries.find((e) => e.tag === SUB_IFDS))) queue.push({ at, index: null, parent: family });
  }
  const first = directories.find((d) => d.index === 0);
  if (!first) throw new SlideFormatError("no image");

  const vendor = await vendorOf(first, directories, (d, tag) => text(find(d, tag)));
  if (vendor === "hamamatsu" && source.size >= FOUR_GB) {
    // NDPI keeps 32-bit offsets and hides the high bits elsewhere: a file this large cannot be walked to be shown clean.
    throw new SlideRefusal("imaging:slides.errors.ndpiTooLarge");
  }
  const pyramid = await pyramidOf(vendor, directories, {
    lens: async (d) => {
      const lens = find(d, NDPI_SOURCE_LENS);
      return lens?.type === 11 ? view(await valueBytes(lens)).getFloat32(0, little) : null;
    },
    number: async (d, tag) => (await numbers(find(d, tag)))[0] ?? 0,
  });

  const blank = async (entry: Entry, wanted = "", pad = 0) => {
    const original = await valueBytes(entry);
    const cleaned = entry.type === ASCII || pad !== 0 ? cleanedText(original, wanted, pad) : allZero(original) ? null : new Uint8Array(original.length);
    if (cleaned) patches.add(entry.valueAt, cleaned);
  };
  const cleanDirectory = async (directory: Directory) => {
    for (const entry of directory.entries) {
      if (entry.tag === IMAGE_DESCRIPTION && entry.type === ASCII) await blank(entry, describe(vendor, directory));
      else if (entry.tag === XMP && vendor === "ventana") await blank(entry, vendorXml(await text(entry)), 0x20);
      else if (entry.tag === XMP) await blank(entry);
      else if (entry.tag === ICC_PROFILE) {
        const original = await valueBytes(entry);
        const cleaned = iccWithoutText(original);
        if (cleaned.some((b, i) => b !== original[i])) patches.add(entry.valueAt, cleaned);
      } else if (entry.tag === JPEG_TABLES && !entry.inline) {
        await blankEmbeddedJpegMetadata(source, entry.valueAt, entry.valueAt + byteLength(entry), patches);
      } else if (SCANNER_TAGS.has(entry.tag)) await blank(entry, entry.type === ASCII ? cleanScannerText(await text(entry)) : "");
      else if (TEXT_TAGS.has(entry.tag) || entry.type === ASCII || !STRUCTURE_TAGS.has(entry.tag)) await blank(entry);
    }
    // EXIF and GPS directories hold nothing a reader needs (and maker notes, dates, serials and places): all emptied.
    for (const pointer of directory.entries.filter((e) => e.tag === EXIF_IFD || e.tag === GPS_IFD)) {
      const [at] = await numbers(pointer);
      if (!at || seen.has(at)) continue;
      seen.add(at);
      const { entries } = await readEntries(at);
      refer(entries, at);
      for (const entry of entries) await blank(entry);
    }
  };

  let associatedBytes = 0;
  // Kept JPEG tiles are walked for comments and application segments (read ahead: tiles lie one after another).
  const tiles = readAhead(source, 4 * 1024 * 1024);
  for (const directory of directories) {
    await cleanDirectory(directory);
    const offsets = await numbers(directory.entries.find((e) => STRIP_OFFSETS.includes(e.tag)));
    const counts = await numbers(directory.entries.find((e) => STRIP_COUNTS.includes(e.tag)));
    pieces += offsets.length;
    if (pieces > MAX_IMAGE_PIECES) throw new SlideFormatError("too many strips and tiles");
    const kept = pyramid.has(directory);
    const jpeg = kept && JPEG_COMPRESSIONS.has((await numbers(find(directory, COMPRESSION)))[0] ?? 1);
    for (let i = 0; i < offsets.length; i++) {
      const [offset, length] = [offsets[i], counts[i] ?? 0];
      if (!inside(offset, length)) throw new SlideFormatError("image data outside the file");
      referenced.add(offset, offset + length);
      if (jpeg) await blankEmbeddedJpegMetadata(tiles, offset, offset + length, patches);
      if (kept) continue;
      associatedBytes += length;
      if (associatedBytes > MAX_ASSOCIATED_BYTES) throw new SlideFormatError("label and macro images too large");
      await zeroUnless(source, offset, offset + length, patches);
    }
  }

  // Bytes no directory refers to (a description an editor replaced, a directory it rewrote elsewhere) are still in the
  // file, and can still be read by anyone who looks: they are zeroed too.
  for (const [start, end] of referenced.gaps(source.size)) await zeroUnless(source, start, end, patches);
}

async function vendorOf(first: Directory, directories: Directory[], textOf: (d: Directory, tag: number) => Promise<string>): Promise<Vendor> {
  const software = await textOf(first, SOFTWARE);
  if (directories.some((d) => d.entries.some((e) => e.tag === NDPI_FORMAT_FLAG))) return "hamamatsu";
  if (first.description.startsWith("Aperio")) return "aperio";
  if ((await textOf(first, XMP)).includes("<iScan")) return "ventana";
  if (software.startsWith("Philips") && first.description.includes("DPUfsImport")) return "philips";
  if (first.description.includes("leica-microsystems.com/scn")) return "leica";
  if (first.description.includes("openmicroscopy.org/Schemas/OME")) return "ome";
  if (software.startsWith("MedScan")) return "trestle";
  return "generic";
}

/** What the directory's description becomes: the vendor's words a reader needs, nothing else. */
function describe(vendor: Vendor, directory: Directory): string {
  const text = directory.description;
  if (vendor === "aperio") return text.startsWith("Aperio") ? cleanAperioDescription(text, text.replace(/\0+$/, "").length) : "";
  if (vendor === "ventana") return cleanVentanaDescription(text);
  if (vendor === "trestle") return cleanTrestleDescription(text);
  if (directory.index === 0 && (vendor === "philips" || vendor === "leica" || vendor === "ome")) return vendorXml(text);
  if (vendor === "philips") return /^Label\b/.exec(text)?.[0] ?? /^Macro\b/.exec(text)?.[0] ?? "";
  return "";
}

/**
 * A pyramid's levels are the slide at smaller sizes: a page of another shape kept by a vendor's rule (a label saved as a
 * tiled page, a photograph called a level) is no level, and loses its pixels too. Levels may be padded to whole tiles.
 */
async function keepOnlyItsShape(directories: Directory[], main: Set<number>, number: (d: Directory, tag: number) => Promise<number>) {
  const kept = directories.filter((d) => d.index !== null && main.has(d.index));
  const shapes = await Promise.all(
    kept.map(async (d) => ({
      d,
      width: await number(d, 256),
      height: await number(d, 257),
      tileWidth: await number(d, TILE_WIDTH),
      tileHeight: await number(d, 323),
    })),
  );
  // Level 0: the first directory, or Ventana's "level=0", or else the largest.
  const base =
    shapes.find((s) => s.d.index === 0) ??
    shapes.find((s) => s.d.description.startsWith("level=0 ")) ??
    shapes.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a), shapes[0]);
  if (!base || !(base.width > 0 && base.height > 0)) return;
  for (const shape of shapes) {
    const scale = shape.width / base.width;
    const slack = (tile: number, length: number) => Math.max(tile, length * 0.02, 2);
    const fits =
      scale > 0 &&
      scale <= 1 &&
      Math.abs(shape.height - base.height * scale) <= slack(shape.tileHeight, shape.height) + slack(shape.tileWidth, shape.width) * (base.height / base.width);
    if (!fits) main.delete(shape.d.index!);
  }
}

/** A vendor's XML reduced; one this cannot read is refused rather than emptied, which would turn the slide unreadable. */
function vendorXml(text: string): string {
  const reduced = reduceXml(text);
  if (reduced === null) throw new SlideFormatError("the vendor's XML cannot be read");
  return reduced;
}

const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/**
 * The directories of the slide itself (its pyramid), which keep their pixels. Each vendor's rule names them; anything
 * else (labels, macro and overview images, maps, unknown pages) is zeroed. SubIFDs follow their main directory.
 */
async function pyramidOf(
  vendor: Vendor,
  directories: Directory[],
  read: { lens: (d: Directory) => Promise<number | null>; number: (d: Directory, tag: number) => Promise<number> },
): Promise<Set<Directory>> {
  const tiled = (d: Directory) => d.entries.some((e) => e.tag === TILE_WIDTH);
  const main = new Set<number>();
  for (const d of directories.filter((d) => d.index !== null)) {
    const index = d.index!;
    const description = d.description;
    const keep = await (async () => {
      if (vendor === "aperio") return !/\n\s*(label|macro)\b/i.test(description.split("|")[0]) && (tiled(d) || index === 1);
      if (vendor === "hamamatsu") return ((await read.lens(d)) ?? 0) > 0;
      if (vendor === "ventana") return /^level=\d+ /.test(description);
      if (vendor === "philips") return tiled(d) && !/^(Label|Macro)/.test(description);
      if (vendor === "trestle") return tiled(d);
      if (vendor === "leica" || vendor === "ome") return false; // from the XML, below
      // OpenSlide's generic TIFF: the first image, and tiled images marked as reduced-resolution versions of it.
      return index === 0 || (tiled(d) && ((await read.number(d, NEW_SUBFILE_TYPE)) & 1) === 1);
    })();
    if (keep) main.add(index);
  }
  if (vendor !== "leica" && vendor !== "ome") await keepOnlyItsShape(directories, main, read.number);
  const xml = vendor === "leica" || vendor === "ome" ? vendorXml(directories.find((d) => d.index === 0)?.description ?? "") : "";
  if (vendor === "leica") {
    // The macro image covers the whole collection; the main images are regions of it.
    const collection = /<collection\b[^>]*>/.exec(xml)?.[0] ?? "";
    const size = `${attribute(collection, "sizeX")}x${attribute(collection, "sizeY")}`;
    for (const image of xml.split("<image").slice(1)) {
      const view = /<view\b[^>]*>/.exec(image)?.[0] ?? "";
      const macro = `${attribute(view, "sizeX")}x${attribute(view, "sizeY")}` === size;
      if (macro) continue;
      for (const dimension of image.matchAll(/<dimension\b[^>]*>/g)) main.add(Number(attribute(dimension[0], "ifd")));
    }
  }
  if (vendor === "ome") {
    // The first image is the slide; others (label, macro, thumbnail) are not.
    const image = xml.split("<Image").slice(1)[0]?.split("</Image>")[0] ?? "";
    const planes = [...image.matchAll(/<TiffData\b[^>]*>/g)].map((m) => [Number(attribute(m[0], "IFD") ?? 0), Number(attribute(m[0], "PlaneCount") ?? 1)]);
    for (const [start, count] of planes.length > 0 ? planes : [[0, 1]]) for (let i = 0; i < Math.min(count, MAX_DIRECTORIES); i++) main.add(start + i);
  }
  return new Set(directories.filter((d) => main.has(d.index ?? d.parent ?? -1)));
}

/**
 * The ICC profile (kept: pathologists judge colour) with its text emptied in place: descriptions, copyright and device
 * names are free text a tool can fill with anything. The lengths and record tables stay, so colour management still reads
 * it; the profile ID, a checksum of the old content, and the reserved header bytes are cleared as the standard allows, and
 * so is every byte no tag covers. A profile that cannot be walked is zeroed whole.
 */
export function iccWithoutText(profile: Uint8Array): Uint8Array {
  const out = new Uint8Array(profile);
  const d = new DataView(out.buffer);
  const covered = new Uint8Array(out.length);
  const zero = (start: number, length: number) => {
    if (start < 0 || length < 0 || start + length > out.length) throw new RangeError("outside the profile");
    out.fill(0, start, start + length);
  };
  try {
    if (out.length < 132 || latin1(out.subarray(36, 40)) !== "acsp" || d.getUint32(0) !== out.length) throw new RangeError("not a profile");
    zero(84, 44); // profile ID and reserved bytes
    const count = d.getUint32(128);
    if (132 + count * 12 > out.length) throw new RangeError("tag table outside the profile");
    covered.fill(1, 0, 132 + count * 12);
    for (let i = 0; i < count; i++) {
      const at = d.getUint32(132 + i * 12 + 4);
      const size = d.getUint32(132 + i * 12 + 8);
      if (size < 8 || at + size > out.length) throw new RangeError("tag outside the profile");
      covered.fill(1, at, at + size);
      const type = latin1(out.subarray(at, at + 4));
      if (type === "text") zero(at + 8, size - 8);
      else if (type === "desc") {
        const ascii = d.getUint32(at + 8);
        zero(at + 12, ascii);
        const unicode = d.getUint32(at + 16 + ascii);
        zero(at + 20 + ascii, unicode * 2);
        zero(at + 20 + ascii + unicode * 2 + 3, Math.max(0, Math.min(67, size - (20 + ascii + unicode * 2 + 3))));
      } else if (type === "mluc") {
        const records = d.getUint32(at + 8);
        if (16 + records * 12 > size) throw new RangeError("records outside the tag");
        for (let r = 0; r < records; r++) {
          const base = at + 16 + r * 12;
          zero(at + d.getUint32(base + 8), d.getUint32(base + 4));
        }
      }
    }
    covered.forEach((c, i) => c === 0 && (out[i] = 0));
    return out;
  } catch (error) {
    if (error instanceof RangeError) return new Uint8Array(profile.length);
    throw error;
  }
}
