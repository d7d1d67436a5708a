/**
 * DICOM SR in a case, through the viewer's route: measurements saved as a TID 1500 report and key images kept as one Key
 * Object Selection per study, both stored as new series by the ingest path, audited, read by dsrdump and passing dciodvfy;
 * and reports in the case listed by the viewer, each measurement placed on its slice when its image is in the case.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SR_SOP_CLASSES } from "~/features/imaging/dicom/structured-report";
import { ingestDicom } from "~/features/imaging/imaging-ingest.server";
import { initialViewerState, type Annotation } from "~/features/imaging/viewer/viewer-state";
import { getDb } from "~/platform/db.server";
import { objectPath } from "~/platform/storage.server";
import * as viewer from "~/routes/cases.$caseId.series.$seriesId";
import * as roomRoute from "~/routes/sessions.$sessionId.room";
import { scheduledBoard } from "../support/board";
import { get, post, run, signIn } from "../support/remix";
import { caseUnderReview } from "../support/review-case";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const out = mkdtempSync(path.join(os.tmpdir(), "tb-sr-int-"));

async function caseUnderReviewWithCt() {
  const { caseId, physician } = await caseUnderReview();
  const db = getDb();
  for (const f of ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"])
    await ingestDicom(db, caseId, readFileSync(path.join(CORPUS, "ct-series", f)), f);
  const series = await db.imagingSeries.findFirstOrThrow({ where: { study: { caseId } } });
  return { caseId, series, physician };
}
const open = (caseId: string, seriesId: string, cookie: string) =>
  run(viewer.loader, { request: get(`/cases/${caseId}/series/${seriesId}`, cookie), params: { caseId, seriesId } });
const postTo = (caseId: string, seriesId: string, cookie: string, fields: Record<string, string>) =>
  run(viewer.action, { request: post(`/cases/${caseId}/series/${seriesId}`, fields, cookie), params: { caseId, seriesId } });

async function storedDocuments(caseId: string, sopClassUid: string) {
  return getDb().imagingInstance.findMany({ where: { sopClassUid, series: { study: { caseId } } }, include: { series: true } });
}
function checkedByTools(sha256: string, name: string) {
  const file = path.join(out, name);
  writeFileSync(file, readFileSync(objectPath(sha256)));
  const dump = execFileSync("dsrdump", ["+Pu", file], { encoding: "utf8" });
  const verify = spawnSync("dciodvfy", [file], { encoding: "utf8" });
  const lines = `${verify.stdout}${verify.stderr}`.split("\n");
  return { dump, errors: lines.filter((l) => l.startsWith("Error")), warnings: lines.filter((l) => l.startsWith("Warning")) };
}

describe("DICOM SR in a case", () => {
  it("saves the viewer's measurements as a TID 1500 report in a new series, which the viewer then lists and places on its slice", async () => {
    const { caseId, series, physician } = await caseUnderReviewWithCt();
    const consultant = await signIn("consultant@demo.test");
    const before = await open(caseId, series.id, consultant);
    expect(before.data.reports).toEqual([]);
    expect(before.data.canSaveMeasurements).toBe(true);
    const annotations: Annotation[] = [
      { kind: "length", slice: 1, start: { x: 100, y: 100 }, end: { x: 160, y: 180 } },
      { kind: "ellipse", slice: 2, start: { x: 200, y: 200 }, end: { x: 260, y: 230 } },
    ];
    const saved = await postTo(caseId, series.id, consultant, {
      intent: "saveMeasurements",
      viewState: JSON.stringify({ ...initialViewerState(series.id), annotations }),
    });
    expect(saved.data).toEqual({ error: null, saved: true, measurements: 2 });

    const [report] = await storedDocuments(caseId, SR_SOP_CLASSES.comprehensive);
    expect(report.series).toMatchObject({ modality: "SR", description: "Measurements" });
    expect(report.series.id).not.toBe(series.id);
    const { dump, errors, warnings } = checkedByTools(report.sha256, "report.dcm");
    expect(errors).toEqual([]);
    console.log(`dciodvfy warnings on the stored report:\n${warnings.join("\n")}`);
    const caseCode = (await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).code;
    expect(dump).toContain(`Patient             : ${caseCode}`);
    const observer = (await getDb().user.findUniqueOrThrow({ where: { email: "consultant@demo.test" } })).displayName;
    expect(dump).toContain(`"Person Observer Name")="${observer}"`);
    const lengthMm = Number(/NUM:\(,,"Length"\)="([^"]+)" \(mm,UCUM/.exec(dump)![1]);
    expect(/NUM:\(,,"Area"\)="([^"]+)" \(mm2,UCUM/.test(dump)).toBe(true);
    expect(await getDb().auditEvent.count({ where: { action: "imaging.measurementReport", entityId: caseId } })).toBe(1);

    // The viewer lists it for every reader of the case, placed on slice 2 (index 1) of the CT, with the value dsrdump reads.
    const after = await open(caseId, series.id, physician);
    expect(after.data.studies.flatMap((s: { series: { series: { id: string } }[] }) => s.series.map((x) => x.series.id))).not.toContain(report.series.id);
    expect(after.data.reports).toHaveLength(1);
    const rows = after.data.reports[0].rows;
    expect(rows[0]).toMatchObject({
      trackingIdentifier: "Length 1",
      measurements: [{ name: "Length", unit: "mm", value: lengthMm }],
      target: { seriesId: series.id, slice: 1 },
      graphic: {
        type: "POLYLINE",
        points: [
          [100, 100],
          [160, 180],
        ],
      },
    });
    expect(rows[1]).toMatchObject({
      trackingIdentifier: "Ellipse 1",
      measurements: [{ name: "Area", unit: "mm²" }],
      target: { seriesId: series.id, slice: 2 },
    });
    expect(rows[1].graphic).toEqual({
      type: "ELLIPSE",
      points: [
        [200, 215],
        [260, 215],
        [230, 200],
        [230, 230],
      ],
    });
  });

  it("refuses a view of another series and saves nothing; a consultant not on the case gets 404", async () => {
    const { caseId, series } = await caseUnderReviewWithCt();
    const consultant = await signIn("consultant@demo.test");
    const annotations = [{ kind: "length", slice: 0, start: { x: 1, y: 1 }, end: { x: 9, y: 9 } }];
    const other = await postTo(caseId, series.id, consultant, {
      intent: "saveMeasurements",
      viewState: JSON.stringify({ ...initialViewerState("another"), annotations }),
    });
    expect(other.status).toBe(400);
    expect(other.data.error).toBe("imaging:reports.invalid");
    const empty = await postTo(caseId, series.id, consultant, { intent: "saveMeasurements", viewState: JSON.stringify(initialViewerState(series.id)) });
    expect(empty.data.error).toBe("imaging:reports.nothingToSave");
    const outsider = await postTo(caseId, series.id, await signIn("consultant2@demo.test"), {
      intent: "saveMeasurements",
      viewState: JSON.stringify({ ...initialViewerState(series.id), annotations }),
    });
    expect(outsider.status).toBe(404);
    expect(await storedDocuments(caseId, SR_SOP_CLASSES.comprehensive)).toHaveLength(0);
  });

  it("keeps the study's key images as one Key Object Selection, rewritten at each new key image", async () => {
    const { caseId, series } = await caseUnderReviewWithCt();
    const consultant = await signIn("consultant@demo.test");
    const instances = await getDb().imagingInstance.findMany({ where: { seriesId: series.id }, orderBy: { sopInstanceUid: "asc" } });
    const mark = (i: number, note: string) =>
      postTo(caseId, series.id, consultant, {
        note,
        sopInstanceUid: instances[i].sopInstanceUid,
        frame: "0",
        viewState: JSON.stringify(initialViewerState(series.id)),
      });
    expect((await mark(0, "Spiculated nodule")).data).toEqual({ error: null, saved: true });
    const first = await storedDocuments(caseId, SR_SOP_CLASSES.keyObjectSelection);
    expect(first).toHaveLength(1);
    expect((await mark(1, "右肺上叶结节")).data).toEqual({ error: null, saved: true });
    const second = await storedDocuments(caseId, SR_SOP_CLASSES.keyObjectSelection);
    expect(second).toHaveLength(1);
    expect(second[0].sopInstanceUid).not.toBe(first[0].sopInstanceUid);
    expect(second[0].seriesId).toBe(first[0].seriesId);
    expect(second[0].series.modality).toBe("KO");
    expect(existsSync(objectPath(first[0].sha256)), "the replaced document's file is deleted").toBe(false);
    expect(existsSync(objectPath(second[0].sha256))).toBe(true);

    const { dump, errors, warnings } = checkedByTools(second[0].sha256, "kos.dcm");
    expect(errors).toEqual([]);
    console.log(`dciodvfy warnings on the stored key object selection:\n${warnings.join("\n")}`);
    expect(dump).toContain('<CONTAINER:(,,"Of Interest")=SEPARATE>');
    expect(dump).toContain('"Key Object Description")="Spiculated nodule\\n');
    for (const i of [0, 1]) expect(dump).toContain(`<contains IMAGE:=(CT image,"${instances[i].sopInstanceUid}")>`);
    const bytes = Number((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).imagingBytes);
    const stored = await getDb().imagingInstance.aggregate({ where: { series: { study: { caseId } } }, _sum: { size: true } });
    expect(bytes).toBe(stored._sum.size);
    expect(await getDb().auditEvent.count({ where: { action: "imaging.keyObjectSelection", entityId: caseId } })).toBe(2);
  });

  it("ingests the corpus's TID 1500 report de-identified and lists its values, its referenced images not being in the case", async () => {
    const { caseId, series, physician } = await caseUnderReviewWithCt();
    const result = await ingestDicom(getDb(), caseId, readFileSync(path.join(CORPUS, "derived/tid1500-sr.dcm")), "sr.dcm");
    expect(result.status).toBe("stored");
    const [document] = await storedDocuments(caseId, SR_SOP_CLASSES.comprehensive);
    const { dump } = checkedByTools(document.sha256, "corpus.dcm");
    expect(dump).not.toContain("QIN-HEADNECK");
    expect(dump).not.toContain("User2");
    const page = await open(caseId, series.id, physician);
    const [row] = page.data.reports[0].rows;
    expect(row).toMatchObject({ trackingIdentifier: "primary tumor", finding: "Neoplasm, Primary", findingSite: "pharyngeal tonsil (adenoid)", target: null });
    const dumped = [...dump.matchAll(/<contains NUM:\(,,"([^"]+)"\)="([^"]+)"/g)].map((m) => ({ name: m[1], value: Number(m[2]) }));
    expect(row.measurements.map((m: { name: string; value: number }) => ({ name: m.name, value: m.value }))).toEqual(dumped);
  });
  it("draws a case's saved measurements on the live board's shared viewer, for every participant who may read the case", async () => {
    const { session, wuhan } = await scheduledBoard(getDb(), { wuhanOnly: true });
    for (const f of ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"])
      await ingestDicom(getDb(), wuhan.id, readFileSync(path.join(CORPUS, "ct-series", f)), f);
    const series = await getDb().imagingSeries.findFirstOrThrow({ where: { study: { caseId: wuhan.id }, modality: "CT" } });
    const annotations: Annotation[] = [{ kind: "length", slice: 2, start: { x: 10, y: 20 }, end: { x: 50, y: 20 } }];
    const saved = await postTo(wuhan.id, series.id, await signIn("consultant@demo.test"), {
      intent: "saveMeasurements",
      viewState: JSON.stringify({ ...initialViewerState(series.id), annotations }),
    });
    expect(saved.data).toMatchObject({ saved: true, measurements: 1 });
    const room = await run(roomRoute.loader, {
      request: get(`/sessions/${session.id}/room`, await signIn("physician@demo.test")),
      params: { sessionId: session.id },
    });
    expect(room.status).toBe(200);
    const [item] = (room.data as { items: { caseId: string; reports: { rows: unknown[] }[] }[] }).items;
    expect(item.caseId).toBe(wuhan.id);
    expect(item.reports).toHaveLength(1);
    expect(item.reports[0].rows[0]).toMatchObject({
      target: { seriesId: series.id, slice: 2 },
      graphic: {
        type: "POLYLINE",
        points: [
          [10, 20],
          [50, 20],
        ],
      },
    });
  });
});
