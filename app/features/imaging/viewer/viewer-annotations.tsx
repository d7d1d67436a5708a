/**
 * Measurements drawn over the image, each with its label: lengths in mm,
 * angles in degrees, elliptical regions with area and mean ± SD.
 */
import { useTranslation } from "react-i18next";
import { measurementLabel, type PixelSource, type PixelSpacing, type Point } from "~/features/imaging/viewer/measurements";
import type { Annotation } from "~/features/imaging/viewer/viewer-state";

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
