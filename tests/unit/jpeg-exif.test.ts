import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { jpegHasExif } from "~/features/imaging/dicom/codestream";

const CORPUS = path.resolve(process.cwd(), "../shared/corpus");
const segment = (marker: number, payload: number[]) => [0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const jpeg = (...segments: number[][]) => Uint8Array.from([0xff, 0xd8, ...segments.flat(), ...segment(0xda, [1, 2, 3]), 0x12, 0x34, 0xff, 0xd9]);

/** The first frame's codestream of a DICOM file (item 1; item 0 is the offset table), as dcmtk's dcmdump writes it out. */
function firstFrame(file: string): Uint8Array {
  const work = mkdtempSync(path.join(os.tmpdir(), "tb-exif-"));
  execFileSync("dcmdump", ["-q", "+W", work, file]);
  return new Uint8Array(readFileSync(path.join(work, `${path.basename(file)}.1.raw`)));
}

describe("jpegHasExif: frames a browser would turn by their orientation tag", () => {
  it("finds an Exif APP1 segment before the scan, after JFIF or not", () => {
    const exif = segment(0xe1, [...ascii("Exif"), 0, 0, 0x4d, 0x4d]);
    expect(jpegHasExif(jpeg(exif))).toBe(true);
    expect(jpegHasExif(jpeg(segment(0xe0, [...ascii("JFIF"), 0, 1, 1]), segment(0xdb, new Array(65).fill(0)), exif))).toBe(true);
  });

  it("ignores other APP1 segments, Exif text inside the scan, and stops at a truncated header", () => {
    expect(jpegHasExif(jpeg(segment(0xe1, ascii("http://ns.adobe.com/xap/1.0/\0"))))).toBe(false);
    const inScan = Uint8Array.from([0xff, 0xd8, ...segment(0xda, [1]), ...ascii("Exif"), 0xff, 0xd9]);
    expect(jpegHasExif(inScan)).toBe(false);
    expect(jpegHasExif(Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0x00]))).toBe(false);
    expect(jpegHasExif(jpeg(segment(0xe1, [0xff, 0xff, 0xff, 0xff])))).toBe(false);
  });

  it("walks a real frame's segments: none in the corpus ultrasound's, and one found after them when spliced in", () => {
    const frame = firstFrame(path.join(CORPUS, "multiframe/us-30f-jpeg-ybr.dcm"));
    expect([frame[0], frame[1]]).toEqual([0xff, 0xd8]);
    expect(jpegHasExif(frame)).toBe(false);
    // An Exif segment with a big-endian TIFF header and Orientation (0112) = 6, as a camera writes it.
    const tiff = [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0];
    const exif = segment(0xe1, [...ascii("Exif"), 0, 0, ...tiff]);
    const scan = frame.findIndex((b, i) => b === 0xff && frame[i + 1] === 0xda);
    const spliced = Uint8Array.from([...frame.subarray(0, scan), ...exif, ...frame.subarray(scan)]);
    expect(jpegHasExif(spliced)).toBe(true);
  });
});
