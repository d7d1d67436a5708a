import { describe, expect, it } from "vitest";
import { SWIPE_PIXELS_PER_SLICE, swipeSlices, twoFingerView } from "~/features/imaging/viewer/touch-gestures";
import { initialViewerState } from "~/features/imaging/viewer/viewer-state";

const state = { ...initialViewerState("s1"), slice: 5, windowCenter: 40, windowWidth: 400 };
const start = { zoom: 1, center: 40, width: 400 };

describe("touch gestures", () => {
  it("steps one slice per swipe distance, forward when the finger moves up, from the slice the swipe started on and within the stack", () => {
    const swipe = { at: { x: 100, y: 300 }, slice: 5 };
    expect(swipeSlices(state, swipe, { x: 100, y: 300 - SWIPE_PIXELS_PER_SLICE + 1 }, 10).slice).toBe(5);
    expect(swipeSlices(state, swipe, { x: 100, y: 300 - 2 * SWIPE_PIXELS_PER_SLICE }, 10).slice).toBe(7);
    expect(swipeSlices({ ...state, slice: 7 }, swipe, { x: 130, y: 300 + SWIPE_PIXELS_PER_SLICE }, 10).slice).toBe(4);
    expect(swipeSlices(state, swipe, { x: 100, y: 300 - 100 * SWIPE_PIXELS_PER_SLICE }, 10).slice).toBe(9);
    expect(swipeSlices(state, swipe, { x: 100, y: 300 + 100 * SWIPE_PIXELS_PER_SLICE }, 10).slice).toBe(0);
  });

  it("zooms by the fingers' spread and leaves the window alone when the fingers pinch about a fixed midpoint", () => {
    const pinched = twoFingerView(
      state,
      {
        ...start,
        fingers: [
          { x: 150, y: 200 },
          { x: 250, y: 200 },
        ],
      },
      [
        { x: 100, y: 200 },
        { x: 300, y: 200 },
      ],
    );
    expect(pinched.zoom).toBeCloseTo(2);
    expect([pinched.windowCenter, pinched.windowWidth]).toEqual([40, 400]);
    expect(
      twoFingerView(
        state,
        {
          ...start,
          fingers: [
            { x: 0, y: 0 },
            { x: 10, y: 0 },
          ],
        },
        [
          { x: 0, y: 0 },
          { x: 10_000, y: 0 },
        ],
      ).zoom,
    ).toBe(64);
  });

  it("moves the window as a mouse drag does when both fingers move together: right widens it, down raises its center", () => {
    const dragged = twoFingerView(
      state,
      {
        ...start,
        fingers: [
          { x: 150, y: 200 },
          { x: 250, y: 200 },
        ],
      },
      [
        { x: 180, y: 250 },
        { x: 280, y: 250 },
      ],
    );
    expect(dragged.zoom).toBe(1);
    expect([dragged.windowCenter, dragged.windowWidth]).toEqual([90, 430]);
  });
});
