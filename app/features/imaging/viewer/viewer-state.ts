/**
 * The DICOM viewer's whole state as one serialisable object: what a link
 * reopens and what a live session will broadcast. Pure rules, no I/O.
 */
import { z } from "zod";
import { parseJsonOrNull } from "~/platform/json";

export const TOOLS = ["windowLevel", "pan", "zoom", "length", "angle", "ellipse"] as const;
export type Tool = (typeof TOOLS)[number];

const Point = z.object({ x: z.number().finite(), y: z.number().finite() });
const Slice = z.number().int().min(0).max(1_000_000);
export const AnnotationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("length"), slice: Slice, start: Point, end: Point }),
  /** The angle at `vertex` between the arms to `a` and `c`. */
  z.object({ kind: z.literal("angle"), slice: Slice, a: Point, vertex: Point, c: Point }),
  /** An elliptical region drawn in the box from `start` to `end`. */
  z.object({ kind: z.literal("ellipse"), slice: Slice, start: Point, end: Point }),
]);
export type Annotation = z.infer<typeof AnnotationSchema>;

export const ViewerStateSchema = z.object({
  seriesId: z.string().min(1).max(64),
  slice: z.number().int().min(0).max(1_000_000),
  windowCenter: z.number().finite().nullable(),
  windowWidth: z.number().finite().positive().nullable(),
  zoom: z.number().finite().positive().max(64),
  pan: Point,
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  hflip: z.boolean(),
  vflip: z.boolean(),
  invert: z.boolean(),
  tool: z.enum(TOOLS),
  annotations: z.array(AnnotationSchema).max(200),
});
export type ViewerState = z.infer<typeof ViewerStateSchema>;

export function initialViewerState(seriesId: string): ViewerState {
  return {
    seriesId,
    slice: 0,
    windowCenter: null,
    windowWidth: null,
    zoom: 1,
    pan: { x: 0, y: 0 },
    rotation: 0,
    hflip: false,
    vflip: false,
    invert: false,
    tool: "windowLevel",
    annotations: [],
  };
}

/**
 * The number the viewer shows for the slice at `index` of its stack, which the key image list and the opinion PDF print
 * too: its place in stack order (`sliceOrder`, then `stackSlices`), from 1. Never the Instance Number, which need not
 * follow the stack.
 */
export function sliceNumber(index: number): number {
  return index + 1;
}

/** The stack index of the slice the viewer shows as `number`. */
export function sliceIndexOfNumber(number: number): number {
  return number - 1;
}

/** The annotations the viewer draws with a view: those on its slice. */
export function annotationsOnSlice(state: Pick<ViewerState, "slice" | "annotations">): Annotation[] {
  return state.annotations.filter((a) => a.slice === state.slice);
}

/** The slices of a stack in order: one per frame of each instance, so a multi-frame instance gives several. */
export function stackSlices(instances: { uid: string; frames: number }[]): { uid: string; frame: number }[] {
  return instances.flatMap((i) => Array.from({ length: i.frames }, (_, frame) => ({ uid: i.uid, frame })));
}

/** A state from a link or a message, or null when it is not a valid state. */
export function readViewerState(input: unknown): ViewerState | null {
  const parsed = ViewerStateSchema.safeParse(typeof input === "string" ? parseJsonOrNull(input) : input);
  return parsed.success ? parsed.data : null;
}

/** Window presets for CT in Hounsfield units, [center, width]. MR windows come from each image. */
export const CT_PRESETS = {
  lung: [-600, 1500],
  mediastinum: [50, 350],
  bone: [400, 1800],
  brain: [40, 80],
  liver: [60, 160],
  abdomen: [40, 400],
} as const satisfies Record<string, readonly [number, number]>;
export type CtPreset = keyof typeof CT_PRESETS;

export function applyPreset(state: ViewerState, preset: CtPreset): ViewerState {
  const [windowCenter, windowWidth] = CT_PRESETS[preset];
  return { ...state, windowCenter, windowWidth };
}

/** Dragging changes the window: right widens it, down raises its center (as in most PACS). */
export function dragWindow(state: ViewerState, base: { center: number; width: number }, dx: number, dy: number): ViewerState {
  return { ...state, windowCenter: base.center + dy, windowWidth: Math.max(1, base.width + dx) };
}

/** The zoom, kept between a tenth and the schema's most. */
export function zoomTo(state: ViewerState, zoom: number): ViewerState {
  return { ...state, zoom: Math.min(64, Math.max(0.1, zoom)) };
}

export function stepSlice(state: ViewerState, delta: number, sliceCount: number): ViewerState {
  return { ...state, slice: Math.min(Math.max(state.slice + delta, 0), Math.max(sliceCount - 1, 0)) };
}

export function rotateClockwise(state: ViewerState): ViewerState {
  return { ...state, rotation: ((state.rotation + 90) % 360) as ViewerState["rotation"] };
}

/** Zoom, pan, rotation, flips and window back to what the image says; slice and annotations stay. */
export function resetView(state: ViewerState): ViewerState {
  const { seriesId, slice, tool, annotations } = state;
  return { ...initialViewerState(seriesId), slice, tool, annotations };
}

export type SliceInfo = { instanceNumber: number | null; imagePosition: number[] | null; imageOrientation: number[] | null };

function normalOf(slices: SliceInfo[]): number[] | null {
  const orientation = slices.find((s) => s.imageOrientation?.length === 6)?.imageOrientation;
  return orientation ? cross(orientation.slice(0, 3), orientation.slice(3, 6)) : null;
}

/** Where a slice lies along the normal of the image plane, in mm (PS3.3 C.7.6.2), or null when position or orientation is missing. */
function distanceAlong(normal: number[] | null, slice: SliceInfo): number | null {
  return normal && slice.imagePosition?.length === 3 ? dot(normal, slice.imagePosition) : null;
}

/** Order of slices in a stack: along the normal when known, otherwise by instance number. */
export function sliceOrder<T extends SliceInfo>(slices: T[]): T[] {
  const normal = normalOf(slices);
  return [...slices].sort((a, b) => {
    const da = distanceAlong(normal, a);
    const db = distanceAlong(normal, b);
    if (da !== null && db !== null && da !== db) return da - db;
    return (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0);
  });
}

/** Each slice's position along the normal, for linking two stacks by position. */
export function stackPositions(slices: SliceInfo[]): (number | null)[] {
  const normal = normalOf(slices);
  return slices.map((s) => distanceAlong(normal, s));
}

/** The slice of a stack nearest to a position, or null when the stack has no positions. */
export function nearestSlice(positions: (number | null)[], target: number): number | null {
  let best: number | null = null;
  positions.forEach((p, i) => {
    if (p !== null && (best === null || Math.abs(p - target) < Math.abs((positions[best] as number) - target))) best = i;
  });
  return best;
}

export const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
