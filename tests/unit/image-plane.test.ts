import { describe, expect, it } from "vitest";
import { parallelPlanes, referenceMark, type ImagePlane } from "~/features/imaging/viewer/image-plane";

/** A 100×100 image of 1 mm pixels in frame of reference "F". */
const plane = (position: number[], rowDirection: number[], columnDirection: number[], extra: Partial<ImagePlane> = {}): ImagePlane => ({
  frameOfReferenceUid: "F",
  position,
  rowDirection,
  columnDirection,
  rows: 100,
  columns: 100,
  spacing: [1, 1],
  ...extra,
});

// Axial at z = 0 covering x, y in 0..99; sagittal at x = 30 covering y in 0..99 and z from 50 down to -49; coronal at y = 70.
const axial = plane([0, 0, 0], [1, 0, 0], [0, 1, 0]);
const sagittal = plane([30, 0, 50], [0, 1, 0], [0, 0, -1]);
const coronal = plane([0, 70, 50], [1, 0, 0], [0, 0, -1]);

const rounded = (mark: ReturnType<typeof referenceMark>) =>
  mark?.kind === "line"
    ? {
        from: { x: Math.round(mark.from.x * 100) / 100, y: Math.round(mark.from.y * 100) / 100 },
        to: { x: Math.round(mark.to.x * 100) / 100, y: Math.round(mark.to.y * 100) / 100 },
      }
    : mark;

const sameLine = (mark: ReturnType<typeof referenceMark>, a: { x: number; y: number }, b: { x: number; y: number }) => {
  const line = rounded(mark) as { from: { x: number; y: number }; to: { x: number; y: number } };
  expect([line.from, line.to].sort((p, q) => p.x - q.x || p.y - q.y)).toEqual([a, b].sort((p, q) => p.x - q.x || p.y - q.y));
};

describe("reference lines", () => {
  it("draws a sagittal slice on an axial image as a vertical line at its x, across the whole image", () => {
    // x = 30 mm is the centre of column 30, 30.5 in cornerstone's pixels.
    sameLine(referenceMark(axial, sagittal), { x: 30.5, y: 0 }, { x: 30.5, y: 100 });
  });

  it("draws an axial slice on a sagittal image as a horizontal line at its z", () => {
    // z = 0 lies 50 rows below the sagittal's first row (z = 50).
    sameLine(referenceMark(sagittal, axial), { x: 0, y: 50.5 }, { x: 100, y: 50.5 });
  });

  it("draws a coronal slice on an axial image as a horizontal line at its y, and clips it to the shown image", () => {
    sameLine(referenceMark(axial, coronal), { x: 0, y: 70.5 }, { x: 100, y: 70.5 });
    const narrowCoronal = { ...coronal, columns: 40 };
    // The coronal image covers x from -0.5 to 39.5 mm only.
    sameLine(referenceMark(axial, narrowCoronal), { x: 0, y: 70.5 }, { x: 40, y: 70.5 });
  });

  it("draws an oblique plane as a diagonal line", () => {
    const s = Math.SQRT1_2;
    const oblique = plane([0, 0, 50], [s, s, 0], [0, 0, -1], { columns: 400 });
    // The plane x = y crosses the axial image along its diagonal, from where the oblique image begins: its first pixel's
    // edge, half a millimetre along the diagonal before the origin (x = y = -0.354 mm, 0.146 in the axial's pixels).
    sameLine(referenceMark(axial, oblique), { x: 0.15, y: 0.15 }, { x: 100, y: 100 });
  });

  it("gives the distance between parallel planes instead of a line", () => {
    expect(referenceMark(axial, plane([0, 0, -12.5], [1, 0, 0], [0, 1, 0]))).toEqual({ kind: "parallel", distance: -12.5 });
  });

  it("draws nothing for another frame of reference, or when the other image does not reach the shown one", () => {
    expect(referenceMark(axial, { ...sagittal, frameOfReferenceUid: "G" })).toBeNull();
    expect(referenceMark({ ...axial, frameOfReferenceUid: null }, { ...sagittal, frameOfReferenceUid: null })).toBeNull();
    expect(referenceMark(axial, { ...sagittal, position: [500, 0, 50] })).toBeNull();
    // A sagittal image covering z from 200 to 101 does not reach z = 0.
    expect(referenceMark(axial, { ...sagittal, position: [30, 0, 200] })).toBeNull();
  });

  it("tells parallel slices, which link by position, from crossing ones, whatever their frame of reference", () => {
    expect(parallelPlanes(axial, { ...axial, position: [3, 4, 90], frameOfReferenceUid: "prior" })).toBe(true);
    expect(parallelPlanes(axial, { ...axial, rowDirection: [-1, 0, 0], columnDirection: [0, 1, 0] })).toBe(true);
    expect(parallelPlanes(axial, sagittal)).toBe(false);
  });
});
