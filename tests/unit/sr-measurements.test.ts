import { describe, expect, it } from "vitest";
import type { MeasurementReport } from "~/features/imaging/dicom/structured-report";
import { ellipseGeometry, reportMeasurements, srDocumentView, unitText } from "~/features/imaging/viewer/sr-measurements";

const slice = { sopClassUid: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUid: "2.25.7", seriesInstanceUid: "2.25.8", frames: 1, frame: 0 };

describe("SR measurements in the viewer", () => {
  it("turns lengths, ellipses and angles into TID 1500 measurements, leaving out sizes an image without spacing cannot give", () => {
    let n = 0;
    const annotations = [
      { kind: "length" as const, slice: 0, start: { x: 0, y: 0 }, end: { x: 3, y: 4 } },
      { kind: "ellipse" as const, slice: 0, start: { x: 10, y: 0 }, end: { x: 14, y: 10 } },
      { kind: "length" as const, slice: 1, start: { x: 0, y: 0 }, end: { x: 3, y: 4 } },
    ];
    const withSpacing = reportMeasurements(
      annotations,
      (s) => (s === 0 ? { ...slice, spacing: [2, 1] as const } : { ...slice, frame: 4, frames: 6, spacing: null }),
      () => `2.25.${++n}`,
    );
    expect(withSpacing).toHaveLength(2);
    expect(withSpacing[0]).toMatchObject({ trackingIdentifier: "Length 1", value: Math.hypot(3, 8), unit: { value: "mm" }, graphic: { type: "POLYLINE" } });
    // A taller than wide ellipse: the major axis (vertical) first.
    expect(withSpacing[1].graphic.points).toEqual([
      [12, 0],
      [12, 10],
      [10, 5],
      [14, 5],
    ]);
    expect(withSpacing[1].value).toBeCloseTo(Math.PI * 2 * 5 * 2, 10);
    expect(new Set(withSpacing.map((m) => m.trackingUid)).size).toBe(2);
    const angle = reportMeasurements(
      [{ kind: "angle", slice: 0, a: { x: 1, y: 0 }, vertex: { x: 0, y: 0 }, c: { x: 0, y: 1 } }],
      () => ({ ...slice, frames: 6, frame: 4, spacing: null }),
      () => "2.25.1",
    );
    expect(angle[0]).toMatchObject({ value: 90, unit: { value: "deg" }, image: { frame: 5 } });
  });

  it("writes UCUM units as people read them and draws an SR ellipse from its axes", () => {
    expect(unitText({ value: "mm2", scheme: "UCUM", meaning: "" })).toBe("mm²");
    expect(unitText({ value: "{SUVbw}g/ml", scheme: "UCUM", meaning: "" })).toBe("SUVbw g/ml");
    expect(unitText({ value: "[hnsf'U]", scheme: "UCUM", meaning: "" })).toBe("HU");
    expect(unitText({ value: "1", scheme: "UCUM", meaning: "" })).toBe("");
    expect(
      ellipseGeometry([
        [0, 0],
        [10, 10],
        [0, 10],
        [10, 0],
      ]),
    ).toMatchObject({ cx: 5, cy: 5, degrees: 45 });
  });

  it("places each group's graphic on the slice of its image, or nowhere when the image is not in the case", () => {
    const graphic = (uid: string) => ({
      kind: "SCOORD" as const,
      type: "POLYLINE",
      points: [
        [1, 2],
        [3, 4],
      ],
      image: { sopInstanceUid: uid, frame: null },
      frameOfReferenceUid: null,
    });
    const group = (uid: string) => ({
      trackingIdentifier: uid,
      trackingUid: null,
      finding: null,
      findingSite: { value: "39607008", scheme: "SCT", meaning: "Lung" },
      measurements: [
        {
          concept: { value: "410668003", scheme: "SCT", meaning: "Length" },
          value: 5,
          unit: { value: "mm", scheme: "UCUM", meaning: "mm" },
          modifiers: [],
          graphic: graphic(uid),
        },
      ],
      graphic: null,
    });
    const report: MeasurementReport = {
      title: { value: "126000", scheme: "DCM", meaning: "Imaging Measurement Report" },
      observer: null,
      groups: [group("in"), group("out")],
    };
    const view = srDocumentView({ id: "d", seriesId: "s" }, report, (uid) => (uid === "in" ? { seriesId: "ct", slice: 3 } : null));
    expect(view.rows.map((r) => r.target)).toEqual([{ seriesId: "ct", slice: 3 }, null]);
    expect(view.rows[0]).toMatchObject({
      findingSite: "Lung",
      measurements: [{ name: "Length", value: 5, unit: "mm" }],
      graphic: {
        points: [
          [1, 2],
          [3, 4],
        ],
      },
    });
    expect(view.rows[1].imageUid).toBe("out");
  });
});
