/**
 * DICOM Segmentation (PS3.3 A.51, C.8.20): its segments with names and display colours, which image each frame
 * covers, each frame's mask, and the coloured layer a slice's masks paint. Pure rules, no I/O.
 */
import type { DataSet } from "dicom-parser";
import { frameStoredValues, type PixelModule } from "~/features/imaging/dicom/pixel-module";
import { readFramePlane, planeNormal, type ImagePlane } from "./image-plane";
import { dot } from "./viewer-state";

export const SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";

export type Rgb = [number, number, number];
export type Segment = { number: number; label: string; color: Rgb };
export type SegmentationFrame = {
  segment: number;
  /** The source image the frame was derived from, and its frame (0-based), when the frame says. */
  source: { uid: string; frame: number } | null;
  plane: ImagePlane | null;
};
export type Segmentation = {
  fractional: boolean;
  /** The stored value of a fully covered pixel. */
  maxValue: number;
  segments: Segment[];
  frames: SegmentationFrame[];
  /** Every source image the segmentation names, in the frames or in its Referenced Series Sequence. */
  referencedUids: string[];
};

/** Colours for segments without a recommended one, distinct on grey. */
export const DEFAULT_PALETTE: Rgb[] = [
  [230, 25, 75],
  [60, 180, 75],
  [255, 225, 25],
  [0, 130, 200],
  [245, 130, 48],
  [145, 30, 180],
  [70, 240, 240],
  [240, 50, 230],
];

export const MAX_SEGMENTS = 256;

const SOP_CLASS_UID = "x00080016";
const SEGMENTATION_TYPE = "x00620001";
const SEGMENT_SEQUENCE = "x00620002";
const SEGMENT_NUMBER = "x00620004";
const SEGMENT_LABEL = "x00620005";
const RECOMMENDED_CIELAB = "x0062000d";
const MAXIMUM_FRACTIONAL_VALUE = "x0062000e";
const PER_FRAME_FUNCTIONAL_GROUPS = "x52009230";
const SEGMENT_IDENTIFICATION = "x0062000a";
const REFERENCED_SEGMENT_NUMBER = "x0062000b";
const DERIVATION_IMAGE = "x00089124";
const SOURCE_IMAGE = "x00082112";
const REFERENCED_SOP_INSTANCE_UID = "x00081155";
const REFERENCED_FRAME_NUMBER = "x00081160";
const REFERENCED_SERIES = "x00081115";
const REFERENCED_INSTANCE = "x0008114a";

const clamp = (value: number) => Math.min(255, Math.max(0, Math.round(value)));

/** A DICOM CIELab triple (PS3.3 C.10.7.1.1: each 0..65535) as sRGB under D65. */
export function cielabToRgb([l, a, b]: number[]): Rgb {
  const lightness = (l / 65535) * 100;
  const fy = (lightness + 16) / 116;
  const fx = fy + ((a / 65535) * 255 - 128) / 500;
  const fz = fy - ((b / 65535) * 255 - 128) / 200;
  const inverse = (t: number) => (t > 6 / 29 ? t ** 3 : 3 * (6 / 29) ** 2 * (t - 4 / 29));
  const [x, y, z] = [0.95047 * inverse(fx), inverse(fy), 1.08883 * inverse(fz)];
  const linear = [3.2404542 * x - 1.5371385 * y - 0.4985314 * z, -0.969266 * x + 1.8760108 * y + 0.041556 * z, 0.0556434 * x - 0.2040259 * y + 1.0572252 * z];
  const gamma = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * Math.max(0, c) ** (1 / 2.4) - 0.055);
  return linear.map((c) => clamp(gamma(c) * 255)) as Rgb;
}

const items = (set: DataSet | undefined, tag: string) => set?.elements[tag]?.items?.map((item) => item.dataSet).filter((d): d is DataSet => !!d) ?? [];

function readSegment(item: DataSet, index: number): Segment {
  const number = item.uint16(SEGMENT_NUMBER) ?? index + 1;
  const lab = item.elements[RECOMMENDED_CIELAB]?.length === 6 ? [0, 1, 2].map((i) => item.uint16(RECOMMENDED_CIELAB, i) ?? 0) : null;
  return {
    number,
    label: item.string(SEGMENT_LABEL)?.trim() || String(number),
    color: lab ? cielabToRgb(lab) : DEFAULT_PALETTE[(number - 1 + DEFAULT_PALETTE.length) % DEFAULT_PALETTE.length],
  };
}

function frameSource(frameGroups: DataSet | undefined): SegmentationFrame["source"] {
  const source = items(items(frameGroups, DERIVATION_IMAGE)[0], SOURCE_IMAGE)[0];
  const uid = source?.string(REFERENCED_SOP_INSTANCE_UID)?.trim();
  if (!source || !uid) return null;
  const frameNumber = Number(source.string(REFERENCED_FRAME_NUMBER)?.split("\\")[0] ?? "1");
  return { uid, frame: Number.isInteger(frameNumber) && frameNumber >= 1 ? frameNumber - 1 : 0 };
}

/** The segmentation an instance holds, or null when it is not a DICOM SEG. */
export function readSegmentation(set: DataSet, pixels: PixelModule): Segmentation | null {
  if (set.string(SOP_CLASS_UID)?.trim() !== SEGMENTATION_STORAGE) return null;
  const fractional = set.string(SEGMENTATION_TYPE)?.trim().toUpperCase() === "FRACTIONAL";
  const segments = items(set, SEGMENT_SEQUENCE).slice(0, MAX_SEGMENTS).map(readSegment);
  const perFrame = items(set, PER_FRAME_FUNCTIONAL_GROUPS);
  const frames = pixels.frames.map((frame, index) => {
    const groups = perFrame[index];
    const segment = items(groups, SEGMENT_IDENTIFICATION)[0]?.uint16(REFERENCED_SEGMENT_NUMBER) ?? segments[0]?.number ?? 1;
    return {
      segment,
      source: frameSource(groups),
      plane: readFramePlane(set, index, { rows: pixels.rows, columns: pixels.columns, spacing: frame.pixelSpacing }),
    };
  });
  const listed = items(set, REFERENCED_SERIES).flatMap((series) => items(series, REFERENCED_INSTANCE));
  const referencedUids = [
    ...new Set([
      ...frames.flatMap((frame) => (frame.source ? [frame.source.uid] : [])),
      ...listed.flatMap((instance) => instance.string(REFERENCED_SOP_INSTANCE_UID)?.trim() || []),
    ]),
  ];
  return {
    fractional,
    maxValue: fractional ? Math.max(1, set.uint16(MAXIMUM_FRACTIONAL_VALUE) ?? 255) : 1,
    segments,
    frames,
    referencedUids,
  };
}

/** How much of each pixel a frame covers, 0..255 (a BINARY frame's set bits are 255). */
export function frameCoverage(seg: Segmentation, pixels: PixelModule, frame: number, bytes: Uint8Array): Uint8Array {
  const stored = frameStoredValues(pixels, pixels.frames[frame], bytes);
  const coverage = new Uint8Array(stored.length);
  for (let i = 0; i < stored.length; i++) coverage[i] = clamp((Math.min(stored[i], seg.maxValue) / seg.maxValue) * 255);
  return coverage;
}

/** The series a segmentation belongs over: the one holding most of the images it names; null when it holds none of them. */
export function sourceSeriesOf(seg: Segmentation, series: { id: string; uids: string[] }[]): string | null {
  let best: { id: string; count: number } | null = null;
  for (const candidate of series) {
    const uids = new Set(candidate.uids);
    const count = seg.referencedUids.filter((uid) => uids.has(uid)).length;
    if (count > 0 && (!best || count > best.count)) best = { id: candidate.id, count };
  }
  return best?.id ?? null;
}

/** Frames in the same plane as a slice when this close (mm), as decimal strings round along its normal. */
const SAME_SLICE_MM = 0.05;

/**
 * The frames that cover a slice of the source series: those derived from it, or, for frames that do not say, those
 * lying in its plane (same frame of reference, parallel, within 0.05 mm).
 */
export function framesOnSlice(seg: Segmentation, slice: { uid: string; frame: number }, plane: ImagePlane | null): number[] {
  return seg.frames.flatMap((frame, index) => {
    if (frame.source) return frame.source.uid === slice.uid && frame.source.frame === slice.frame ? [index] : [];
    if (!plane || !frame.plane || frame.plane.frameOfReferenceUid !== plane.frameOfReferenceUid) return [];
    const normal = planeNormal(plane);
    const parallel = Math.abs(dot(normal, planeNormal(frame.plane))) > 1 - 1e-6;
    const offset = frame.plane.position.map((p, i) => p - plane.position[i]);
    return parallel && Math.abs(dot(normal, offset)) < SAME_SLICE_MM ? [index] : [];
  });
}

export type SegmentLayer = { coverage: Uint8Array; color: Rgb };

/** Grids closer than this (mm, and as direction cosines) lay their pixels in the same places. */
const SAME_GRID = 0.01;

/** Whether two planes of a slice put their pixels in the same places: same size, spacing, first pixel and directions. */
export function sameGrid(a: ImagePlane, b: ImagePlane): boolean {
  const close = (x: number[], y: number[]) => x.every((value, i) => Math.abs(value - y[i]) < SAME_GRID);
  return (
    a.rows === b.rows &&
    a.columns === b.columns &&
    close(a.spacing, b.spacing) &&
    close(a.position, b.position) &&
    close(a.rowDirection, b.rowDirection) &&
    close(a.columnDirection, b.columnDirection)
  );
}

/**
 * A frame's coverage on another pixel grid of the same plane (a SEG made at another resolution, or of part of the
 * image): each pixel of `to` takes the nearest pixel of `from` by patient position, and is uncovered outside it.
 */
export function coverageOnGrid(coverage: Uint8Array, from: ImagePlane, to: ImagePlane): Uint8Array {
  const out = new Uint8Array(to.rows * to.columns);
  const along = (direction: number[], spacing: number) => (vector: number[]) => dot(vector, direction) / spacing;
  const column = along(from.rowDirection, from.spacing[1]);
  const row = along(from.columnDirection, from.spacing[0]);
  const origin = to.position.map((p, i) => p - from.position[i]);
  const stepRight = to.rowDirection.map((d) => d * to.spacing[1]);
  const stepDown = to.columnDirection.map((d) => d * to.spacing[0]);
  const [column0, columnRight, columnDown] = [column(origin), column(stepRight), column(stepDown)];
  const [row0, rowRight, rowDown] = [row(origin), row(stepRight), row(stepDown)];
  for (let r = 0; r < to.rows; r++) {
    for (let c = 0; c < to.columns; c++) {
      const fromColumn = Math.round(column0 + c * columnRight + r * columnDown);
      const fromRow = Math.round(row0 + c * rowRight + r * rowDown);
      if (fromColumn >= 0 && fromColumn < from.columns && fromRow >= 0 && fromRow < from.rows)
        out[r * to.columns + c] = coverage[fromRow * from.columns + fromColumn];
    }
  }
  return out;
}

/** The RGBA pixels of a slice's segment layers, the later over the earlier, transparent where none covers. */
export function paintLayers(layers: SegmentLayer[], pixelCount: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(pixelCount * 4);
  for (const { coverage, color } of layers) {
    for (let i = 0; i < pixelCount; i++) {
      const alpha = coverage[i];
      if (alpha === 0) continue;
      out[4 * i] = color[0];
      out[4 * i + 1] = color[1];
      out[4 * i + 2] = color[2];
      out[4 * i + 3] = Math.max(out[4 * i + 3], alpha);
    }
  }
  return out;
}
