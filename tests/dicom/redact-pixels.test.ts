/**
 * Redaction checked with dcmtk: rectangles blacked out in a signed 16-bit CT
 * slice and in a 30-frame RGB ultrasound (decoded from JPEG first), read back
 * by dcmdump. Inside each rectangle the pixels are the frame's darkest value
 * (black for RGB), everywhere else they are unchanged, and Burned In
 * Annotation is NO.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { redactPixels, RedactionError, type FrameRect } from "~/features/imaging/dicom/redact-pixels";
import { toExplicitLittleEndian } from "~/features/imaging/dicom/transcode";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const work = mkdtempSync(path.join(os.tmpdir(), "tb-redact-"));

/** The pixel data as dcmtk writes it out (`dcmdump +W`), and the Burned In Annotation it reads. */
function readWithDcmtk(file: string): { pixels: Buffer; burnedIn: string } {
  const dir = mkdtempSync(path.join(work, "raw-"));
  const dump = execFileSync("dcmdump", ["+W", dir, file], { encoding: "utf8" });
  const raw = /\(7fe0,0010\) \w\w =(\S+)/.exec(dump)?.[1];
  if (!raw) throw new Error("dcmdump wrote no pixel data");
  return { pixels: readFileSync(raw), burnedIn: /\(0028,0301\) CS \[([^\]]*)\]/.exec(dump)?.[1] ?? "" };
}

const inside = (rects: FrameRect[], frame: number, x: number, y: number) =>
  rects.some((r) => r.frame === frame && x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);

describe("redaction of burned-in text", () => {
  it("sets each rectangle of a signed 16-bit CT slice to the slice's minimum and leaves every other pixel", () => {
    const source = readFileSync(path.join(CORPUS, "syntax/ct1-explicit-le.dcm"));
    const rects = [
      { frame: 0, x: 10, y: 20, width: 100, height: 30 },
      { frame: 0, x: 500, y: 500, width: 40, height: 40 }, // runs past the edge: clipped
    ];
    const out = path.join(work, "ct-redacted.dcm");
    writeFileSync(out, redactPixels(source, rects));
    const before = readWithDcmtk(path.join(CORPUS, "syntax/ct1-explicit-le.dcm")).pixels;
    const after = readWithDcmtk(out);
    expect(after.burnedIn).toBe("NO");
    let min = Infinity;
    for (let i = 0; i < before.length / 2; i++) min = Math.min(min, before.readInt16LE(2 * i));
    let blacked = 0;
    for (let y = 0; y < 512; y++)
      for (let x = 0; x < 512; x++) {
        const i = 2 * (y * 512 + x);
        if (inside(rects, 0, x, y)) {
          expect(after.pixels.readInt16LE(i)).toBe(min);
          blacked++;
        } else expect(after.pixels.readInt16LE(i)).toBe(before.readInt16LE(i));
      }
    expect(blacked).toBe(100 * 30 + 12 * 12);
  });

  it("blacks out rectangles of chosen frames of an RGB ultrasound decoded from JPEG, and no other frame", async () => {
    const decoded = await toExplicitLittleEndian(readFileSync(path.join(CORPUS, "multiframe/us-30f-jpeg-ybr.dcm")));
    const decodedFile = path.join(work, "us-decoded.dcm");
    writeFileSync(decodedFile, decoded);
    const rects = [
      { frame: 0, x: 0, y: 0, width: 120, height: 16 },
      { frame: 29, x: 200, y: 220, width: 30, height: 10 },
    ];
    const out = path.join(work, "us-redacted.dcm");
    writeFileSync(out, redactPixels(decoded, rects));
    const before = readWithDcmtk(decodedFile).pixels;
    const after = readWithDcmtk(out);
    expect(after.burnedIn).toBe("NO");
    const [rows, columns, frames] = [240, 320, 30];
    let changed = 0;
    for (let frame = 0; frame < frames; frame++)
      for (let y = 0; y < rows; y++)
        for (let x = 0; x < columns; x++) {
          const i = 3 * (frame * rows * columns + y * columns + x);
          const pixel = [...after.pixels.subarray(i, i + 3)];
          if (inside(rects, frame, x, y)) {
            expect(pixel).toEqual([0, 0, 0]);
            changed++;
          } else if (!before.subarray(i, i + 3).equals(after.pixels.subarray(i, i + 3))) throw new Error(`pixel ${frame}/${x},${y} changed`);
        }
    expect(changed).toBe(120 * 16 + 30 * 10);
  });

  it("refuses what it cannot redact: compressed pixels and frames that do not exist", () => {
    expect(() => redactPixels(readFileSync(path.join(CORPUS, "syntax/ct1-jpegls-lossless.dcm")), [])).toThrow(RedactionError);
    expect(() => redactPixels(readFileSync(path.join(CORPUS, "syntax/ct1-explicit-le.dcm")), [{ frame: 1, x: 0, y: 0, width: 1, height: 1 }])).toThrow(
      RedactionError,
    );
  });
});
