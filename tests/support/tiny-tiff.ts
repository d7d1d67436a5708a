/**
 * Little-endian classic TIFFs built byte by byte, for what no TIFF tool writes: vendor XMP packets, private tags of any
 * type, crafted offsets. Each directory is a list of entries; an entry's value is numbers, text (ASCII, NUL added) or
 * bytes, or `strips`: image data the builder places and points StripOffsets and StripByteCounts at.
 */
export type TinyEntry =
  | { tag: number; type: 3 | 4 | 11; values: number[] }
  | { tag: number; type: 2; text: string }
  | { tag: number; type: 1 | 7; bytes: Uint8Array }
  | { tag: 273; strips: Uint8Array[] };

const SIZES = { 1: 1, 2: 1, 3: 2, 4: 4, 7: 1, 11: 4 } as const;

export function tinyTiff(directories: TinyEntry[][]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let length = 8;
  const place = (bytes: Uint8Array) => {
    const at = length + (length % 2);
    if (at > length) chunks.push(new Uint8Array(at - length));
    chunks.push(bytes);
    length = at + bytes.length;
    return at;
  };
  const header = new Uint8Array(8);
  const headerView = new DataView(header.buffer);
  header.set([0x49, 0x49]);
  headerView.setUint16(2, 42, true);
  const patchNext: DataView[] = [headerView];
  const patchNextAt: number[] = [4];
  for (const entries of directories) {
    const expanded: { tag: number; type: number; count: number; bytes: Uint8Array }[] = [];
    for (const entry of entries) {
      if ("strips" in entry) {
        const offsets = entry.strips.map(place);
        const u32 = (values: number[]) => new Uint8Array(new Uint32Array(values).buffer);
        expanded.push({ tag: 273, type: 4, count: offsets.length, bytes: u32(offsets) });
        expanded.push({ tag: 279, type: 4, count: offsets.length, bytes: u32(entry.strips.map((s) => s.length)) });
      } else if ("values" in entry) {
        const bytes = new Uint8Array(entry.values.length * SIZES[entry.type]);
        const d = new DataView(bytes.buffer);
        entry.values.forEach((v, i) =>
          entry.type === 3 ? d.setUint16(i * 2, v, true) : entry.type === 4 ? d.setUint32(i * 4, v, true) : d.setFloat32(i * 4, v, true),
        );
        expanded.push({ tag: entry.tag, type: entry.type, count: entry.values.length, bytes });
      } else if ("text" in entry) {
        const bytes = new TextEncoder().encode(`${entry.text}\0`);
        expanded.push({ tag: entry.tag, type: 2, count: bytes.length, bytes });
      } else expanded.push({ tag: entry.tag, type: entry.type, count: entry.bytes.length, bytes: entry.bytes });
    }
    expanded.sort((a, b) => a.tag - b.tag);
    const valueAt = expanded.map((e) => (e.bytes.length > 4 ? place(e.bytes) : -1));
    const ifd = new Uint8Array(2 + expanded.length * 12 + 4);
    const d = new DataView(ifd.buffer);
    d.setUint16(0, expanded.length, true);
    expanded.forEach((e, i) => {
      const base = 2 + i * 12;
      d.setUint16(base, e.tag, true);
      d.setUint16(base + 2, e.type, true);
      d.setUint32(base + 4, e.count, true);
      if (valueAt[i] >= 0) d.setUint32(base + 8, valueAt[i], true);
      else ifd.set(e.bytes, base + 8);
    });
    const at = place(ifd);
    patchNext.at(-1)!.setUint32(patchNextAt.at(-1)!, at, true);
    patchNext.push(d);
    patchNextAt.push(2 + expanded.length * 12);
  }
  const out = new Uint8Array(length);
  out.set(header);
  let at = 8;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** A directory of one 8×8 grey strip image holding `pixels` (64 bytes), plus `extra` entries (which replace its own). */
export function tinyImage(pixels: string | Uint8Array, ...extra: TinyEntry[]): TinyEntry[] {
  const data = typeof pixels === "string" ? new TextEncoder().encode(pixels.padEnd(64, " ").slice(0, 64)) : pixels;
  const base: TinyEntry[] = [
    { tag: 256, type: 3, values: [8] },
    { tag: 257, type: 3, values: [8] },
    { tag: 258, type: 3, values: [8] },
    { tag: 259, type: 3, values: [1] },
    { tag: 262, type: 3, values: [1] },
    { tag: 277, type: 3, values: [1] },
    { tag: 278, type: 3, values: [8] },
    { tag: 273, strips: [data] },
  ];
  return [...base.filter((entry) => !extra.some((e) => e.tag === entry.tag)), ...extra];
}

/**
 * A version 4 grey ICC profile whose description and copyright are free text (`mluc`, UTF-16), with a white point and a
 * gamma curve: what a scanner or an editing tool embeds, with whatever its user typed.
 */
export function tinyIcc(description: string, copyright: string): Uint8Array {
  const mluc = (text: string) => {
    const utf16 = Buffer.from(text, "utf16le").swap16();
    const tag = Buffer.alloc(28 + utf16.length);
    tag.write("mluc", 0, "latin1");
    tag.writeUInt32BE(1, 8);
    tag.writeUInt32BE(12, 12);
    tag.write("enUS", 16, "latin1");
    tag.writeUInt32BE(utf16.length, 20);
    tag.writeUInt32BE(28, 24);
    utf16.copy(tag, 28);
    return tag;
  };
  const xyz = Buffer.alloc(20);
  xyz.write("XYZ ", 0, "latin1");
  [0.9642, 1, 0.8249].forEach((v, i) => xyz.writeInt32BE(Math.round(v * 65536), 8 + i * 4));
  const curve = Buffer.alloc(14);
  curve.write("curv", 0, "latin1");
  curve.writeUInt32BE(1, 8);
  curve.writeUInt16BE(0x0233, 12);
  const tags: [string, Buffer][] = [
    ["desc", mluc(description)],
    ["cprt", mluc(copyright)],
    ["wtpt", xyz],
    ["kTRC", curve],
  ];
  let offset = 132 + tags.length * 12;
  const table = Buffer.alloc(4 + tags.length * 12);
  table.writeUInt32BE(tags.length, 0);
  const bodies: Buffer[] = [];
  tags.forEach(([signature, body], i) => {
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    table.write(signature, 4 + i * 12, "latin1");
    table.writeUInt32BE(offset, 8 + i * 12);
    table.writeUInt32BE(body.length, 12 + i * 12);
    bodies.push(padded);
    offset += padded.length;
  });
  const header = Buffer.alloc(128);
  header.writeUInt32BE(offset, 0);
  header.writeUInt32BE(0x04300000, 8);
  header.write("mntrGRAYXYZ ", 12, "latin1");
  header.write("acsp", 36, "latin1");
  [0.9642, 1, 0.8249].forEach((v, i) => header.writeInt32BE(Math.round(v * 65536), 68 + i * 4));
  header.fill(0x5a, 84, 100); // a profile ID, as tools compute it
  return new Uint8Array(Buffer.concat([header, table, ...bodies]));
}
