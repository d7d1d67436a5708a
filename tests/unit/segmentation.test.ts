import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseInstance } from "~/features/imaging/viewer/dicom-image";
import {
  cielabToRgb,
  coverageOnGrid,
  DEFAULT_PALETTE,
  frameCoverage,
  framesOnSlice,
  paintLayers,
  sameGrid,
  SEGMENTATION_STORAGE,
  sourceSeriesOf,
} from "~/features/imaging/viewer/segmentation";
import { ds, grayscaleImage, part10, pixelData, sequence, text, us } from "../support/dicom-images";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");

const segment = (number: number, label: string, lab?: number[]) => [
  us("00620004", number),
  text("00620005", "LO", label),
  ...(lab ? [us("0062000d", ...lab)] : []),
];
const frameGroups = (segmentNumber: number, source: { uid: string; frame?: number } | null, position: string) => [
  ...(source
    ? [
        sequence("00089124", [
          sequence("00082112", [text("00081155", "UI", source.uid), ...(source.frame ? [text("00081160", "IS", String(source.frame))] : [])]),
        ]),
      ]
    : []),
  sequence("00209113", [ds("00200032", position)]),
  sequence("0062000a", [us("0062000b", segmentNumber)]),
];
const shared = sequence("52009229", [sequence("00209116", [ds("00200037", "1\\0\\0\\0\\1\\0")]), sequence("00289110", [ds("00280030", "0.5\\0.5")])]);

/** Two 2×5 frames, bit-packed: frame 1 sets pixels 0 and 9, frame 2 (starting at bit 10, inside the second byte) pixels 1 and 5. */
function binarySeg(options: { sources: boolean }) {
  const bits = [0, 9, 11, 15];
  const bytes = new Uint8Array(3);
  for (const bit of bits) bytes[bit >> 3] |= 1 << (bit & 7);
  return parseInstance(
    part10(
      grayscaleImage(
        { rows: 2, columns: 5, frames: 2, bitsAllocated: 1 },
        text("00080016", "UI", SEGMENTATION_STORAGE),
        text("00200052", "UI", "1.2.3.4"),
        text("00620001", "CS", "BINARY"),
        sequence("00620002", segment(1, "Liver", [41661, 41167, 40792]), segment(2, "Lesion")),
        shared,
        sequence(
          "52009230",
          frameGroups(1, options.sources ? { uid: "1.2.3.10" } : null, "0\\0\\-10"),
          frameGroups(2, options.sources ? { uid: "1.2.3.11", frame: 2 } : null, "0\\0\\-9"),
        ),
        pixelData(bytes, "OB"),
      ),
    ),
  );
}

/** An axial image of 1 mm pixels whose first pixel's centre is the origin. */
const axialImage = (rows: number, columns: number) => ({
  frameOfReferenceUid: "1",
  position: [0, 0, 0],
  rowDirection: [1, 0, 0],
  columnDirection: [0, 1, 0],
  rows,
  columns,
  spacing: [1, 1] as [number, number],
});

describe("DICOM segmentation", () => {
  it("reads the segments with their labels, the recommended colour as sRGB and a palette colour where none is given", () => {
    const seg = binarySeg({ sources: true }).segmentation!;
    expect(seg.fractional).toBe(false);
    expect(seg.segments.map((s) => s.label)).toEqual(["Liver", "Lesion"]);
    // 3D Slicer's liver colour, (221, 130, 101), is what the corpus SEG recommends as CIELab.
    for (const [shown, expected] of seg.segments[0].color.map((c, i) => [c, [221, 130, 101][i]])) expect(Math.abs(shown - expected)).toBeLessThanOrEqual(2);
    expect(seg.segments[1].color).toEqual(DEFAULT_PALETTE[1]);
  });

  it("converts CIELab white, black and a saturated red to sRGB", () => {
    expect(cielabToRgb([65535, 32896, 32896])).toEqual([255, 255, 255]);
    expect(cielabToRgb([0, 32896, 32896])).toEqual([0, 0, 0]);
    // sRGB red is L* 53.24, a* 80.09, b* 67.20.
    const red = cielabToRgb([(53.24 / 100) * 65535, ((80.09 + 128) / 255) * 65535, ((67.2 + 128) / 255) * 65535]);
    expect(red.map((c, i) => Math.abs(c - [255, 0, 0][i]) <= 2)).toEqual([true, true, true]);
  });

  it("unpacks each bit-packed frame, the second starting inside a byte, and knows which segment and source image it is", () => {
    const parsed = binarySeg({ sources: true });
    const seg = parsed.segmentation!;
    expect(seg.frames.map((f) => [f.segment, f.source])).toEqual([
      [1, { uid: "1.2.3.10", frame: 0 }],
      [2, { uid: "1.2.3.11", frame: 1 }],
    ]);
    expect([...frameCoverage(seg, parsed.pixelModule, 0, parsed.bytes)]).toEqual([255, 0, 0, 0, 0, 0, 0, 0, 0, 255]);
    expect([...frameCoverage(seg, parsed.pixelModule, 1, parsed.bytes)]).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0]);
    expect(seg.referencedUids).toEqual(["1.2.3.10", "1.2.3.11"]);
  });

  it("maps frames to source slices by the image they were derived from, or by position when they do not say", () => {
    const byReference = binarySeg({ sources: true }).segmentation!;
    expect(framesOnSlice(byReference, { uid: "1.2.3.10", frame: 0 }, null)).toEqual([0]);
    expect(framesOnSlice(byReference, { uid: "1.2.3.11", frame: 0 }, null)).toEqual([]);
    expect(framesOnSlice(byReference, { uid: "1.2.3.11", frame: 1 }, null)).toEqual([1]);

    const byPosition = binarySeg({ sources: false }).segmentation!;
    const plane = (z: number, frameOfReferenceUid = "1.2.3.4") => ({
      frameOfReferenceUid,
      position: [5, 7, z],
      rowDirection: [1, 0, 0],
      columnDirection: [0, 1, 0],
      rows: 2,
      columns: 5,
      spacing: [0.5, 0.5] as [number, number],
    });
    expect(framesOnSlice(byPosition, { uid: "any", frame: 0 }, plane(-9.001))).toEqual([1]);
    expect(framesOnSlice(byPosition, { uid: "any", frame: 0 }, plane(-9.5))).toEqual([]);
    expect(framesOnSlice(byPosition, { uid: "any", frame: 0 }, plane(-10, "9.9"))).toEqual([]);
  });

  it("scales FRACTIONAL frames by their maximum value", () => {
    const parsed = parseInstance(
      part10(
        grayscaleImage(
          { rows: 1, columns: 4, bitsAllocated: 8 },
          text("00080016", "UI", SEGMENTATION_STORAGE),
          text("00620001", "CS", "FRACTIONAL"),
          us("0062000e", 100),
          sequence("00620002", segment(3, "Tumour")),
          pixelData(Uint8Array.from([0, 50, 100, 200]), "OB"),
        ),
      ),
    );
    const seg = parsed.segmentation!;
    expect(seg.fractional).toBe(true);
    expect(seg.frames[0].segment).toBe(3);
    expect([...frameCoverage(seg, parsed.pixelModule, 0, parsed.bytes)]).toEqual([0, 128, 255, 255]);
  });

  it("is null for an image that is not a segmentation", () => {
    expect(parseInstance(part10(grayscaleImage({ rows: 1, columns: 1 }, pixelData(Uint8Array.from([0, 0]))))).segmentation).toBeNull();
  });

  it("attaches to the series holding most of the images it names", () => {
    const seg = binarySeg({ sources: true }).segmentation!;
    expect(
      sourceSeriesOf(seg, [
        { id: "other", uids: ["1.2.3.99"] },
        { id: "partly", uids: ["1.2.3.10"] },
        { id: "ct", uids: ["1.2.3.10", "1.2.3.11"] },
      ]),
    ).toBe("ct");
    expect(sourceSeriesOf(seg, [{ id: "other", uids: ["1.2.3.99"] }])).toBeNull();
  });

  it("paints each covered pixel in its segment's colour, the later segment over the earlier, and leaves the rest transparent", () => {
    const painted = paintLayers(
      [
        { coverage: Uint8Array.from([255, 255, 0]), color: [10, 20, 30] },
        { coverage: Uint8Array.from([0, 128, 0]), color: [200, 100, 50] },
      ],
      3,
    );
    expect([...painted]).toEqual([10, 20, 30, 255, 200, 100, 50, 255, 0, 0, 0, 0]);
  });

  it("reads the corpus liver SEG: one segment, Liver, three frames each derived from one CT slice", () => {
    const parsed = parseInstance(new Uint8Array(readFileSync(path.join(CORPUS, "ct-series/liver-seg.dcm"))));
    const seg = parsed.segmentation!;
    expect(seg.segments.map((s) => s.label)).toEqual(["Liver"]);
    expect(seg.frames).toHaveLength(3);
    expect(new Set(seg.frames.map((f) => f.source?.uid)).size).toBe(3);
    expect(seg.frames.every((f) => f.plane?.frameOfReferenceUid && f.plane.rows === 512)).toBe(true);
    const covered = [0, 1, 2].map((frame) => frameCoverage(seg, parsed.pixelModule, frame, parsed.bytes).filter((v) => v === 255).length);
    expect(covered.every((count) => count > 1000)).toBe(true);
  });
  it("places a frame made on a coarser grid, offset from the image, where its pixels lie on the image's grid", () => {
    const image = axialImage(4, 6);
    // Two by two pixels of 2 mm, starting one image pixel right of and one down from the image's first pixel (their centres).
    const seg = { ...image, position: [1.5, 1.5, 0], rows: 2, columns: 2, spacing: [2, 2] as [number, number] };
    expect(sameGrid(image, { ...image })).toBe(true);
    expect(sameGrid(image, seg)).toBe(false);
    expect(sameGrid(image, { ...image, position: [0.5, 0, 0] })).toBe(false);
    const placed = coverageOnGrid(Uint8Array.from([255, 0, 0, 128]), seg, image);
    // Each image pixel takes the SEG pixel whose 2 mm square holds its centre; outside the SEG nothing is covered.
    expect([...Array(4)].map((_, r) => [...placed.slice(r * 6, r * 6 + 6)])).toEqual([
      [0, 0, 0, 0, 0, 0],
      [0, 255, 255, 0, 0, 0],
      [0, 255, 255, 0, 0, 0],
      [0, 0, 0, 128, 128, 0],
    ]);
  });

  it("places a frame whose rows run the other way (a flipped grid) by patient position, not by pixel index", () => {
    const image = axialImage(2, 3);
    const flipped = { ...image, position: [0, 1, 0], columnDirection: [0, -1, 0] };
    // The flipped grid's first row is the image's second.
    expect([...coverageOnGrid(Uint8Array.from([1, 2, 3, 4, 5, 6]), flipped, image)]).toEqual([4, 5, 6, 1, 2, 3]);
  });
});
