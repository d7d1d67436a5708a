/**
 * Where a frame lies in the patient (PS3.3 C.7.6.2), and the reference line another viewport's slice draws on it:
 * where the two planes meet, within both images. Pure rules, no I/O.
 */
import type { DataSet } from "dicom-parser";
import { firstFound, frameSources } from "~/features/imaging/dicom/pixel-module";
import { cross, dot } from "./viewer-state";

export type ImagePlane = {
  frameOfReferenceUid: string | null;
  /** The centre of the first pixel, in mm. */
  position: number[];
  /** Unit vectors along a row (increasing column) and down a column (increasing row). */
  rowDirection: number[];
  columnDirection: number[];
  rows: number;
  columns: number;
  /** Between rows, then between columns (Pixel Spacing), in mm. */
  spacing: [number, number];
};

/** A point in image pixels as cornerstone counts them: (0, 0) is the first pixel's top-left corner. */
export type PixelPoint = { x: number; y: number };

export type ReferenceMark = { kind: "line"; from: PixelPoint; to: PixelPoint } | { kind: "parallel"; distance: number };

const PLANE_POSITION = "x00209113";
const PLANE_ORIENTATION = "x00209116";
const FRAME_OF_REFERENCE_UID = "x00200052";
const IMAGE_POSITION = "x00200032";
const IMAGE_ORIENTATION = "x00200037";

function decimalList(set: DataSet, tag: string, length: number): number[] | null {
  const values = set.string(tag)?.split("\\").map(Number);
  return values && values.length === length && values.every(Number.isFinite) ? values : null;
}

/** A frame's position and orientation, from its functional groups first, then the instance; null when either is missing. */
export function readFramePlane(set: DataSet, frame: number, size: { rows: number; columns: number; spacing: [number, number] | null }): ImagePlane | null {
  const position = firstFound(frameSources(set, frame, PLANE_POSITION), (source) => decimalList(source, IMAGE_POSITION, 3));
  const orientation = firstFound(frameSources(set, frame, PLANE_ORIENTATION), (source) => decimalList(source, IMAGE_ORIENTATION, 6));
  if (!position || !orientation || !size.spacing) return null;
  return {
    frameOfReferenceUid: set.string(FRAME_OF_REFERENCE_UID)?.trim() || null,
    position,
    rowDirection: orientation.slice(0, 3),
    columnDirection: orientation.slice(3, 6),
    rows: size.rows,
    columns: size.columns,
    spacing: size.spacing,
  };
}

export const planeNormal = (plane: ImagePlane) => cross(plane.rowDirection, plane.columnDirection);

const minus = (a: number[], b: number[]) => a.map((value, i) => value - b[i]);

/** Planes closer than this to parallel (the sine of the angle between them) do not cross within any image. */
const PARALLEL = 1e-3;

/** Whether two slices lie in parallel planes, so that one stack can follow the other by position along their normal. */
export function parallelPlanes(a: ImagePlane, b: ImagePlane): boolean {
  return Math.abs(Math.abs(dot(planeNormal(a), planeNormal(b))) - 1) < PARALLEL;
}

/** The parameter range of t for which `start + t·step` stays within [0, limit]; null when it never does. */
function clip(range: [number, number], start: number, step: number, limit: number): [number, number] | null {
  if (Math.abs(step) < 1e-12) return start >= 0 && start <= limit ? range : null;
  const [a, b] = [(0 - start) / step, (limit - start) / step].sort((p, q) => p - q);
  const clipped: [number, number] = [Math.max(range[0], a), Math.min(range[1], b)];
  return clipped[0] <= clipped[1] ? clipped : null;
}

/**
 * What `other`'s slice marks on `shown`: the line where their planes cross, clipped to both images, in `shown`'s
 * pixels; for parallel planes, how far `other` lies along `shown`'s normal (mm). Null when they share no frame of
 * reference or the line falls outside either image.
 */
export function referenceMark(shown: ImagePlane, other: ImagePlane): ReferenceMark | null {
  if (!shown.frameOfReferenceUid || shown.frameOfReferenceUid !== other.frameOfReferenceUid) return null;
  const normal = planeNormal(other);
  const offset = minus(shown.position, other.position);
  const [rowSpacing, columnSpacing] = shown.spacing;
  // The distance to `other`'s plane of the point at (x, y) in `shown`'s pixels is f0 + a·x + b·y.
  const a = columnSpacing * dot(normal, shown.rowDirection);
  const b = rowSpacing * dot(normal, shown.columnDirection);
  const f0 = dot(normal, offset) - (a + b) / 2;
  if (Math.hypot(a / columnSpacing, b / rowSpacing) < PARALLEL) return { kind: "parallel", distance: -dot(planeNormal(shown), offset) };
  const squared = a * a + b * b;
  const start = { x: (-f0 * a) / squared, y: (-f0 * b) / squared };
  const step = { x: b / Math.sqrt(squared), y: -a / Math.sqrt(squared) };
  // The same points in `other`'s pixels: its coordinates of shown's (x, y) are affine in t along the line.
  const world = (x: number, y: number) =>
    shown.position.map((p, i) => p + (x - 0.5) * columnSpacing * shown.rowDirection[i] + (y - 0.5) * rowSpacing * shown.columnDirection[i]);
  const inOther = (point: number[]) => {
    const relative = minus(point, other.position);
    return { x: dot(relative, other.rowDirection) / other.spacing[1] + 0.5, y: dot(relative, other.columnDirection) / other.spacing[0] + 0.5 };
  };
  const otherStart = inOther(world(start.x, start.y));
  const otherNext = inOther(world(start.x + step.x, start.y + step.y));
  const otherStep = { x: otherNext.x - otherStart.x, y: otherNext.y - otherStart.y };
  let range: [number, number] | null = [-Infinity, Infinity];
  range = range && clip(range, start.x, step.x, shown.columns);
  range = range && clip(range, start.y, step.y, shown.rows);
  range = range && clip(range, otherStart.x, otherStep.x, other.columns);
  range = range && clip(range, otherStart.y, otherStep.y, other.rows);
  if (!range || range[1] - range[0] < 1e-6) return null;
  const at = (t: number) => ({ x: start.x + t * step.x, y: start.y + t * step.y });
  return { kind: "line", from: at(range[0]), to: at(range[1]) };
}
