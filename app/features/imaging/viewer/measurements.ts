/**
 * Measurements on an image in physical units, from Pixel Spacing (PS3.3
 * C.7.6.2.1.1: row spacing, then column spacing, in mm), and their labels as
 * the viewer and the opinion PDF write them. Points are in image pixel
 * coordinates. Pure.
 */
import type { TFunction } from "i18next";
import type { Annotation } from "~/features/imaging/viewer/viewer-state";

export type Point = { x: number; y: number };
export type PixelSpacing = readonly [rowSpacing: number, columnSpacing: number];

const toMm = (p: Point, [rowSpacing, columnSpacing]: PixelSpacing) => ({ x: p.x * columnSpacing, y: p.y * rowSpacing });

export function lengthInMm(start: Point, end: Point, spacing: PixelSpacing | null): number | null {
  if (!spacing) return null;
  const a = toMm(start, spacing);
  const b = toMm(end, spacing);
  return Math.hypot(b.x - a.x, b.y - a.y);
}

/** The angle at `vertex` between the arms to `a` and `c`, in degrees; square pixels when the spacing is unknown. */
export function angleInDegrees(a: Point, vertex: Point, c: Point, spacing: PixelSpacing | null): number | null {
  const scale = spacing ?? ([1, 1] as const);
  const [p, v, q] = [toMm(a, scale), toMm(vertex, scale), toMm(c, scale)];
  const u = { x: p.x - v.x, y: p.y - v.y };
  const w = { x: q.x - v.x, y: q.y - v.y };
  const norms = Math.hypot(u.x, u.y) * Math.hypot(w.x, w.y);
  if (norms === 0) return null;
  const cosine = Math.min(1, Math.max(-1, (u.x * w.x + u.y * w.y) / norms));
  return (Math.acos(cosine) * 180) / Math.PI;
}

export type RegionStats = { pixels: number; mean: number; standardDeviation: number; min: number; max: number; areaMm2: number | null };

/**
 * Statistics of the modality values (stored value x slope + intercept: HU for
 * CT) of the pixels whose centres lie inside the ellipse drawn in the box from
 * `corner` to `opposite`. The area is the ellipse's own, in mm² when the
 * spacing is known.
 */
export function ellipseStats(
  values: ArrayLike<number>,
  image: { columns: number; rows: number; slope: number; intercept: number },
  corner: Point,
  opposite: Point,
  spacing: PixelSpacing | null,
): RegionStats | null {
  const cx = (corner.x + opposite.x) / 2;
  const cy = (corner.y + opposite.y) / 2;
  const rx = Math.abs(opposite.x - corner.x) / 2;
  const ry = Math.abs(opposite.y - corner.y) / 2;
  if (rx === 0 || ry === 0) return null;
  let count = 0;
  let sum = 0;
  let sumOfSquares = 0;
  let min = Infinity;
  let max = -Infinity;
  const [x0, x1] = [Math.max(0, Math.floor(cx - rx)), Math.min(image.columns - 1, Math.ceil(cx + rx))];
  const [y0, y1] = [Math.max(0, Math.floor(cy - ry)), Math.min(image.rows - 1, Math.ceil(cy + ry))];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = (x + 0.5 - cx) / rx;
      const dy = (y + 0.5 - cy) / ry;
      if (dx * dx + dy * dy > 1) continue;
      const value = values[y * image.columns + x] * image.slope + image.intercept;
      count++;
      sum += value;
      sumOfSquares += value * value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  if (count === 0) return null;
  const mean = sum / count;
  return {
    pixels: count,
    mean,
    standardDeviation: Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean)),
    min,
    max,
    areaMm2: spacing ? Math.PI * rx * ry * spacing[0] * spacing[1] : null,
  };
}

/** A grayscale frame's stored values with its rescale, for the statistics of elliptical regions; null for colour. */
export type PixelSource = { values: ArrayLike<number>; columns: number; rows: number; slope: number; intercept: number; unit: string } | null;

/** The unit of a modality's values after rescale: Hounsfield units for CT, none named otherwise. */
export function modalityUnit(modality: string | null): string {
  return modality === "CT" ? "HU" : "";
}

/** The words for one measurement, drawn beside it and on the "last measurement" line under the image. */
export function measurementLabel(a: Annotation, spacing: PixelSpacing | null, pixels: PixelSource, t: TFunction): string {
  if (a.kind === "length") {
    const mm = lengthInMm(a.start, a.end, spacing);
    return mm === null ? t("imaging:viewer.noSpacing") : t("imaging:viewer.mm", { value: mm.toFixed(1) });
  }
  if (a.kind === "angle") {
    const degrees = angleInDegrees(a.a, a.vertex, a.c, spacing);
    return degrees === null ? "—" : t("imaging:viewer.degrees", { value: degrees.toFixed(1) });
  }
  const stats = pixels ? ellipseStats(pixels.values, pixels, a.start, a.end, spacing) : null;
  if (!stats) return "—";
  const area = stats.areaMm2 === null ? t("imaging:viewer.noSpacing") : t("imaging:viewer.area", { value: stats.areaMm2.toFixed(1) });
  return t("imaging:viewer.region", { area, mean: stats.mean.toFixed(1), sd: stats.standardDeviation.toFixed(1), unit: pixels?.unit ?? "" }).trim();
}
