/**
 * JPEG and PNG slides cleaned in place where a plan that stops early would leave the name behind: segments between the
 * scans of a progressive JPEG, a second image after the end-of-image marker (MPF), bytes after PNG's end chunk; and files
 * crafted to make the plan read, allocate or loop more than their size. Checked with ImageMagick, which we did not write.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_JPEG_SEGMENTS, MAX_PNG_CHUNKS } from "~/features/imaging/slides/raster-deid";
import { SlideFormatError, type ByteSource, type Patch } from "~/features/imaging/slides/slide-bytes";
import { planSlideCleaning } from "~/features/imaging/slides/slide-deid";
import { cleanedSlide } from "../support/slides";

const NAME = "ZHANG SAN 0012345";
const work = mkdtempSync(path.join(os.tmpdir(), "tb-raster-deid-"));
const tool = (command: string, ...args: string[]) => execFileSync(command, args, { encoding: "latin1", stdio: ["ignore", "pipe", "ignore"] });
const latin1 = (text: string) => Buffer.from(text, "latin1");

/** The file in memory, counting what the plan asks of it. */
function memory(bytes: Uint8Array) {
  const reads = { calls: 0, bytes: 0, largest: 0 };
  const source: ByteSource = {
    size: bytes.length,
    read: async (offset: number, length: number) => {
      if (offset < 0 || offset + length > bytes.length) throw new RangeError("read past the end of the file");
      reads.calls++;
      reads.bytes += length;
      reads.largest = Math.max(reads.largest, length);
      return bytes.subarray(offset, offset + length);
    },
  };
  return { source, reads };
}

const plan = async (bytes: Uint8Array, stopAtFirst = false) => (await planSlideCleaning(memory(bytes).source, { stopAtFirst })).patches;

function applied(bytes: Uint8Array, patches: Patch[]): Buffer {
  const out = Buffer.from(bytes);
  for (const patch of patches) out.set(patch.bytes, patch.offset);
  return out;
}

/** A JPEG segment: marker, big-endian length (itself included), payload. */
function segment(type: number, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([0xff, type, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
}

/** The offsets of the markers outside entropy-coded data (a 0xFF followed by neither 0x00, a restart nor 0xFF). */
const markers = (bytes: Buffer, type: number) => [...bytes.keys()].filter((i) => bytes[i] === 0xff && bytes[i + 1] === type && i + 1 < bytes.length);

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, "latin1");
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/** Each chunk's type, with its checksum checked. */
function pngChunks(bytes: Buffer): string[] {
  const types: string[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    expect(bytes.readUInt32BE(at + 8 + length), `${type} checksum`).toBe(crc32(bytes.subarray(at + 4, at + 8 + length)));
    types.push(type);
    at += 12 + length;
    if (type === "IEND") break;
  }
  return types;
}

/** Cleans `original` as the page does, and checks what every cleaning must give. */
async function cleanAndCheck(name: string, original: Buffer): Promise<{ file: string; cleaned: Buffer }> {
  const originalFile = path.join(work, name);
  writeFileSync(originalFile, original);
  expect(original.toString("latin1")).toContain(NAME);
  const cleaned = Buffer.from(await cleanedSlide(new Uint8Array(original)));
  const file = path.join(work, `clean-${name}`);
  writeFileSync(file, cleaned);
  expect(cleaned.length).toBe(original.length);
  expect(cleaned.toString("latin1")).not.toContain(NAME);
  expect(cleaned.toString("latin1")).not.toContain("ZHANG");
  expect(tool("identify", "-verbose", file)).not.toContain("ZHANG");
  expect(tool("compare", "-metric", "AE", originalFile, file, "null:").trim() || "0").toBe("0");
  expect(await plan(cleaned)).toEqual([]);
  expect(await plan(cleaned, true)).toEqual([]);
  return { file, cleaned };
}

describe("JPEG cleaning", () => {
  it("blanks comments and application segments between the scans of a progressive JPEG", async () => {
    const progressive = path.join(work, "progressive.jpg");
    tool("convert", "-size", "240x160", "plasma:red-blue", "-interlace", "Plane", progressive);
    const bytes = readFileSync(progressive);
    const scans = markers(bytes, 0xda);
    expect(scans.length).toBeGreaterThan(2);
    // Before the second scan: a comment and an XMP packet, as a tool that edits the file in place might leave them.
    const inserted = Buffer.concat([
      segment(0xfe, latin1(NAME)),
      segment(0xe1, latin1(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><dc:creator>${NAME}</dc:creator></x:xmpmeta>`)),
    ]);
    const original = Buffer.concat([bytes.subarray(0, scans[1]), inserted, bytes.subarray(scans[1])]);
    // The planned patches before the fix stopped at the first scan: here they must reach the inserted segments.
    const patches = await plan(original);
    expect(patches.some((p) => p.offset > scans[0])).toBe(true);
    expect(await plan(original, true)).toHaveLength(1);

    const { file, cleaned } = await cleanAndCheck("spliced.jpg", original);
    expect(tool("compare", "-metric", "AE", progressive, file, "null:").trim() || "0").toBe("0");
    expect(markers(cleaned, 0xda)).toHaveLength(scans.length);
    expect(markers(cleaned, 0xe1)).toEqual([]);
    // Everything else is as it was: only the inserted segments' types and payloads changed.
    const changed = [...cleaned.keys()].filter((i) => cleaned[i] !== original[i]);
    expect(changed.every((i) => i >= scans[1] && i < scans[1] + inserted.length)).toBe(true);
  });

  it("zeroes an MPF image appended after the end-of-image marker, and the MPF segment of the first", async () => {
    const first = path.join(work, "first.jpg");
    const second = path.join(work, "second.jpg");
    tool("convert", "-size", "200x150", "plasma:green-yellow", first);
    tool("convert", "-size", "64x48", "xc:white", "-set", "comment", NAME, second);
    const firstBytes = readFileSync(first);
    const app0End = 2 + 2 + firstBytes.readUInt16BE(4);
    expect(firstBytes[3]).toBe(0xe0);
    const mpf = segment(0xe2, Buffer.concat([latin1("MPF\0II*\0"), Buffer.alloc(8, 1), latin1(NAME)]));
    const head = Buffer.concat([firstBytes.subarray(0, app0End), mpf, firstBytes.subarray(app0End)]);
    const original = Buffer.concat([head, readFileSync(second)]);
    expect(await plan(original, true)).toHaveLength(1);

    const { file, cleaned } = await cleanAndCheck("mpf.jpg", original);
    expect(tool("compare", "-metric", "AE", first, file, "null:").trim() || "0").toBe("0");
    expect(cleaned.subarray(head.length).every((b) => b === 0)).toBe(true);
    expect(cleaned.subarray(0, app0End).equals(head.subarray(0, app0End))).toBe(true);
    expect(cleaned[app0End + 1]).toBe(0xfe);
    expect(cleaned.toString("latin1")).not.toContain("MPF");
  });

  it("keeps a JFIF header and zeroes its thumbnail, and blanks an APP0 that is not JFIF", async () => {
    const thumbnail = Buffer.concat([latin1("JFIF\0"), Buffer.from([1, 1, 0, 0, 1, 0, 1, 2, 1]), Buffer.alloc(6, 0x41)]);
    const other = segment(0xe0, latin1(`AVI1${NAME}`));
    const body = Buffer.concat([segment(0xe0, thumbnail), other, segment(0xdb, Buffer.alloc(65, 1))]);
    const original = Buffer.concat([Buffer.from([0xff, 0xd8]), body, Buffer.from([0xff, 0xd9])]);
    const cleaned = applied(original, await plan(original));
    expect(cleaned.length).toBe(original.length);
    expect(cleaned.subarray(0, 2 + 4 + 14).equals(original.subarray(0, 2 + 4 + 14))).toBe(true);
    expect(cleaned.subarray(2 + 4 + 14, 2 + 4 + 20).every((b) => b === 0)).toBe(true);
    expect(cleaned[2 + 4 + 20 + 1]).toBe(0xfe);
    expect(cleaned.toString("latin1")).not.toContain("ZHANG");
    expect(await plan(cleaned)).toEqual([]);
  });

  it("walks a megabyte of stuffed bytes in a few reads, and refuses a scan that runs off the end", async () => {
    const sos = segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0]));
    const entropy = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < entropy.length; i += 2) entropy[i] = 0xff;
    // Restart markers and fill bytes belong to the data or precede the marker: they end nothing.
    entropy.set([0xff, 0xd3, 0xff, 0xff, 0xff, 0x00], 4096);
    const whole = Buffer.concat([Buffer.from([0xff, 0xd8]), sos, entropy, Buffer.from([0xff, 0xff, 0xff, 0xd9])]);
    for (const stopAtFirst of [false, true]) {
      const { source, reads } = memory(whole);
      expect((await planSlideCleaning(source, { stopAtFirst })).patches).toEqual([]);
      expect(reads.bytes).toBeLessThan(whole.length + 300 * 1024);
      expect(reads.calls).toBeLessThan(10);
      expect(reads.largest).toBeLessThanOrEqual(1024 * 1024);
    }
    const appended = Buffer.concat([whole, latin1(NAME)]);
    expect(await plan(appended, true)).toHaveLength(1);
    expect(
      applied(appended, await plan(appended))
        .subarray(whole.length)
        .every((b) => b === 0),
    ).toBe(true);

    const truncated = whole.subarray(0, whole.length - 4);
    await expect(plan(truncated)).rejects.toBeInstanceOf(SlideFormatError);
    await expect(plan(truncated, true)).rejects.toBeInstanceOf(SlideFormatError);
    // Nothing but fill after the start, and a segment that claims more than the file holds.
    const fill = Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(512 * 1024, 0xff)]);
    await expect(plan(fill)).rejects.toBeInstanceOf(SlideFormatError);
    await expect(plan(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 0, 0]))).rejects.toBeInstanceOf(SlideFormatError);
  });

  it("refuses a JPEG with more segments than any image needs, and a marker readers refuse", async () => {
    const emptyComments = (n: number) =>
      Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(n * 4), Buffer.from([0xff, 0xd9])]).fill(Buffer.from([0xff, 0xfe, 0, 2]), 2, 2 + n * 4);
    expect(await plan(emptyComments(100))).toEqual([]);
    for (const stopAtFirst of [false, true]) {
      await expect(plan(emptyComments(MAX_JPEG_SEGMENTS + 1), stopAtFirst)).rejects.toBeInstanceOf(SlideFormatError);
    }
    const reserved = Buffer.concat([Buffer.from([0xff, 0xd8]), segment(0x42, latin1(NAME)), Buffer.from([0xff, 0xd9])]);
    await expect(plan(reserved)).rejects.toBeInstanceOf(SlideFormatError);
  });
});

/** A PNG from ImageMagick, its own date and time chunks already blanked, and the offset of its end chunk. */
async function cleanPng(name: string, size: string) {
  const file = path.join(work, name);
  tool("convert", "-size", size, "xc:gray", file);
  const bytes = applied(readFileSync(file), await plan(readFileSync(file)));
  writeFileSync(file, bytes);
  expect(await plan(bytes)).toEqual([]);
  return { file, bytes, iend: bytes.length - 12 };
}

describe("PNG cleaning", () => {
  it("zeroes what follows the end chunk and blanks private chunks, leaving every pixel", async () => {
    const png = path.join(work, "slide.png");
    tool("convert", "-size", "200x150", "plasma:red-blue", png);
    const bytes = readFileSync(png);
    const iend = bytes.length - 12;
    expect(bytes.toString("latin1", iend + 4, iend + 8)).toBe("IEND");
    const original = Buffer.concat([
      bytes.subarray(0, iend),
      pngChunk("naMe", latin1(NAME)),
      pngChunk("iCCP", Buffer.concat([latin1(`${NAME}\0\0`), Buffer.alloc(20, 7)])),
      bytes.subarray(iend),
      pngChunk("tEXt", latin1(`Comment\0${NAME}`)),
      latin1(NAME),
    ]);
    expect(await plan(original, true)).toHaveLength(1);

    const { cleaned } = await cleanAndCheck("appended.png", original);
    const types = pngChunks(cleaned);
    expect(types.at(-1)).toBe("IEND");
    expect(types).not.toContain("naMe");
    expect(types.filter((t) => t === "prVt").length).toBeGreaterThanOrEqual(2);
    const end = cleaned.indexOf("IEND", 8, "latin1") + 8;
    expect(cleaned.subarray(end).every((b) => b === 0)).toBe(true);
    expect(end).toBeLessThan(cleaned.length);
  });

  it("blanks an animated PNG's other frames, which can be another image (the label), keeping the default image", async () => {
    const png = path.join(work, "animated.png");
    tool("convert", "-size", "64x48", "plasma:red-blue", png);
    const bytes = readFileSync(png);
    const afterHeader = 8 + 12 + bytes.readUInt32BE(8);
    const iend = bytes.length - 12;
    const frameControl = (sequence: number) => {
      const data = Buffer.alloc(26);
      data.writeUInt32BE(sequence, 0);
      data.writeUInt32BE(64, 4);
      data.writeUInt32BE(48, 8);
      return pngChunk("fcTL", data);
    };
    const animation = Buffer.alloc(8);
    animation.writeUInt32BE(2, 0);
    const original = Buffer.concat([
      bytes.subarray(0, afterHeader),
      pngChunk("acTL", animation),
      frameControl(0),
      bytes.subarray(afterHeader, iend),
      frameControl(1),
      pngChunk("fdAT", Buffer.concat([Buffer.from([0, 0, 0, 2]), latin1(NAME)])),
      bytes.subarray(iend),
    ]);
    const { cleaned } = await cleanAndCheck("animated.png", original);
    expect(pngChunks(cleaned)).not.toEqual(expect.arrayContaining(["acTL"]));
    expect(pngChunks(cleaned).filter((t) => ["acTL", "fcTL", "fdAT"].includes(t))).toEqual([]);
  });

  it("names the blank chunk by PNG's case bits: ancillary, private, reserved bit clear, safe to copy; and accepts earlier blanks", async () => {
    const { bytes, iend } = await cleanPng("bits.png", "16x16");
    const original = Buffer.concat([bytes.subarray(0, iend), pngChunk("tEXt", latin1(`Author\0${NAME}`)), bytes.subarray(iend)]);
    const cleaned = applied(original, await plan(original));
    const type = cleaned.subarray(iend + 4, iend + 8);
    expect(type.toString("latin1")).toBe("prVt");
    expect([...type].map((c) => (c & 0x20) !== 0)).toEqual([true, true, false, true]);
    pngChunks(cleaned);
    const earlier = Buffer.concat([bytes.subarray(0, iend), pngChunk("pRVt", Buffer.alloc(30)), bytes.subarray(iend)]);
    expect(await plan(earlier)).toEqual([]);
    const earlierFilled = Buffer.concat([bytes.subarray(0, iend), pngChunk("pRVt", latin1(NAME)), bytes.subarray(iend)]);
    const refilled = applied(earlierFilled, await plan(earlierFilled));
    expect(refilled.toString("latin1", iend + 4, iend + 8)).toBe("prVt");
    expect(await plan(refilled)).toEqual([]);
  });

  it("blanks a 32 MB text chunk in megabyte patches, reading it once, and refuses lengths beyond the file", async () => {
    const { file: png, bytes, iend } = await cleanPng("big.png", "16x16");
    const text = Buffer.alloc(32 * 1024 * 1024, 0x41);
    text.write(`Comment\0${NAME}`, 0, "latin1");
    const original = Buffer.concat([bytes.subarray(0, iend), pngChunk("tEXt", text), bytes.subarray(iend)]);

    const first = memory(original);
    const firstOnly = (await planSlideCleaning(first.source, { stopAtFirst: true })).patches;
    expect(firstOnly).toHaveLength(1);
    expect(first.reads.bytes).toBeLessThan(2 * 1024 * 1024);

    const all = memory(original);
    const patches = (await planSlideCleaning(all.source)).patches;
    expect(Math.max(...patches.map((p) => p.bytes.length))).toBeLessThanOrEqual(1024 * 1024);
    expect(all.reads.largest).toBeLessThanOrEqual(1024 * 1024);
    expect(all.reads.bytes).toBeLessThan(original.length + 1024 * 1024);
    const cleaned = applied(original, patches);
    expect(cleaned.length).toBe(original.length);
    expect(pngChunks(cleaned)).toEqual(["IHDR", ...pngChunks(bytes).slice(1, -1), "prVt", "IEND"]);
    expect(cleaned.subarray(iend + 8, iend + 8 + text.length).every((b) => b === 0)).toBe(true);
    expect(await plan(cleaned)).toEqual([]);
    writeFileSync(path.join(work, "big-clean.png"), cleaned);
    expect(tool("compare", "-metric", "AE", png, path.join(work, "big-clean.png"), "null:").trim() || "0").toBe("0");

    const huge = Buffer.from(bytes);
    huge.writeUInt32BE(0x7ffffff0, iend);
    const hugeSource = memory(huge);
    await expect(planSlideCleaning(hugeSource.source)).rejects.toBeInstanceOf(SlideFormatError);
    expect(hugeSource.reads.largest).toBeLessThanOrEqual(256 * 1024);
    await expect(plan(bytes.subarray(0, iend))).rejects.toBeInstanceOf(SlideFormatError);
  });

  it("refuses a PNG with more chunks than any image needs", async () => {
    const { bytes, iend } = await cleanPng("many.png", "4x4");
    const blank = pngChunk("prVt", new Uint8Array(0));
    const many = (n: number) => Buffer.concat([bytes.subarray(0, iend), Buffer.alloc(n * 12), bytes.subarray(iend)]).fill(blank, iend, iend + n * 12);
    expect(await plan(many(1000))).toEqual([]);
    await expect(plan(many(MAX_PNG_CHUNKS + 1), true)).rejects.toBeInstanceOf(SlideFormatError);
  });
});
