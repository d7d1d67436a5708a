/**
 * Measurements drawn over the image, each with its label: lengths in mm,
 * angles in degrees, elliptical regions with area and mean ± SD.
 */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { angleInDegrees, ellipseStats, lengthInMm, type PixelSpacing, type Point } from "~/features/imaging/viewer/measurements";
import type { Annotation } from "~/features/imaging/viewer/viewer-state";

export type PixelSource = { values: ArrayLike<number>; columns: number; rows: number; slope: number; intercept: number; unit: string } | null;

/** The words for one measurement, also used for the "last measurement" line under the image. */
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

type Props = {
  annotations: Annotation[];
  pendingAngle: Point[];
  pointer: Point | null;
  toCanvas: (p: Point) => Point;
  spacing: PixelSpacing | null;
  pixels: PixelSource;
};

export function AnnotationLayer({ annotations, pendingAngle, pointer, toCanvas, spacing, pixels }: Props) {
  const { t } = useTranslation();
  const arms = [...pendingAngle, ...(pointer && pendingAngle.length > 0 ? [pointer] : [])].map(toCanvas);
  return (
    <svg className="viewer-annotations" aria-hidden="true">
      {annotations.map((a, i) => {
        const label = measurementLabel(a, spacing, pixels, t);
        if (a.kind === "length") {
          const [from, to] = [toCanvas(a.start), toCanvas(a.end)];
          return (
            <g key={i}>
              <line x1={from.x} y1={from.y} x2={to.x} y2={to.y} />
              <text x={to.x + 6} y={to.y}>
                {label}
              </text>
            </g>
          );
        }
        if (a.kind === "angle") {
          const [p, v, q] = [toCanvas(a.a), toCanvas(a.vertex), toCanvas(a.c)];
          return (
            <g key={i}>
              <polyline points={`${p.x},${p.y} ${v.x},${v.y} ${q.x},${q.y}`} />
              <text x={v.x + 6} y={v.y - 6}>
                {label}
              </text>
            </g>
          );
        }
        const [from, to] = [toCanvas(a.start), toCanvas(a.end)];
        return (
          <g key={i}>
            <ellipse cx={(from.x + to.x) / 2} cy={(from.y + to.y) / 2} rx={Math.abs(to.x - from.x) / 2} ry={Math.abs(to.y - from.y) / 2} />
            <text x={Math.max(from.x, to.x) + 6} y={Math.min(from.y, to.y)}>
              {label}
            </text>
          </g>
        );
      })}
      {arms.length > 1 && <polyline points={arms.map((p) => `${p.x},${p.y}`).join(" ")} />}
    </svg>
  );
}
