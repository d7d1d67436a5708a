/**
 * Decoding checked against tools we did not write: every image file of the
 * corpus, de-identified as on arrival and then decoded to Explicit VR Little
 * Endian, must carry exactly the pixels that dcmtk (or GDCM, for JPEG 2000,
 * which dcmtk cannot read) decodes from the original.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { prepareInstance } from "~/features/imaging/dicom/prepare-instance";
import { parsePart10, stringValue, tagOf, TS } from "~/features/imaging/dicom/part10";
import { toExplicitLittleEndian } from "~/features/imaging/dicom/transcode";
import { referenceDecode } from "../support/reference-decoder";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const out = mkdtempSync(path.join(os.tmpdir(), "tb-decode-"));
const ctx = {
  caseCode: "TB-2026-0042",
  uidSecret: "case-secret",
  dateShiftDays: -100,
};

const PIXEL_DATA = tagOf(0x7fe0, 0x0010);
const PHOTOMETRIC = tagOf(0x0028, 0x0004);

function pixelsAndPhotometric(bytes: Uint8Array) {
  const file = parsePart10(bytes, dictionaryVr);
  expect(file.transferSyntax).toBe(TS.explicitLE);
  const pixels = file.dataset.find((e) => e.tag === PIXEL_DATA);
  return {
    pixels: Buffer.from(pixels!.value!),
    photometric: stringValue(file.dataset, PHOTOMETRIC),
  };
}

const FILES = [
  "syntax/ct1-implicit-le.dcm",
  "syntax/ct1-explicit-le.dcm",
  "syntax/ct1-explicit-be.dcm",
  "syntax/deflate-image.dcm",
  "syntax/ct1-jpegls-lossless.dcm",
  "syntax/mr-j2k-lossless.dcm",
  "syntax/mr1-jpeg-extended-lossy.dcm",
  "syntax/sc-rgb-jpeg-baseline.dcm",
  "multiframe/enhanced-ct-2f-explicit-le.dcm",
  "multiframe/enhanced-ct-2f-rle.dcm",
  "multiframe/enhanced-ct-2f-jpegls-frag-nobot.dcm",
  "multiframe/us-30f-jpeg-ybr.dcm",
  "pathology/tcga-he-tile-jpeg-rgb.dcm",
  "pathology/tcga-he-tile-jpeg-rgb-app14.dcm",
  "pathology/sm-wsi-tiled-jpegls-synthetic.dcm",
];

describe("decoding stored instances to Explicit VR Little Endian", () => {
  it.each(FILES)("%s gives the pixels a reference decoder gives", async (file) => {
    const original = path.join(CORPUS, file);
    const stored = prepareInstance(readFileSync(original), ctx);
    if (!stored.ok) throw new Error(`${file} was rejected: ${stored.reason}`);
    const decoded = pixelsAndPhotometric(await toExplicitLittleEndian(stored.bytes));

    const reference = path.join(out, path.basename(file));
    referenceDecode(stored.transferSyntax, original, reference);
    const expected = pixelsAndPhotometric(readFileSync(reference));

    expect(decoded.pixels.length).toBe(expected.pixels.length);
    expect(decoded.photometric).toBe(expected.photometric);
    expect(decoded.pixels.equals(expected.pixels)).toBe(true);
  });

  it("reports a broken codestream as a decoding error instead of returning empty pixels", async () => {
    const stored = prepareInstance(readFileSync(path.join(CORPUS, "syntax/ct1-jpegls-lossless.dcm")), ctx);
    if (!stored.ok) throw new Error("rejected");
    const bytes = Buffer.from(stored.bytes);
    const marker = bytes.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
    bytes.fill(0x55, marker + 200, marker + 4000);
    await expect(toExplicitLittleEndian(bytes)).rejects.toThrow();
  });
});
