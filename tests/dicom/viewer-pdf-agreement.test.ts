/**
 * The viewer and the opinion PDF's key images must show a frame alike. Given the
 * same bytes (the stored instance decoded to Explicit VR Little Endian), for
 * every frame of every image in the corpus the PDF's pixels must be exactly the
 * viewer's image (stored values, rescale, window, invert) drawn; and for an
 * enhanced CT the values must be the ones dcmtk finds in its functional groups.
 * (The viewer receives colour JPEG baseline as stored and the browser decodes
 * it; `tests/e2e/viewer.spec.ts` compares what it draws with dcmtk's rendering.)
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { find, parsePart10, tagOf, writePart10, type Dataset } from "~/features/imaging/dicom/part10";
import { prepareInstance } from "~/features/imaging/dicom/prepare-instance";
import { toExplicitLittleEndian } from "~/features/imaging/dicom/transcode";
import { dicomFrameRaster } from "~/features/imaging/key-images/key-image-raster";
import { frameImage, parseInstance } from "~/features/imaging/viewer/dicom-image";
import { drawViewerImage, ds, sequence, text } from "../support/dicom-images";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const ctx = { caseCode: "TB-2026-0042", uidSecret: "case-secret", dateShiftDays: -100 };
const AS_STORED = { windowCenter: null, windowWidth: null, invert: false };

const IMAGES = [
  "charset/chrX1.dcm",
  "ct-series/ct-3slice-01.dcm",
  "ct-series/liver-seg.dcm",
  "ct-series-tiny/CT5N-2062.dcm",
  "deid/dwv-test-anonymise.dcm",
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
  "pathology/openslide-boxes_0.dcm",
  "pathology/tcga-he-tile-jpeg-rgb.dcm",
  "pathology/sm-wsi-tiled-synthetic.dcm",
];

/** What both paths receive for a corpus file: de-identified as on arrival, then decoded as for WADO-RS and the PDF's rendition. */
async function servedBytes(file: string): Promise<Uint8Array> {
  const stored = prepareInstance(readFileSync(path.join(CORPUS, file)), ctx);
  if (!stored.ok) throw new Error(`${file} was rejected: ${stored.reason}`);
  return toExplicitLittleEndian(stored.bytes);
}

const differingPixels = (a: Uint8Array, b: Uint8Array) => (a.length !== b.length ? Infinity : a.reduce((n, v, i) => n + (v !== b[i] ? 1 : 0), 0));

/** A decimal attribute wherever dcmdump finds it in the file, with the path it prints (e.g. "(5200,9229).(0028,9132).(0028,1050)"). */
function dcmdumpDecimals(file: string, attribute: string): { path: string; value: number }[] {
  return execFileSync("dcmdump", ["+p", "+P", attribute, file], { encoding: "utf8" })
    .split("\n")
    .flatMap((line) => {
      const found = /^(\S+) DS \[([^\]\\]*)/.exec(line);
      return found ? [{ path: found[1], value: Number(found[2]) }] : [];
    });
}

describe("the viewer and the PDF draw a frame alike", () => {
  it.each(IMAGES)("%s: the PDF's pixels for every frame are the viewer's image drawn", async (file) => {
    const bytes = await servedBytes(file);
    const instance = parseInstance(bytes);
    for (let frame = 0; frame < instance.pixelModule.numberOfFrames; frame++) {
      const viewer = frameImage(`${file}#${frame}`, instance, frame);
      const pdf = dicomFrameRaster(bytes, frame, AS_STORED);
      expect([pdf.width, pdf.height, pdf.channels], `frame ${frame}`).toEqual([viewer.columns, viewer.rows, viewer.color ? 3 : 1]);
      expect(differingPixels(pdf.pixels, drawViewerImage(viewer)), `frame ${frame}`).toBe(0);
    }
  });

  it("an enhanced CT as stored: both take rescale, window and spacing from its shared functional groups, as dcmdump finds them there", async () => {
    const file = "multiframe/enhanced-ct-2f-explicit-le.dcm";
    const shared = (attribute: string, macro: string) => {
      const found = dcmdumpDecimals(path.join(CORPUS, file), attribute);
      expect(found.map((f) => f.path)).toEqual([`(5200,9229).(${macro}).(${attribute})`]);
      return found[0].value;
    };
    const expected = {
      slope: shared("0028,1053", "0028,9145"),
      intercept: shared("0028,1052", "0028,9145"),
      windowCenter: shared("0028,1050", "0028,9132"),
      windowWidth: shared("0028,1051", "0028,9132"),
    };
    expect(expected).toEqual({ slope: 1, intercept: -1024, windowCenter: 49, windowWidth: 102 });
    const bytes = await servedBytes(file);
    const instance = parseInstance(bytes);
    for (const frame of [0, 1]) {
      const viewer = frameImage(`${file}#${frame}`, instance, frame);
      expect(viewer).toMatchObject({ ...expected, rowPixelSpacing: 0.388672, columnPixelSpacing: 0.388672 });
      const pdf = dicomFrameRaster(bytes, frame, AS_STORED);
      expect(
        differingPixels(
          pdf.pixels,
          dicomFrameRaster(bytes, frame, { ...AS_STORED, windowCenter: viewer.windowCenter, windowWidth: viewer.windowWidth }).pixels,
        ),
      ).toBe(0);
    }
  });

  it("an enhanced CT whose frames carry their own rescale and window: each frame is drawn with its own by both, not the shared or top-level ones", async () => {
    const file = parsePart10(await servedBytes("multiframe/enhanced-ct-2f-explicit-le.dcm"), dictionaryVr);
    const perFrame = find(file.dataset, tagOf(0x5200, 0x9230))!.items!;
    const own = [
      { slope: 2, intercept: -2048, windowCenter: 40, windowWidth: 400 },
      { slope: 1, intercept: -1000, windowCenter: 300, windowWidth: 1500 },
    ];
    own.forEach((values, frame) => {
      perFrame[frame].push(
        sequence("00289145", [ds("00281052", String(values.intercept)), ds("00281053", String(values.slope)), text("00281054", "LO", "HU")]),
        sequence("00289132", [ds("00281050", String(values.windowCenter)), ds("00281051", String(values.windowWidth))]),
      );
    });
    const topLevel: Dataset = [ds("00281050", "0"), ds("00281051", "10"), ds("00281052", "0"), ds("00281053", "1")];
    const bytes = writePart10({ ...file, dataset: [...file.dataset, ...topLevel] });

    const instance = parseInstance(bytes);
    const drawn = own.map((values, frame) => {
      const viewer = frameImage(`enhanced#${frame}`, instance, frame);
      expect(viewer, `frame ${frame}`).toMatchObject(values);
      const pdf = dicomFrameRaster(bytes, frame, AS_STORED).pixels;
      expect(differingPixels(pdf, drawViewerImage(viewer)), `frame ${frame}`).toBe(0);
      return { viewer, pdf };
    });
    // The check can tell the frames' values apart: frame 0 drawn with frame 1's rescale and window is a different picture.
    const withOtherValues = drawViewerImage({ ...drawn[0].viewer, ...own[1] });
    expect(differingPixels(drawn[0].pdf, withOtherValues)).toBeGreaterThan(drawn[0].pdf.length / 10);
  });
});
