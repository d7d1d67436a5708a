import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import * as viewer from "~/routes/cases.$caseId.series.$seriesId";
import { getDb } from "~/platform/db.server";
import { derivedPath } from "~/platform/storage.server";
import { ingestDicom } from "~/features/imaging/imaging-ingest.server";
import { initialViewerState } from "~/features/imaging/viewer/viewer-state";
import { workspaceOf } from "~/features/imaging/viewer/workspace-state";
import { caseUnderReview } from "../support/review-case";
import { get, run, signIn } from "../support/remix";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const FILES = [
  ...["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) => `ct-series/${f}`),
  ...["CT5N-2062.dcm", "CT5N-2392.dcm", "CT5N-2693.dcm", "CT5N-3023.dcm", "CT5N-3353.dcm"].map((f) => `ct-series-tiny/${f}`),
];

/** A case under review by consultant@demo.test holding two CT studies: three slices of 2003 and five of 2001 (both without a body part). */
async function caseWithFollowUp() {
  const { caseId, physician } = await caseUnderReview();
  const db = getDb();
  for (const file of FILES) await ingestDicom(db, caseId, readFileSync(path.join(CORPUS, file)), path.basename(file));
  const series = await db.imagingSeries.findMany({ where: { study: { caseId } }, include: { study: true, _count: { select: { instances: true } } } });
  const current = series.find((s) => s._count.instances === 3)!;
  const prior = series.find((s) => s._count.instances === 5)!;
  return { caseId, physician, current, prior };
}

const open = (caseId: string, seriesId: string, cookie: string, query = "") =>
  run(viewer.loader, { request: get(`/cases/${caseId}/series/${seriesId}${query}`, cookie), params: { caseId, seriesId } });

describe("the viewer workspace", () => {
  it("opens a follow-up series beside its prior in 1×2, lists every study latest first with its series, and audits what it shows", async () => {
    const { caseId, physician, current, prior } = await caseWithFollowUp();
    const page = await open(caseId, current.id, physician);
    expect(page.status).toBe(200);
    expect(page.data.workspace).toEqual(workspaceOf("1x2", [current.id, prior.id]));
    expect(page.data.studies.map((s: { id: string }) => s.id)).toEqual([current.studyId, prior.studyId]);
    // The date shift of de-identification keeps the interval: 17 April 2003 is 836 days after 1 January 2001.
    const [later, earlier] = page.data.studies.map((s: { studyDate: string }) => Date.parse(s.studyDate.replace(/(\d{4})(\d{2})(\d{2})/, "$1-$2-$3")));
    expect((later - earlier) / 86_400_000).toBe(836);
    const shown = page.data.studies.flatMap((s: { series: { series: { id: string }; instances: unknown[]; pageUrl: string }[] }) => s.series);
    expect(shown.map((s: { instances: unknown[] }) => s.instances.length)).toEqual([3, 5]);
    expect(shown[0].pageUrl).toBe(`/cases/${caseId}/series/${current.id}`);

    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "imaging.view", entityId: caseId }, orderBy: { id: "desc" } });
    expect(JSON.parse(audit.details)).toMatchObject({ seriesId: current.id, shownSeriesIds: [current.id, prior.id] });

    // Answering the page starts drawing the slice it opens on, so the preview the page asks for next is kept or under way.
    const previewUid = /instances\/([\d.]+)\/frames\/1\/rendered/.exec(page.data.preview.url)![1];
    const { sha256 } = await getDb().imagingInstance.findFirstOrThrow({ where: { sopInstanceUid: previewUid } });
    await vi.waitFor(() => expect(existsSync(derivedPath(sha256, "rendered-1-whole.jpg"))).toBe(true), { timeout: 20_000 });
    // Once kept, the page carries it: the kept image itself, named in the audit of the view since no DICOMweb read records it.
    const again = await open(caseId, current.id, physician);
    expect(again.data.preview.url).toBe(`data:image/jpeg;base64,${readFileSync(derivedPath(sha256, "rendered-1-whole.jpg")).toString("base64")}`);
    const carriedAudit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "imaging.view", entityId: caseId }, orderBy: { id: "desc" } });
    expect(JSON.parse(carriedAudit.details)).toMatchObject({ seriesId: current.id, carriedPreview: `${previewUid}/frames/1` });

    // The prior has no earlier study: it opens alone, as does a link to an exact view.
    expect((await open(caseId, prior.id, physician)).data.workspace).toEqual(workspaceOf("1x1", [prior.id]));
    const view = { ...initialViewerState(current.id), slice: 1 };
    const viewed = await open(caseId, current.id, physician, `?view=${encodeURIComponent(JSON.stringify(view))}`);
    expect(viewed.data.workspace).toEqual(workspaceOf("1x1", [current.id]));
    // Its preview is of the slice the view names, not the first, and is not carried before that slice's is kept.
    expect(viewed.data.preview.url).toMatch(/\/frames\/1\/rendered/);
    expect(viewed.data.preview.url).not.toContain(previewUid);
    expect((await open(caseId, current.id, physician, "?view=not-a-view")).data.workspace.layout).toBe("1x2");
  });

  it("keeps a series held back for burned-in text out of a consultant's workspace, and answers 404 for it", async () => {
    const { caseId, current, prior } = await caseWithFollowUp();
    await getDb().imagingSeries.update({ where: { id: prior.id }, data: { burnedInRisk: true } });
    const consultant = await signIn("consultant@demo.test");
    const page = await open(caseId, current.id, consultant);
    expect(page.data.workspace).toEqual(workspaceOf("1x1", [current.id]));
    expect(page.data.studies).toHaveLength(1);
    expect(JSON.stringify(page.data)).not.toContain(prior.id);
    expect((await open(caseId, prior.id, consultant)).status).toBe(404);
  });
});
