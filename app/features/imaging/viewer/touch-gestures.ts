/**
 * The viewer's touch gestures as pure rules: one finger swiped up or down
 * steps through the slices, two fingers pinch to zoom and, dragged together,
 * change the window as a mouse drag does.
 */
import { dragWindow, stepSlice, zoomTo, type ViewerState } from "./viewer-state";

export type TouchPoint = { x: number; y: number };
export type FingerPair = [TouchPoint, TouchPoint];

/** How far a finger travels for one slice. */
export const SWIPE_PIXELS_PER_SLICE = 24;

/** Where a one-finger swipe started: the finger and the slice then shown. */
export type SwipeStart = { at: TouchPoint; slice: number };

/** A finger moved up goes forward through the stack, as the wheel scrolled down does. */
export function swipeSlices(state: ViewerState, start: SwipeStart, now: TouchPoint, sliceCount: number): ViewerState {
  const steps = Math.trunc((start.at.y - now.y) / SWIPE_PIXELS_PER_SLICE);
  return stepSlice({ ...state, slice: start.slice }, steps, sliceCount);
}

/** Where a two-finger gesture started: both fingers, the zoom and the window then. */
export type TwoFingerStart = { fingers: FingerPair; zoom: number; center: number; width: number };

/** The zoom follows the fingers' spread; the window follows their midpoint. */
export function twoFingerView(state: ViewerState, start: TwoFingerStart, now: FingerPair): ViewerState {
  const [before, after] = [midpoint(start.fingers), midpoint(now)];
  const zoomed = zoomTo(state, (start.zoom * spread(now)) / Math.max(1, spread(start.fingers)));
  return dragWindow(zoomed, start, after.x - before.x, after.y - before.y);
}

const midpoint = ([a, b]: FingerPair): TouchPoint => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
const spread = ([a, b]: FingerPair) => Math.hypot(a.x - b.x, a.y - b.y);
