import { describe, expect, it } from "vitest";
import { angleInDegrees, ellipseStats, lengthInMm } from "~/features/imaging/viewer/measurements";
import {
  annotationsOnSlice,
  applyPreset,
  initialViewerState,
  readViewerState,
  resetView,
  rotateClockwise,
  sliceIndexOfNumber,
  sliceNumber,
  sliceOrder,
  stackSlices,
  stepSlice,
} from "~/features/imaging/viewer/viewer-state";

describe("viewer state", () => {
  it("round-trips through JSON and refuses anything that is not a state", () => {
    const state = {
      ...applyPreset(initialViewerState("s1"), "lung"),
      slice: 2,
      annotations: [{ kind: "length" as const, slice: 2, start: { x: 1, y: 2 }, end: { x: 3, y: 4 } }],
    };
    expect(readViewerState(JSON.stringify(state))).toEqual(state);
    expect(readViewerState("{not json")).toBeNull();
    expect(readViewerState({ ...state, zoom: -1 })).toBeNull();
    expect(readViewerState({ ...state, rotation: 45 })).toBeNull();
  });

  it("keeps the slice inside the stack, rotates in quarter turns and resets the view but not the slice", () => {
    const state = initialViewerState("s1");
    expect(stepSlice(state, -1, 3).slice).toBe(0);
    expect(stepSlice(stepSlice(state, 10, 3), 0, 3).slice).toBe(2);
    expect(rotateClockwise(rotateClockwise(rotateClockwise(rotateClockwise(state)))).rotation).toBe(0);
    const changed = { ...applyPreset(state, "bone"), slice: 2, zoom: 3, invert: true };
    expect(resetView(changed)).toMatchObject({ slice: 2, zoom: 1, invert: false, windowCenter: null });
  });

  it("measures in millimetres from row and column spacing", () => {
    expect(lengthInMm({ x: 0, y: 0 }, { x: 100, y: 0 }, [0.5, 0.8])).toBeCloseTo(80);
    expect(lengthInMm({ x: 0, y: 0 }, { x: 0, y: 100 }, [0.5, 0.8])).toBeCloseTo(50);
    expect(lengthInMm({ x: 0, y: 0 }, { x: 3, y: 4 }, null)).toBeNull();
  });

  it("measures angles in physical space, so non-square pixels change them", () => {
    expect(angleInDegrees({ x: 10, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 10 }, [1, 1])).toBeCloseTo(90);
    expect(angleInDegrees({ x: 10, y: 0 }, { x: 0, y: 0 }, { x: 10, y: 10 }, [1, 1])).toBeCloseTo(45);
    // Rows 2 mm apart, columns 1 mm: the diagonal pixel step is 63.4 degrees from the row, not 45.
    expect(angleInDegrees({ x: 10, y: 0 }, { x: 0, y: 0 }, { x: 10, y: 10 }, [2, 1])).toBeCloseTo(63.43, 1);
    expect(angleInDegrees({ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 1, y: 1 }, [1, 1])).toBeNull();
  });

  it("gives the mean, spread and area of an elliptical region in modality units", () => {
    const columns = 20;
    const rows = 20;
    const values = Array.from({ length: columns * rows }, (_, i) => (i % columns < 10 ? 1000 : 1100));
    // A circle of radius 4 around (5, 10) lies in the left half: every stored value 1000, HU = 1000 - 1024.
    const left = ellipseStats(values, { columns, rows, slope: 1, intercept: -1024 }, { x: 1, y: 6 }, { x: 9, y: 14 }, [0.5, 0.5])!;
    expect(left.mean).toBe(-24);
    expect(left.standardDeviation).toBe(0);
    expect(left.areaMm2).toBeCloseTo(Math.PI * 4 * 4 * 0.25);
    expect(left.pixels).toBeGreaterThan(40);
    // Straddling both halves: the mean lies between and the spread is no longer zero.
    const both = ellipseStats(values, { columns, rows, slope: 1, intercept: -1024 }, { x: 6, y: 6 }, { x: 14, y: 14 }, null)!;
    expect(both.mean).toBeCloseTo(26, 0);
    expect(both.standardDeviation).toBeGreaterThan(40);
    expect(both.areaMm2).toBeNull();
    expect(ellipseStats(values, { columns, rows, slope: 1, intercept: 0 }, { x: 3, y: 3 }, { x: 3, y: 9 }, null)).toBeNull();
  });

  it("orders slices along the normal of the image plane, falling back to instance numbers", () => {
    const axial = [1, 0, 0, 0, 1, 0];
    const slices = [
      { instanceNumber: 1, imagePosition: [0, 0, -126.7], imageOrientation: axial },
      { instanceNumber: 2, imagePosition: [0, 0, -127.7], imageOrientation: axial },
      { instanceNumber: 3, imagePosition: [0, 0, -128.7], imageOrientation: axial },
    ];
    expect(sliceOrder(slices).map((s) => s.instanceNumber)).toEqual([3, 2, 1]);
    const unknown = slices.map((s) => ({ ...s, imagePosition: null }));
    expect(sliceOrder([unknown[2], unknown[0], unknown[1]]).map((s) => s.instanceNumber)).toEqual([1, 2, 3]);
  });

  it("makes one slice per frame, in order, so a multi-frame instance fills several", () => {
    expect(
      stackSlices([
        { uid: "a", frames: 1 },
        { uid: "b", frames: 3 },
        { uid: "c", frames: 1 },
      ]),
    ).toEqual([
      { uid: "a", frame: 0 },
      { uid: "b", frame: 0 },
      { uid: "b", frame: 1 },
      { uid: "b", frame: 2 },
      { uid: "c", frame: 0 },
    ]);
  });

  it("numbers a slice by its place in the stack, not by its instance number, and draws only the annotations on it", () => {
    const stack = sliceOrder([
      { instanceNumber: 1, imagePosition: [0, 0, -126.69], imageOrientation: [1, 0, 0, 0, 1, 0] },
      { instanceNumber: 2, imagePosition: [0, 0, -127.69], imageOrientation: [1, 0, 0, 0, 1, 0] },
      { instanceNumber: 3, imagePosition: [0, 0, -128.69], imageOrientation: [1, 0, 0, 0, 1, 0] },
    ]);
    const index = stack.findIndex((s) => s.instanceNumber === 1);
    expect(sliceNumber(index)).toBe(3);
    expect(sliceIndexOfNumber(sliceNumber(index))).toBe(index);
    const here = { kind: "length" as const, slice: 2, start: { x: 1, y: 1 }, end: { x: 5, y: 1 } };
    const elsewhere = { ...here, slice: 0 };
    expect(annotationsOnSlice({ slice: 2, annotations: [elsewhere, here] })).toEqual([here]);
  });
});
