import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { initialViewerState } from "~/features/imaging/viewer/viewer-state";
import * as caseRoute from "~/routes/cases.$caseId._index";
import * as viewer from "~/routes/cases.$caseId.series.$seriesId";
import { getDb } from "~/platform/db.server";
import { ingestDicom } from "~/features/imaging/imaging-ingest.server";
import { get, post, run, signIn } from "../support/remix";
import { caseUnderReview } from "../support/review-case";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");

/** A case under review by consultant@demo.test, with the corpus CT series. */
async function caseUnderReviewWithCt() {
  const { caseId, physician } = await caseUnderReview();
  const db = getDb();
  for (const f of ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"])
    await ingestDicom(db, caseId, readFileSync(path.join(CORPUS, "ct-series", f)), f);
  const series = await db.imagingSeries.findFirstOrThrow({ where: { study: { caseId } }, include: { instances: true } });
  return { caseId, series, physician };
}

function mark(caseId: string, seriesId: string, cookie: string, fields: Record<string, string>) {
  return run(viewer.action, { request: post(`/cases/${caseId}/series/${seriesId}`, fields, cookie), params: { caseId, seriesId } });
}

describe("key images", () => {
  it("a consultant marks a slice with a note; the case summary lists it with the exact view to reopen", async () => {
    const { caseId, series, physician } = await caseUnderReviewWithCt();
    const consultant = await signIn("consultant@demo.test");
    const view = { ...initialViewerState(series.id), slice: 2, windowCenter: -600, windowWidth: 1500 };
    const saved = await mark(caseId, series.id, consultant, {
      note: "Spiculated nodule, right upper lobe",
      sopInstanceUid: series.instances[0].sopInstanceUid,
      frame: "0",
      viewState: JSON.stringify(view),
    });
    expect(saved.data).toEqual({ error: null, saved: true });

    const page = await run(caseRoute.loader, { request: get(`/cases/${caseId}`, physician), params: { caseId } });
    expect(page.data.keyImages).toHaveLength(1);
    expect(page.data.keyImages[0]).toMatchObject({ note: "Spiculated nodule, right upper lobe", slice: 2, seriesId: series.id, author: "Dr. Sarah Miller" });
    expect(JSON.parse(page.data.keyImages[0].viewState)).toMatchObject({ windowCenter: -600, windowWidth: 1500 });
    expect(await getDb().auditEvent.count({ where: { action: "imaging.keyImage", entityId: caseId } })).toBe(1);
  });

  it("refuses an empty note or a view of another series in the user's language, and saves nothing", async () => {
    const { caseId, series } = await caseUnderReviewWithCt();
    const consultant = await signIn("consultant@demo.test");
    const base = { sopInstanceUid: series.instances[0].sopInstanceUid, frame: "0" };
    const empty = await mark(caseId, series.id, consultant, { ...base, note: "  ", viewState: JSON.stringify(initialViewerState(series.id)) });
    expect(empty.status).toBe(400);
    expect(empty.data.error).toBe("imaging:keyImages.noteRequired");
    const otherSeries = await mark(caseId, series.id, consultant, { ...base, note: "x", viewState: JSON.stringify(initialViewerState("another-series")) });
    expect(otherSeries.data.error).toBe("imaging:keyImages.invalid");
    expect(await getDb().keyImage.count({ where: { caseId } })).toBe(0);
  });

  it("is refused to the treating physician and to consultants not on the case", async () => {
    const { caseId, series, physician } = await caseUnderReviewWithCt();
    const fields = { note: "x", sopInstanceUid: series.instances[0].sopInstanceUid, frame: "0", viewState: JSON.stringify(initialViewerState(series.id)) };
    expect((await mark(caseId, series.id, physician, fields)).status).toBe(404);
    expect((await mark(caseId, series.id, await signIn("consultant2@demo.test"), fields)).status).toBe(404);
    expect(await getDb().keyImage.count({ where: { caseId } })).toBe(0);
  });
});
