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

/** A directory of one 8×8 grey strip image holding `pixels` (64 bytes, repeated as needed), plus `extra` entries. */
export function tinyImage(pixels: string | Uint8Array, ...extra: TinyEntry[]): TinyEntry[] {
  const data = typeof pixels === "string" ? new TextEncoder().encode(pixels.padEnd(64, " ").slice(0, 64)) : pixels;
  return [
    { tag: 256, type: 3, values: [8] },
    { tag: 257, type: 3, values: [8] },
    { tag: 258, type: 3, values: [8] },
    { tag: 259, type: 3, values: [1] },
    { tag: 262, type: 3, values: [1] },
    { tag: 277, type: 3, values: [1] },
    { tag: 278, type: 3, values: [8] },
    { tag: 273, strips: [data] },
    ...extra,
  ];
}
