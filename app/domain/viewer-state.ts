/**
 * The DICOM viewer's whole state as one serialisable object: what a link
 * reopens and what a live session will broadcast. Pure rules, no I/O.
 */
import { z } from "zod";

export const TOOLS = ["windowLevel", "pan", "zoom", "length"] as const;
export type Tool = (typeof TOOLS)[number];

const Point = z.object({ x: z.number().finite(), y: z.number().finite() });
export const LengthAnnotation = z.object({ kind: z.literal("length"), slice: z.number().int().min(0), start: Point, end: Point });
export type Annotation = z.infer<typeof LengthAnnotation>;

export const ViewerStateSchema = z.object({
  seriesId: z.string().min(1).max(64),
  slice: z.number().int().min(0),
  windowCenter: z.number().finite().nullable(),
  windowWidth: z.number().finite().positive().nullable(),
  zoom: z.number().finite().positive().max(64),
  pan: Point,
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  hflip: z.boolean(),
  vflip: z.boolean(),
  invert: z.boolean(),
  tool: z.enum(TOOLS),
  annotations: z.array(LengthAnnotation).max(200),
});
export type ViewerState = z.infer<typeof ViewerStateSchema>;

export function initialViewerState(seriesId: string): ViewerState {
  return { seriesId, slice: 0, windowCenter: null, windowWidth: null, zoom: 1, pan: { x: 0, y: 0 }, rotation: 0, hflip: false, vflip: false, invert: false, tool: "windowLevel", annotations: [] };
}

/** A state from a link or a message, or null when it is not a valid state. */
export function readViewerState(input: unknown): ViewerState | null {
  const parsed = ViewerStateSchema.safeParse(typeof input === "string" ? safeJson(input) : input);
  return parsed.success ? parsed.data : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
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

/** Length in millimetres between two points in image pixels, from Pixel Spacing (row spacing, column spacing). */
export function lengthInMm(start: { x: number; y: number }, end: { x: number; y: number }, pixelSpacing: readonly [number, number] | null): number | null {
  if (!pixelSpacing) return null;
  const [rowSpacing, columnSpacing] = pixelSpacing;
  return Math.hypot((end.x - start.x) * columnSpacing, (end.y - start.y) * rowSpacing);
}

export type SliceInfo = { instanceNumber: number | null; imagePosition: number[] | null; imageOrientation: number[] | null };

/**
 * Order of slices in a stack: along the slice normal when position and
 * orientation are known (PS3.3 C.7.6.2), otherwise by instance number.
 */
export function sliceOrder<T extends SliceInfo>(slices: T[]): T[] {
  const orientation = slices.find((s) => s.imageOrientation?.length === 6)?.imageOrientation;
  const normal = orientation ? cross(orientation.slice(0, 3), orientation.slice(3, 6)) : null;
  const distance = (s: T) => (normal && s.imagePosition?.length === 3 ? dot(normal, s.imagePosition) : null);
  return [...slices].sort((a, b) => {
    const da = distance(a);
    const db = distance(b);
    if (da !== null && db !== null && da !== db) return da - db;
    return (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0);
  });
}

const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
