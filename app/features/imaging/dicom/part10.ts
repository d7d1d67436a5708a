/**
 * A defensive DICOM Part 10 reader and writer (PS3.10, PS3.5). It keeps each
 * element's raw value bytes so that what is not changed is written back
 * exactly: compressed pixel data, unknown private content, odd encodings.
 * Limits on nesting, element count and lengths protect against hostile files.
 * Browser-safe (no Node modules): the upload worker de-identifies with it before anything leaves the browser.
 */
import { deflateSync as deflateRawSync, inflateSync as inflateRawSync } from "fflate";

export const TS = {
  implicitLE: "1.2.840.10008.1.2",
  explicitLE: "1.2.840.10008.1.2.1",
  deflatedLE: "1.2.840.10008.1.2.1.99",
  explicitBE: "1.2.840.10008.1.2.2",
  jpegBaseline: "1.2.840.10008.1.2.4.50",
  jpegLsLossless: "1.2.840.10008.1.2.4.80",
  jpegLsNearLossless: "1.2.840.10008.1.2.4.81",
} as const;

export type DicomErrorCode = "notDicom" | "noTransferSyntax" | "truncated" | "badLength" | "tooDeep" | "tooManyElements" | "badDeflate";
export class DicomParseError extends Error {
  constructor(
    readonly code: DicomErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Element = {
  tag: number;
  vr: string;
  /** Raw value bytes in the dataset's byte order; null for sequences and encapsulated data. */
  value: Uint8Array | null;
  items?: Dataset[];
  fragments?: Uint8Array[];
};
export type Dataset = Element[];
export type Part10 = { meta: Dataset; dataset: Dataset; transferSyntax: string };

export const LIMITS = { maxDepth: 16, maxElements: 2_000_000 };
const LONG_VRS = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"]);
const ITEM = 0xfffee000;
const ITEM_END = 0xfffee00d;
const SEQ_END = 0xfffee0dd;
const UNDEFINED = 0xffffffff;

export const tagOf = (group: number, element: number) => ((group << 16) | element) >>> 0;
export const groupOf = (tag: number) => tag >>> 16;
export const tagString = (tag: number) => `(${groupOf(tag).toString(16).padStart(4, "0")},${(tag & 0xffff).toString(16).padStart(4, "0")})`.toUpperCase();

type Syntax = { explicit: boolean; little: boolean };
const syntaxOf = (uid: string): Syntax => ({ explicit: uid !== TS.implicitLE, little: uid !== TS.explicitBE });

class Reader {
  pos = 0;
  elements = 0;
  /** A top-level tag to stop before (parseHeader's Pixel Data); null reads to the end. */
  stopBefore: number | null = null;
  constructor(
    readonly bytes: Uint8Array,
    readonly syntax: Syntax,
    readonly implicitVr: (tag: number) => string,
  ) {}
  get view() {
    return new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }
  need(n: number) {
    if (this.pos + n > this.bytes.length) throw new DicomParseError("truncated", `file ends inside an element at byte ${this.pos}`);
  }
  u16() {
    this.need(2);
    const v = this.view.getUint16(this.pos, this.syntax.little);
    this.pos += 2;
    return v;
  }
  u32() {
    this.need(4);
    const v = this.view.getUint32(this.pos, this.syntax.little);
    this.pos += 4;
    return v;
  }
  tag() {
    const group = this.u16();
    return tagOf(group, this.u16());
  }
  take(n: number) {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  dataset(end: number, depth: number, untilItemEnd: boolean): Dataset {
    if (depth > LIMITS.maxDepth) throw new DicomParseError("tooDeep", `sequences nested deeper than ${LIMITS.maxDepth}`);
    const out: Dataset = [];
    while (this.pos < end) {
      const start = this.pos;
      const tag = this.tag();
      if (depth === 0 && tag === this.stopBefore) {
        this.pos = start;
        return out;
      }
      if (tag === ITEM_END) {
        this.u32();
        if (untilItemEnd) return out;
        continue;
      }
      if (tag === SEQ_END || tag === ITEM) throw new DicomParseError("badLength", `unexpected delimiter ${tagString(tag)} at byte ${start}`);
      if (++this.elements > LIMITS.maxElements) throw new DicomParseError("tooManyElements", "too many elements");
      out.push(this.element(tag, end, depth));
    }
    if (untilItemEnd) throw new DicomParseError("truncated", "item has no end");
    return out;
  }

  element(tag: number, end: number, depth: number): Element {
    let vr: string;
    let length: number;
    if (this.syntax.explicit && groupOf(tag) !== 0xfffe) {
      vr = String.fromCharCode(...this.take(2));
      if (!/^[A-Z]{2}$/.test(vr)) throw new DicomParseError("badLength", `invalid VR at ${tagString(tag)}`);
      if (LONG_VRS.has(vr)) {
        this.take(2);
        length = this.u32();
      } else length = this.u16();
    } else {
      vr = this.implicitVr(tag);
      length = this.u32();
    }
    if (length === UNDEFINED) {
      if (vr === "SQ" || vr === "UN" || (!this.syntax.explicit && this.peekItem())) return { tag, vr: "SQ", value: null, items: this.items(Infinity, depth) };
      if (tag === tagOf(0x7fe0, 0x0010) || vr === "OB" || vr === "OW") return { tag, vr, value: null, fragments: this.fragments() };
      throw new DicomParseError("badLength", `undefined length on ${tagString(tag)} (${vr})`);
    }
    if (this.pos + length > end || this.pos + length > this.bytes.length) {
      throw new DicomParseError("truncated", `${tagString(tag)} claims ${length} bytes, more than the file holds`);
    }
    if (vr === "SQ" || (!this.syntax.explicit && vr === "UN" && length >= 8 && this.peekItem())) {
      const stop = this.pos + length;
      const items = this.items(stop, depth);
      this.pos = stop;
      return { tag, vr: "SQ", value: null, items };
    }
    return { tag, vr, value: this.take(length) };
  }

  peekItem() {
    if (this.pos + 4 > this.bytes.length) return false;
    const view = this.view;
    return view.getUint16(this.pos, this.syntax.little) === 0xfffe && view.getUint16(this.pos + 2, this.syntax.little) === 0xe000;
  }

  items(end: number, depth: number): Dataset[] {
    const items: Dataset[] = [];
    while (this.pos < end) {
      const tag = this.tag();
      const length = this.u32();
      if (tag === SEQ_END) return items;
      if (tag !== ITEM) throw new DicomParseError("badLength", `expected an item, found ${tagString(tag)}`);
      if (length === UNDEFINED) items.push(this.dataset(this.bytes.length, depth + 1, true));
      else {
        if (this.pos + length > this.bytes.length) throw new DicomParseError("truncated", "item longer than the file");
        const stop = this.pos + length;
        items.push(this.dataset(stop, depth + 1, false));
        this.pos = stop;
      }
    }
    if (end !== Infinity) return items;
    throw new DicomParseError("truncated", "sequence has no end");
  }

  fragments(): Uint8Array[] {
    const fragments: Uint8Array[] = [];
    for (;;) {
      const tag = this.tag();
      const length = this.u32();
      if (tag === SEQ_END) return fragments;
      if (tag !== ITEM || length === UNDEFINED) throw new DicomParseError("badLength", "malformed encapsulated pixel data");
      fragments.push(this.take(length));
    }
  }
}

/**
 * The file's meta and its dataset before the top-level Pixel Data, and the byte where that element starts (the file's
 * length when it has none), so a whole-slide image's header can be handled without its gigabytes of tiles; null when
 * `input` is a prefix (`complete` false) that ends before the Pixel Data (read more). Deflated files are not read this way.
 */
export function parseHeader(
  input: Uint8Array,
  implicitVr: (tag: number) => string,
  { complete }: { complete: boolean },
): { header: Part10; pixelDataAt: number } | null {
  const metaEnd = parseMeta(input, implicitVr);
  if (metaEnd.transferSyntax === TS.deflatedLE) throw new DicomParseError("badDeflate", "a deflated file has no header apart from its pixels");
  const reader = new Reader(input.subarray(metaEnd.pos), syntaxOf(metaEnd.transferSyntax), implicitVr);
  reader.stopBefore = tagOf(0x7fe0, 0x0010);
  try {
    const dataset = reader.dataset(reader.bytes.length, 0, false);
    // A prefix that ends on an element boundary before the Pixel Data has not shown the whole header: read more.
    if (!complete && reader.pos >= reader.bytes.length) return null;
    return { header: { meta: metaEnd.meta, dataset, transferSyntax: metaEnd.transferSyntax }, pixelDataAt: metaEnd.pos + reader.pos };
  } catch (error) {
    if ((error instanceof DicomParseError && error.code === "truncated") || error instanceof RangeError) return null;
    throw error;
  }
}

function parseMeta(input: Uint8Array, implicitVr: (tag: number) => string): { meta: Dataset; transferSyntax: string; pos: number } {
  if (input.length < 132 || String.fromCharCode(...input.subarray(128, 132)) !== "DICM") {
    throw new DicomParseError("notDicom", "no DICOM preamble (DICM at byte 128)");
  }
  const metaReader = new Reader(input, { explicit: true, little: true }, implicitVr);
  metaReader.pos = 132;
  const meta: Dataset = [];
  while (metaReader.pos + 4 <= input.length && new DataView(input.buffer, input.byteOffset + metaReader.pos, 2).getUint16(0, true) === 0x0002) {
    meta.push(metaReader.element(metaReader.tag(), input.length, 0));
  }
  const tsElement = meta.find((e) => e.tag === tagOf(0x0002, 0x0010));
  if (!tsElement?.value) throw new DicomParseError("noTransferSyntax", "the file meta information has no transfer syntax (0002,0010)");
  return { meta, transferSyntax: decodeString(tsElement.value).replace(/\0/g, "").trim(), pos: metaReader.pos };
}

export function parsePart10(input: Uint8Array, implicitVr: (tag: number) => string): Part10 {
  const { meta, transferSyntax, pos } = parseMeta(input, implicitVr);
  let body = input.subarray(pos);
  if (transferSyntax === TS.deflatedLE) {
    try {
      body = inflateRawSync(body);
    } catch {
      throw new DicomParseError("badDeflate", "the deflated dataset cannot be inflated");
    }
  }
  const reader = new Reader(body, syntaxOf(transferSyntax === TS.deflatedLE ? TS.explicitLE : transferSyntax), implicitVr);
  const dataset = reader.dataset(body.length, 0, false);
  return { meta, dataset, transferSyntax };
}

const VR_BYTES = new Map<string, Uint8Array>();
const vrBytes = (vr: string) => VR_BYTES.get(vr) ?? VR_BYTES.set(vr, Uint8Array.of(vr.charCodeAt(0), vr.charCodeAt(1))).get(vr)!;

class Writer {
  chunks: Uint8Array[] = [];
  constructor(readonly syntax: Syntax) {}
  u16(v: number) {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, this.syntax.little);
    this.chunks.push(b);
  }
  u32(v: number) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, this.syntax.little);
    this.chunks.push(b);
  }
  tag(tag: number) {
    this.u16(groupOf(tag));
    this.u16(tag & 0xffff);
  }
  header(tag: number, vr: string, length: number) {
    this.tag(tag);
    if (this.syntax.explicit) {
      this.chunks.push(vrBytes(vr));
      if (LONG_VRS.has(vr)) {
        this.u16(0);
        this.u32(length);
      } else this.u16(length);
    } else this.u32(length);
  }
  dataset(dataset: Dataset) {
    for (const element of [...dataset].sort((a, b) => a.tag - b.tag)) {
      if (element.items) {
        this.header(element.tag, "SQ", UNDEFINED);
        for (const item of element.items) {
          this.tag(ITEM);
          this.u32(UNDEFINED);
          this.dataset(item);
          this.tag(ITEM_END);
          this.u32(0);
        }
        this.tag(SEQ_END);
        this.u32(0);
      } else if (element.fragments) {
        this.header(element.tag, element.vr, UNDEFINED);
        for (const fragment of element.fragments) {
          this.tag(ITEM);
          this.u32(fragment.length);
          this.chunks.push(fragment);
        }
        this.tag(SEQ_END);
        this.u32(0);
      } else {
        const value = element.value ?? new Uint8Array();
        if (!LONG_VRS.has(element.vr) && this.syntax.explicit && value.length > 0xffff) {
          this.header(element.tag, "UN", value.length);
        } else this.header(element.tag, element.vr, value.length);
        this.chunks.push(value);
      }
    }
  }
  bytes() {
    return concatBytes(this.chunks);
  }
}

/** Elements encoded on their own (no preamble, no meta), as they follow one another inside a file of `transferSyntax`. */
export function parseElements(input: Uint8Array, transferSyntax: string, implicitVr: (tag: number) => string): Dataset {
  return new Reader(input, syntaxOf(transferSyntax), implicitVr).dataset(input.length, 0, false);
}

export function writeElements(dataset: Dataset, transferSyntax: string): Uint8Array {
  const writer = new Writer(syntaxOf(transferSyntax));
  writer.dataset(dataset);
  return writer.bytes();
}

export function writePart10({ meta, dataset, transferSyntax }: Part10): Uint8Array {
  const body = new Writer(syntaxOf(transferSyntax === TS.deflatedLE ? TS.explicitLE : transferSyntax));
  body.dataset(dataset);
  // The body's pieces (the pixel data among them) are copied once, straight into the file.
  const encodedBody = transferSyntax === TS.deflatedLE ? [deflateRawSync(body.bytes())] : body.chunks;
  const metaWithoutLength = meta.filter((e) => e.tag !== tagOf(0x0002, 0x0000));
  const metaWriter = new Writer({ explicit: true, little: true });
  metaWriter.dataset(metaWithoutLength);
  const metaBytes = metaWriter.bytes();
  const groupLength = new Writer({ explicit: true, little: true });
  groupLength.header(tagOf(0x0002, 0x0000), "UL", 4);
  groupLength.u32(metaBytes.length);
  return concatBytes([new Uint8Array(128), new TextEncoder().encode("DICM"), groupLength.bytes(), metaBytes, ...encodedBody]);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function decodeString(value: Uint8Array): string {
  let text = "";
  for (let at = 0; at < value.length; at += 8192) text += String.fromCharCode(...value.subarray(at, at + 8192));
  return text;
}

/** The value as text without its trailing padding (NUL or space), in one pass from the end. */
export function trimmedString(value: Uint8Array): string {
  let end = value.length;
  while (end > 0 && (value[end - 1] === 0 || value[end - 1] === 0x20)) end--;
  return decodeString(value.subarray(0, end));
}

/** Encodes a text value, padded to even length as PS3.5 requires (UIDs with NUL, others with a space). */
export function encodeString(text: string, vr: string): Uint8Array {
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  if (bytes.length % 2 === 0) return bytes;
  return concatBytes([bytes, Uint8Array.of(vr === "UI" ? 0 : 0x20)]);
}

export function find(dataset: Dataset, tag: number): Element | undefined {
  return dataset.find((e) => e.tag === tag);
}

export function stringValue(dataset: Dataset, tag: number): string | undefined {
  const element = find(dataset, tag);
  return element?.value ? trimmedString(element.value) : undefined;
}

/** Builds a Part 10 file around a dataset received over the network (which arrives without file meta information). */
export function wrapDataset(datasetBytes: Uint8Array, ids: { sopClassUid: string; sopInstanceUid: string; transferSyntax: string }): Uint8Array {
  const meta = new Writer({ explicit: true, little: true });
  meta.dataset([
    { tag: tagOf(0x0002, 0x0001), vr: "OB", value: new Uint8Array([0, 1]) },
    { tag: tagOf(0x0002, 0x0002), vr: "UI", value: encodeString(ids.sopClassUid, "UI") },
    { tag: tagOf(0x0002, 0x0003), vr: "UI", value: encodeString(ids.sopInstanceUid, "UI") },
    { tag: tagOf(0x0002, 0x0010), vr: "UI", value: encodeString(ids.transferSyntax, "UI") },
    { tag: tagOf(0x0002, 0x0012), vr: "UI", value: encodeString("1.2.826.0.1.3680043.10.1453.1", "UI") },
  ]);
  const metaBytes = meta.bytes();
  const length = new Writer({ explicit: true, little: true });
  length.header(tagOf(0x0002, 0x0000), "UL", 4);
  length.u32(metaBytes.length);
  const body = ids.transferSyntax === TS.deflatedLE ? deflateRawSync(datasetBytes) : datasetBytes;
  return concatBytes([new Uint8Array(128), new TextEncoder().encode("DICM"), length.bytes(), metaBytes, body]);
}
