/**
 * `npm run font:subset`: writes app/styles/fonts/noto-sans-sc-ui.woff2, the web font the interface falls back to
 * for Chinese on machines without a CJK system font. It is Noto Sans SC Regular from the package the opinion PDF
 * embeds, cut with fontkit to the characters app/ui/ui-font.ts lists (GB2312 level 1 and every Chinese character of
 * the interface's texts), given the tables a browser requires that fontkit's subset (made for PDFs) leaves out
 * (cmap, OS/2, name, post), and packed as WOFF2 with its tables as they are (the "null transform") under Brotli
 * from node:zlib. `--check` writes nothing and fails when the committed font lacks a character the texts now use
 * (a unit test runs it): run the generator again then.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";
import { create } from "fontkit";
import { readChineseFont } from "~/features/opinions/exports/opinion-pdf.server";
import { CHINESE_CITY_NAMES } from "~/platform/time-zone-names";
import { UI_FONT_TEXT_FOLDERS, uiFontCodePoints } from "~/ui/ui-font";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const UI_FONT_FILE = path.join(root, "app/styles/fonts/noto-sans-sc-ui.woff2");

/** Every text whose Chinese characters the font must carry. */
function uiFontTexts(): string[] {
  const files = UI_FONT_TEXT_FOLDERS.flatMap((folder) =>
    readdirSync(path.join(root, folder), { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(root, folder, entry.name)),
  );
  return [...files.map((file) => readFileSync(file, "utf8")), ...CHINESE_CITY_NAMES];
}

type Tables = Map<string, Uint8Array>;

function readTables(font: Uint8Array): Tables {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const tables: Tables = new Map();
  for (let i = 0; i < view.getUint16(4); i++) {
    const record = 12 + i * 16;
    const tag = String.fromCharCode(...font.subarray(record, record + 4));
    const offset = view.getUint32(record + 8);
    tables.set(tag, font.subarray(offset, offset + view.getUint32(record + 12)));
  }
  return tables;
}

/** A format 4 cmap (Unicode BMP) in a Windows and a Unicode record: one segment per run of characters whose glyph ids run alongside. */
function cmapTable(mapping: readonly (readonly [codePoint: number, glyphId: number])[]): Uint8Array {
  const segments: { start: number; end: number; delta: number }[] = [];
  for (const [codePoint, glyphId] of mapping) {
    const last = segments.at(-1);
    if (last && last.end === codePoint - 1 && last.delta === glyphId - codePoint) last.end = codePoint;
    else segments.push({ start: codePoint, end: codePoint, delta: glyphId - codePoint });
  }
  segments.push({ start: 0xffff, end: 0xffff, delta: 1 });
  const count = segments.length;
  const subtableLength = 16 + count * 8;
  const table = new DataView(new ArrayBuffer(20 + subtableLength));
  table.setUint16(2, 2);
  table.setUint16(4, 0);
  table.setUint16(6, 3);
  table.setUint32(8, 20);
  table.setUint16(12, 3);
  table.setUint16(14, 1);
  table.setUint32(16, 20);
  const searchRange = 2 ** Math.floor(Math.log2(count)) * 2;
  for (const [offset, value] of [
    [0, 4],
    [2, subtableLength],
    [4, 0],
    [6, count * 2],
    [8, searchRange],
    [10, Math.log2(searchRange / 2)],
    [12, count * 2 - searchRange],
  ])
    table.setUint16(20 + offset, value);
  segments.forEach((segment, i) => {
    table.setUint16(20 + 14 + i * 2, segment.end);
    table.setUint16(20 + 16 + count * 2 + i * 2, segment.start);
    table.setUint16(20 + 16 + count * 4 + i * 2, segment.delta & 0xffff);
  });
  return new Uint8Array(table.buffer);
}

const padded = (length: number) => (length + 3) & ~3;

function checksum(bytes: Uint8Array): number {
  const words = new DataView(new Uint8Array(padded(bytes.length)).buffer);
  new Uint8Array(words.buffer).set(bytes);
  let sum = 0;
  for (let i = 0; i < words.byteLength; i += 4) sum = (sum + words.getUint32(i)) >>> 0;
  return sum;
}

/** The tables as one TrueType file (tables in tag order, with their checksums and head's checkSumAdjustment). */
function sfnt(tables: Tables): Uint8Array {
  const tags = [...tables.keys()].sort();
  const file = new Uint8Array(12 + 16 * tags.length + tags.reduce((sum, tag) => sum + padded(tables.get(tag)!.length), 0));
  const view = new DataView(file.buffer);
  const searchRange = 2 ** Math.floor(Math.log2(tags.length)) * 16;
  view.setUint32(0, 0x00010000);
  view.setUint16(4, tags.length);
  view.setUint16(6, searchRange);
  view.setUint16(8, Math.log2(searchRange / 16));
  view.setUint16(10, tags.length * 16 - searchRange);
  let offset = 12 + 16 * tags.length;
  let headOffset = 0;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    if (tag === "head") {
      headOffset = offset;
      new DataView(data.buffer, data.byteOffset, data.byteLength).setUint32(8, 0);
    }
    file.set(new TextEncoder().encode(tag), 12 + i * 16);
    view.setUint32(12 + i * 16 + 4, checksum(data));
    view.setUint32(12 + i * 16 + 8, offset);
    view.setUint32(12 + i * 16 + 12, data.length);
    file.set(data, offset);
    offset += padded(data.length);
  });
  view.setUint32(headOffset + 8, (0xb1b0afba - checksum(file)) >>> 0);
  return file;
}

/** The tags WOFF2 numbers instead of spelling (its table of known tags, in order). */
const WOFF2_KNOWN_TAGS = ["cmap", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post", "cvt ", "fpgm", "glyf", "loca", "prep"];

function base128(value: number): number[] {
  const bytes = [value & 0x7f];
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) bytes.unshift((rest & 0x7f) | 0x80);
  return bytes;
}

/** The font as WOFF2 with every table untransformed (glyf and loca marked so), one Brotli stream for all of them. */
function woff2(font: Uint8Array): Uint8Array {
  const tables = readTables(font);
  const tags = [...tables.keys()].sort();
  const directory: number[] = [];
  for (const tag of tags) {
    const known = WOFF2_KNOWN_TAGS.indexOf(tag);
    const nullTransform = tag === "glyf" || tag === "loca" ? 0xc0 : 0;
    directory.push((known >= 0 ? known : 63) | nullTransform);
    if (known < 0) directory.push(...new TextEncoder().encode(tag));
    directory.push(...base128(tables.get(tag)!.length));
  }
  const stream = Buffer.concat(tags.map((tag) => tables.get(tag)!));
  const compressed = brotliCompressSync(stream, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_FONT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: stream.length,
    },
  });
  const length = padded(48 + directory.length + compressed.length);
  const file = new Uint8Array(length);
  const view = new DataView(file.buffer);
  view.setUint32(0, 0x774f4632);
  view.setUint32(4, 0x00010000);
  view.setUint32(8, length);
  view.setUint16(12, tags.length);
  view.setUint32(16, font.length);
  view.setUint32(20, compressed.length);
  view.setUint16(24, 1);
  file.set(directory, 48);
  file.set(compressed, 48 + directory.length);
  return file;
}

/** The font cut to the code points (each one it has a glyph for), as a TrueType file a browser accepts. */
function subsetFont(original: Uint8Array, codePoints: readonly number[]): Uint8Array {
  const font = create(original);
  const subset = font.createSubset();
  const mapping = codePoints.map((cp) => [cp, subset.includeGlyph(font.glyphForCodePoint(cp))] as const);
  const tables = readTables(subset.encode());
  const source = readTables(original);
  const os2 = source.get("OS/2")!.slice();
  const os2View = new DataView(os2.buffer);
  os2View.setUint16(64, mapping[0][0]);
  os2View.setUint16(66, mapping.at(-1)![0]);
  const post = source.get("post")!.slice(0, 32);
  new DataView(post.buffer).setUint32(0, 0x00030000);
  tables.set("cmap", cmapTable(mapping));
  tables.set("OS/2", os2);
  tables.set("name", source.get("name")!);
  tables.set("post", post);
  if (source.has("gasp")) tables.set("gasp", source.get("gasp")!);
  return sfnt(tables);
}

const original = readChineseFont("regular");
const source = create(original);
const codePoints = uiFontCodePoints(uiFontTexts()).filter((cp) => source.hasGlyphForCodePoint(cp));
if (process.argv.includes("--check")) {
  const committed = create(readFileSync(UI_FONT_FILE));
  const missing = codePoints.filter((cp) => !committed.hasGlyphForCodePoint(cp));
  if (missing.length > 0) {
    console.error(`${path.relative(root, UI_FONT_FILE)} lacks ${String.fromCodePoint(...missing)}: run npm run font:subset.`);
    process.exit(1);
  }
} else {
  const font = woff2(subsetFont(original, codePoints));
  mkdirSync(path.dirname(UI_FONT_FILE), { recursive: true });
  writeFileSync(UI_FONT_FILE, font);
  console.log(`${path.relative(root, UI_FONT_FILE)}: ${codePoints.length} characters, ${Math.round(font.length / 1024)} KB`);
}
