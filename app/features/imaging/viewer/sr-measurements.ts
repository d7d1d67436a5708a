/**
 * What the viewer shows of a study's SR measurement reports: each measurement group as a row (name, value and unit, finding,
 * the image it was made on) and its graphic, placed on a slice of a series the reader sees. Also the viewer's own
 * measurements turned into TID 1500 measurements (lengths in mm, areas in mm², angles in degrees). Pure.
 */
import type { Code, MeasurementReport, SrGraphic } from "~/features/imaging/dicom/structured-report";
import { MEASUREMENT_CODES, UCUM, type ReportMeasurement } from "~/features/imaging/dicom/structured-report-writer";
import { angleInDegrees, lengthInMm, type PixelSpacing } from "./measurements";
import type { Annotation } from "./viewer-state";

export type SrTarget = { seriesId: string; slice: number };
export type SrGraphicView = { type: string; points: [number, number][] };
export type SrRow = {
  trackingIdentifier: string | null;
  finding: string | null;
  findingSite: string | null;
  measurements: { name: string; value: number; unit: string; modifiers: string[] }[];
  /** The referenced image's UID, shown when the image is not in the case. */
  imageUid: string | null;
  target: SrTarget | null;
  graphic: SrGraphicView | null;
};
export type SrDocumentView = { id: string; seriesId: string; title: string; observer: string | null; rows: SrRow[] };

const meaning = (code: Code | null) => (code ? code.meaning || code.value : null);
/** A UCUM unit as people write it: "mm2" as mm², "{SUVbw}g/ml" as SUVbw g/ml, "1" as nothing. */
export function unitText(unit: Code): string {
  if (unit.scheme !== "UCUM") return unit.meaning || unit.value;
  if (unit.value === "1") return "";
  return unit.value
    .replace(/\{([^}]*)\}/g, "$1 ")
    .replace(/2$/, "²")
    .replace(/3$/, "³")
    .replace(/\[hnsf'U\]/, "HU")
    .trim();
}

/** A report's groups as rows, each graphic placed by `locate` (the slice of the referenced image, or null when not in the case). */
export function srDocumentView(
  document: { id: string; seriesId: string },
  report: MeasurementReport,
  locate: (sopInstanceUid: string, frame: number | null) => SrTarget | null,
): SrDocumentView {
  const rows = report.groups.map((group): SrRow => {
    const graphic: SrGraphic | null =
      group.measurements.find((m) => m.graphic?.kind === "SCOORD")?.graphic ?? (group.graphic?.kind === "SCOORD" ? group.graphic : null);
    const image = graphic?.image ?? null;
    return {
      trackingIdentifier: group.trackingIdentifier,
      finding: meaning(group.finding),
      findingSite: meaning(group.findingSite),
      measurements: group.measurements.map((m) => ({
        name: m.concept.meaning || m.concept.value,
        value: m.value,
        unit: unitText(m.unit),
        modifiers: m.modifiers.map((c) => c.meaning),
      })),
      imageUid: image?.sopInstanceUid ?? null,
      target: image ? locate(image.sopInstanceUid, image.frame) : null,
      graphic: graphic ? { type: graphic.type, points: graphic.points.map(([x, y]) => [x, y] as [number, number]) } : null,
    };
  });
  return { ...document, title: meaning(report.title) ?? "", observer: report.observer, rows };
}

/** A measurement's value as the list shows it: at most four significant digits after the point, as the document gives it otherwise. */
export const srValueText = (value: number) => String(Number(value.toFixed(Math.abs(value) >= 100 ? 1 : 2)));

/** An SVG ellipse for an SR ELLIPSE (end points of the major axis, then of the minor): centre, radii and the major axis' angle. */
export function ellipseGeometry(points: [number, number][]) {
  const [[x1, y1], [x2, y2], [x3, y3], [x4, y4]] = points;
  return {
    cx: (x1 + x2) / 2,
    cy: (y1 + y2) / 2,
    rx: Math.hypot(x2 - x1, y2 - y1) / 2,
    ry: Math.hypot(x4 - x3, y4 - y3) / 2,
    degrees: (Math.atan2(y2 - y1, x2 - x1) * 180) / Math.PI,
  };
}

export type SliceRef = { sopClassUid: string; sopInstanceUid: string; seriesInstanceUid: string; frames: number; frame: number };

/**
 * The viewer's measurements of a series as TID 1500 measurements, each on the image of its slice: a length as a POLYLINE of
 * two points in mm, an angle as a POLYLINE of three in degrees, an ellipse as an ELLIPSE (major axis, then minor) with its
 * area in mm². Measurements that need a pixel spacing the image lacks are left out. `newUid` gives each a Tracking UID.
 */
export function reportMeasurements(
  annotations: Annotation[],
  sliceOf: (slice: number) => (SliceRef & { spacing: PixelSpacing | null }) | null,
  newUid: () => string,
): ReportMeasurement[] {
  const out: ReportMeasurement[] = [];
  const counts = { length: 0, angle: 0, ellipse: 0 };
  for (const a of annotations) {
    const slice = sliceOf(a.slice);
    if (!slice) continue;
    const image = {
      sopClassUid: slice.sopClassUid,
      sopInstanceUid: slice.sopInstanceUid,
      seriesInstanceUid: slice.seriesInstanceUid,
      frame: slice.frames > 1 ? slice.frame + 1 : null,
    };
    const base = { trackingUid: newUid(), image };
    counts[a.kind]++;
    if (a.kind === "length") {
      const mm = lengthInMm(a.start, a.end, slice.spacing);
      if (mm === null) continue;
      out.push({
        ...base,
        trackingIdentifier: `Length ${counts.length}`,
        concept: MEASUREMENT_CODES.length,
        value: mm,
        unit: UCUM.mm,
        graphic: { type: "POLYLINE", points: [pair(a.start), pair(a.end)] },
      });
    } else if (a.kind === "angle") {
      const degrees = angleInDegrees(a.a, a.vertex, a.c, slice.spacing);
      if (degrees === null) continue;
      out.push({
        ...base,
        trackingIdentifier: `Angle ${counts.angle}`,
        concept: MEASUREMENT_CODES.angle,
        value: degrees,
        unit: UCUM.deg,
        graphic: { type: "POLYLINE", points: [pair(a.a), pair(a.vertex), pair(a.c)] },
      });
    } else {
      const [cx, cy] = [(a.start.x + a.end.x) / 2, (a.start.y + a.end.y) / 2];
      const [rx, ry] = [Math.abs(a.end.x - a.start.x) / 2, Math.abs(a.end.y - a.start.y) / 2];
      if (!slice.spacing || rx === 0 || ry === 0) continue;
      const horizontal: [number, number][] = [
        [cx - rx, cy],
        [cx + rx, cy],
      ];
      const vertical: [number, number][] = [
        [cx, cy - ry],
        [cx, cy + ry],
      ];
      out.push({
        ...base,
        trackingIdentifier: `Ellipse ${counts.ellipse}`,
        concept: MEASUREMENT_CODES.area,
        value: Math.PI * rx * ry * slice.spacing[0] * slice.spacing[1],
        unit: UCUM.mm2,
        graphic: { type: "ELLIPSE", points: rx >= ry ? [...horizontal, ...vertical] : [...vertical, ...horizontal] },
      });
    }
  }
  return out;
}
const pair = (p: { x: number; y: number }): [number, number] => [p.x, p.y];
