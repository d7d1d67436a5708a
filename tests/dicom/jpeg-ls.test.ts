/**
 * The viewer's JPEG-LS lossless path checked against dcmtk: what the server codes (`toJpegLs`, CharLS) must
 * decode with dcmdjpls to the stored values of the instance it was made from, and the browser's decoder
 * (`decodeJpegLs` through `parseInstance`) must give those same values, from our codestreams and from dcmtk's own.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { frameStoredValues } from "~/features/imaging/dicom/pixel-module";
import { prepareInstance } from "~/features/imaging/dicom/prepare-instance";
import { parsePart10, tagOf, TS, writePart10 } from "~/features/imaging/dicom/part10";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { decodeJpegLs, JpegLsError } from "~/features/imaging/dicom/jpeg-ls";
import { nearLosslessError, toExplicitLittleEndian, toJpegLs } from "~/features/imaging/dicom/transcode";
import { parseInstance } from "~/features/imaging/viewer/dicom-image";
import { referenceDecode } from "../support/reference-decoder";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const out = mkdtempSync(path.join(os.tmpdir(), "tb-jpegls-"));
const ctx = { caseCode: "TB-2026-0042", uidSecret: "case-secret", dateShiftDays: -100 };

/** Every frame's stored values as the shared pixel-module reader gives them (masked to Bits Stored, sign-extended). */
function storedValues(bytes: Uint8Array): number[][] {
  const parsed = parseInstance(bytes);
  return parsed.pixelModule.frames.map((frame) => Array.from(frameStoredValues(parsed.pixelModule, frame, parsed.bytes)));
}

async function decodedStored(file: string): Promise<Uint8Array> {
  const stored = prepareInstance(readFileSync(path.join(CORPUS, file)), ctx);
  if (!stored.ok) throw new Error(`${file} was rejected: ${stored.reason}`);
  return toExplicitLittleEndian(stored.bytes);
}

const GRAYSCALE = [
  "ct-series/ct-3slice-01.dcm",
  "syntax/ct1-jpegls-lossless.dcm",
  "syntax/deflate-image.dcm",
  "syntax/mr-j2k-lossless.dcm",
  "syntax/mr1-jpeg-extended-lossy.dcm",
  "multiframe/enhanced-ct-2f-rle.dcm",
];

describe("JPEG-LS lossless renditions", () => {
  it.each(GRAYSCALE)("%s: dcmtk and the viewer's decoder both give back every stored value", async (file) => {
    const native = await decodedStored(file);
    const coded = await toJpegLs(native);
    if (!coded) throw new Error("not coded");
    const name = path.join(out, path.basename(file));
    writeFileSync(`${name}.jls.dcm`, coded);
    expect(execFileSync("dcmdump", ["-q", "+P", "0002,0010", `${name}.jls.dcm`], { encoding: "utf8" })).toContain("JPEGLSLossless");
    referenceDecode(TS.jpegLsLossless, `${name}.jls.dcm`, `${name}.dcmtk.dcm`);

    const original = storedValues(native);
    expect(storedValues(new Uint8Array(readFileSync(`${name}.dcmtk.dcm`)))).toEqual(original);
    expect(storedValues(coded)).toEqual(original);
  });

  it("16 bits allocated with 8 stored: every value comes back", async () => {
    const file = parsePart10(await decodedStored("syntax/ct1-explicit-le.dcm"), dictionaryVr);
    const us = (value: number) => new Uint8Array(new Uint16Array([value]).buffer);
    const changed: Record<number, Uint8Array> = { [tagOf(0x0028, 0x0101)]: us(8), [tagOf(0x0028, 0x0102)]: us(7), [tagOf(0x0028, 0x0103)]: us(0) };
    const dataset = file.dataset.map((e) => {
      if (e.tag === tagOf(0x7fe0, 0x0010))
        return { ...e, value: new Uint8Array(new Uint16Array(new Uint16Array(e.value!.slice().buffer).map((v) => v & 0xff)).buffer) };
      return changed[e.tag] ? { ...e, value: changed[e.tag] } : e;
    });
    const native = writePart10({ ...file, dataset });
    const coded = (await toJpegLs(native))!;
    writeFileSync(path.join(out, "eight-in-sixteen.dcm"), coded);
    referenceDecode(TS.jpegLsLossless, path.join(out, "eight-in-sixteen.dcm"), path.join(out, "eight-in-sixteen.dcmtk.dcm"));
    const original = storedValues(native);
    expect(new Set(original[0]).size).toBeGreaterThan(100);
    expect(storedValues(new Uint8Array(readFileSync(path.join(out, "eight-in-sixteen.dcmtk.dcm"))))).toEqual(original);
    expect(storedValues(coded)).toEqual(original);
  });

  it("the viewer's decoder reads dcmtk's JPEG-LS as dcmtk does", () => {
    const source = path.join(CORPUS, "ct-series/ct-3slice-02.dcm");
    execFileSync("dcmcjpls", ["+el", source, path.join(out, "dcmtk-coded.dcm")]);
    execFileSync("dcmdjpls", [path.join(out, "dcmtk-coded.dcm"), path.join(out, "dcmtk-decoded.dcm")]);
    execFileSync("dcmconv", ["+te", path.join(out, "dcmtk-decoded.dcm"), path.join(out, "dcmtk-decoded-le.dcm")]);
    expect(storedValues(new Uint8Array(readFileSync(path.join(out, "dcmtk-coded.dcm"))))).toEqual(
      storedValues(new Uint8Array(readFileSync(path.join(out, "dcmtk-decoded-le.dcm")))),
    );
  });

  it("sends a CT slice in well under half the bytes of its native pixels", async () => {
    const native = await decodedStored("ct-series/ct-3slice-01.dcm");
    const coded = await toJpegLs(native);
    expect(coded!.length).toBeLessThan(native.length * 0.45);
  });

  it("leaves colour instances to Explicit VR Little Endian", async () => {
    expect(await toJpegLs(await decodedStored("syntax/sc-rgb-jpeg-baseline.dcm"))).toBeNull();
  });

  it("refuses what it cannot read instead of drawing garbage", async () => {
    const coded = (await toJpegLs(await decodedStored("syntax/ct1-explicit-le.dcm")))!;
    const codestream = coded.subarray(Buffer.from(coded).indexOf(Buffer.from([0xff, 0xd8, 0xff, 0xf7])));
    expect(() => decodeJpegLs(codestream.subarray(0, 200))).toThrow(JpegLsError);
    expect(() => decodeJpegLs(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))).toThrow(JpegLsError);
  });
});

describe("JPEG-LS near-lossless first passes", () => {
  const maxDifference = (a: number[][], b: number[][]) => a.reduce((most, frame, f) => frame.reduce((m, v, i) => Math.max(m, Math.abs(v - b[f][i])), most), 0);

  it.each(GRAYSCALE)("%s: dcmtk and the viewer's decoder give the same values, each within the promised error", async (file) => {
    const native = await decodedStored(file);
    const coded = await toJpegLs(native, { nearLossless: true });
    if (!coded) throw new Error("not coded");
    const name = path.join(out, `near-${path.basename(file)}`);
    writeFileSync(`${name}.jls.dcm`, coded);
    const dump = execFileSync("dcmdump", ["-q", "+P", "0002,0010", "+P", "0028,2110", "+P", "0028,2114", `${name}.jls.dcm`], { encoding: "utf8" });
    expect(dump).toContain("JPEGLSLossy");
    expect(dump).toContain("[01]");
    expect(dump).toContain("[ISO_14495_1]");
    referenceDecode(TS.jpegLsNearLossless, `${name}.jls.dcm`, `${name}.dcmtk.dcm`);

    const original = storedValues(native);
    const byDcmtk = storedValues(new Uint8Array(readFileSync(`${name}.dcmtk.dcm`)));
    expect(storedValues(coded)).toEqual(byDcmtk);
    const bitsStored = parseInstance(native).pixelModule.bitsStored;
    expect(maxDifference(byDcmtk, original)).toBeLessThanOrEqual(nearLosslessError(bitsStored));
    expect(parseInstance(coded).firstPass).toBe(true);
  });

  it("sends a CT slice in well under the bytes of its lossless form, with some values changed", async () => {
    const native = await decodedStored("ct-series/ct-3slice-01.dcm");
    const lossless = (await toJpegLs(native))!;
    const near = (await toJpegLs(native, { nearLossless: true }))!;
    expect(near.length).toBeLessThan(lossless.length * 0.7);
    expect(maxDifference(storedValues(near), storedValues(native))).toBeGreaterThan(0);
  });

  it("is not made of signed values at the sign boundary, where an error would turn the lowest value into the highest", async () => {
    const file = parsePart10(await decodedStored("ct-series/ct-3slice-01.dcm"), dictionaryVr);
    const dataset = file.dataset.map((e) => {
      if (e.tag !== tagOf(0x7fe0, 0x0010)) return e;
      const pixels = new Int16Array(e.value!.slice().buffer);
      pixels[0] = -32768;
      return { ...e, value: new Uint8Array(pixels.buffer) };
    });
    const native = writePart10({ ...file, dataset });
    expect(await toJpegLs(native, { nearLossless: true })).toBeNull();
    expect(await toJpegLs(native)).not.toBeNull();
  });

  it("the viewer's decoder reads dcmtk's near-lossless JPEG-LS as dcmtk does", () => {
    const source = path.join(CORPUS, "syntax/mr1-jpeg-extended-lossy.dcm");
    execFileSync("dcmdjpeg", [source, path.join(out, "mr-native.dcm")]);
    execFileSync("dcmcjpls", ["--encode-nearlossless", "--max-deviation", "3", path.join(out, "mr-native.dcm"), path.join(out, "mr-near.dcm")]);
    execFileSync("dcmdjpls", [path.join(out, "mr-near.dcm"), path.join(out, "mr-near-decoded.dcm")]);
    const byDcmtk = storedValues(new Uint8Array(readFileSync(path.join(out, "mr-near-decoded.dcm"))));
    expect(storedValues(new Uint8Array(readFileSync(path.join(out, "mr-near.dcm"))))).toEqual(byDcmtk);
    expect(maxDifference(byDcmtk, storedValues(new Uint8Array(readFileSync(path.join(out, "mr-native.dcm")))))).toBeLessThanOrEqual(3);
  });
});
