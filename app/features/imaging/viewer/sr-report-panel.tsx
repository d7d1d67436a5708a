/**
 * The study's SR measurement reports in the viewer workspace: each measurement group as a button (its name, the values with
 * their units, the finding and site, the image) that shows its slice; and the reports' graphics drawn on the slice shown.
 */
import type { TFunction } from "i18next";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { Point } from "./measurements";
import { ellipseGeometry, srValueText, type SrDocumentView, type SrRow, type SrTarget } from "./sr-measurements";

type Props = { reports: SrDocumentView[]; sliceNumberOf: (target: SrTarget) => string | null; onShow: (target: SrTarget) => void };

export function SrReportPanel({ reports, sliceNumberOf, onShow }: Props) {
  const { t } = useTranslation();
  const id = useId();
  if (reports.length === 0) return null;
  return (
    <section className="viewer-reports" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("imaging:reports.title")}</h2>
      {reports.map((report) => (
        <section key={report.id} aria-labelledby={`${id}-${report.id}`}>
          <h3 id={`${id}-${report.id}`}>
            {report.observer ? t("imaging:reports.byObserver", { title: report.title, observer: report.observer }) : report.title}
          </h3>
          <ul>
            {report.rows.map((row, i) => {
              const where = row.target ? sliceNumberOf(row.target) : null;
              const content = <SrRowText row={row} where={where} />;
              return (
                <li key={i}>
                  {row.target ? (
                    <button type="button" className="viewer-report-row" onClick={() => onShow(row.target!)}>
                      {content}
                    </button>
                  ) : (
                    <div className="viewer-report-row">{content}</div>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </section>
  );
}

function SrRowText({ row, where }: { row: SrRow; where: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      <strong>{row.trackingIdentifier ?? t("imaging:reports.untitled")}</strong>
      {row.measurements.map((m, i) => (
        <span key={i} className="viewer-report-value">
          {t("imaging:reports.value", { name: m.name, value: srValueText(m.value), unit: m.unit })}
          {m.modifiers.length > 0 && ` (${m.modifiers.join(", ")})`}
        </span>
      ))}
      {row.finding && <span>{t("imaging:reports.finding", { finding: row.finding })}</span>}
      {row.findingSite && <span>{t("imaging:reports.findingSite", { site: row.findingSite })}</span>}
      <span>{where ?? (row.imageUid ? t("imaging:reports.imageNotInCase") : t("imaging:reports.noImage"))}</span>
    </>
  );
}

export type SrOverlay = { slice: number; type: string; points: [number, number][]; label: string };

/** The reports' graphics on the slice shown, in canvas coordinates (`toCanvas` maps image pixels), each with its measurement. */
export function SrGraphicsLayer({ overlays, toCanvas }: { overlays: SrOverlay[]; toCanvas: (p: Point) => Point }) {
  if (overlays.length === 0) return null;
  return (
    <svg className="viewer-annotations viewer-sr-annotations" aria-hidden="true">
      {overlays.map((o, i) => {
        const points = o.points.map(([x, y]) => toCanvas({ x, y }));
        const anchor = points[0];
        let shape;
        if (o.type === "ELLIPSE" && points.length === 4) {
          const e = ellipseGeometry(points.map((p) => [p.x, p.y]));
          shape = <ellipse cx={e.cx} cy={e.cy} rx={e.rx} ry={e.ry} transform={`rotate(${e.degrees} ${e.cx} ${e.cy})`} />;
        } else if (o.type === "CIRCLE" && points.length === 2) {
          shape = <circle cx={points[0].x} cy={points[0].y} r={Math.hypot(points[1].x - points[0].x, points[1].y - points[0].y)} />;
        } else if (o.type === "POINT" || points.length === 1) {
          shape = <circle cx={anchor.x} cy={anchor.y} r={3} />;
        } else {
          shape = <polyline points={points.map((p) => `${p.x},${p.y}`).join(" ")} />;
        }
        return (
          <g key={i} data-sr-graphic={o.type}>
            {shape}
            <text x={anchor.x + 6} y={anchor.y - 6}>
              {o.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Each series' SR graphics with the words of their measurements. */
export function srOverlaysBySeries(reports: SrDocumentView[], t: TFunction): Map<string, SrOverlay[]> {
  const bySeries = new Map<string, SrOverlay[]>();
  for (const row of reports.flatMap((report) => report.rows)) {
    if (!row.target || !row.graphic) continue;
    const label = row.measurements.map((m) => t("imaging:reports.value", { name: m.name, value: srValueText(m.value), unit: m.unit })).join(", ");
    bySeries.set(row.target.seriesId, [...(bySeries.get(row.target.seriesId) ?? []), { slice: row.target.slice, ...row.graphic, label }]);
  }
  return bySeries;
}
