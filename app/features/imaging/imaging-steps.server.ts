/** What users do with a case's images outside the ingest paths: each step checks the imaging abilities, writes, and audits. */
import type { AppLoadContext } from "@remix-run/node";
import { safeFileName } from "~/platform/request-body.server";
import { auditCase, requireCase, type CaseCaller } from "~/features/cases/case-access.server";
import { getDb } from "~/platform/db.server";
import type { DeidContext } from "./dicom/deidentify";
import { REJECTION_KEYS } from "./dicom/rejection-keys";
import { caseDeidContext } from "./deid-context.server";
import { attachMatchingInboxStudies } from "./dicom-inbox.server";
import { imagingAbilities, notAllowed, type ImagingAbilities, type ImagingAbility, type ImagingStepResult, type Refusal } from "./imaging-access";
import { eachStowPart, readStowParts } from "./dicomweb.server";
import { ingestDicom, type IngestResult } from "./imaging-ingest.server";
import { partFileName, UPLOAD_BATCH } from "./upload-batch";
import { viewerStudies, visibleSeries } from "./imaging-store.server";
import { linkageHash } from "./linkage.server";
import { openingPreview } from "./dicomweb-wado.server";
import { prepareViewerSeries } from "./renditions.server";
import { measurementReportsOf, writeKeyObjectSelection } from "./structured-reports.server";
import { followUpWorkspace } from "./viewer/hanging-protocol";
import { readViewerState, stackSlices } from "./viewer/viewer-state";
import { renderedSliceUrl, shownSeries, workspaceOf, type SlicePreview } from "./viewer/workspace-state";

/** The case, for a user with the imaging ability; otherwise the case gate's audited 404. */
export async function requireCaseImaging(request: Request, context: AppLoadContext, caseId: string | undefined, ability: ImagingAbility) {
  const caller = await requireCase(request, context, caseId, (actor, facts) => imagingAbilities(actor, facts)[ability]);
  return { ...caller, imaging: imagingAbilities(caller.user, caller.facts) as ImagingAbilities };
}

/** The treating side enters the study's accession number or hospital patient ID (kept only as a keyed hash); waiting inbox studies that match are attached. */
export async function setLinkageKey(caller: CaseCaller & { linkageKey: string }): Promise<ImagingStepResult & { attached?: number }> {
  const { user, facts, meta, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).setLinkage) return notAllowed;
  const hash = await linkageHash(db, facts.institutionId, caller.linkageKey);
  await db.case.update({ where: { id: facts.id }, data: { linkageKeyHash: hash } });
  await auditCase({ db, user, meta, caseId: facts.id, action: "imaging.setLinkage" });
  return { ok: true, attached: await attachMatchingInboxStudies({ user, meta, caseId: facts.id, linkageKeyHash: hash, db }) };
}

/**
 * The case's de-identification context, for the upload worker of a user who may add imaging: files are de-identified in their
 * browser, so nothing identifiable leaves the hospital. Audited, as it lets its holder link the case's pseudonymous UIDs.
 */
export async function loadUploadContext(caller: CaseCaller): Promise<{ ok: true; context: DeidContext } | Refusal> {
  const { user, facts, meta, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).addImaging) return notAllowed;
  const context = await caseDeidContext(db, facts.id);
  await auditCase({ db, user, meta, caseId: facts.id, action: "imaging.uploadContext" });
  return { ok: true, context };
}

/**
 * A batch of DICOM files from the browser, de-identified there (multipart/related, each part named by its
 * Content-Disposition, see upload-batch.ts): each is checked against the profile and the case's seal, then stored, one
 * part in memory at a time; the answer lists each part's result in order.
 */
export async function uploadDicomFiles(
  caller: CaseCaller & { request: Request },
): Promise<{ ok: true; results: IngestResult[] } | Refusal | { ok: false; status: 415; errorKey: string }> {
  const { user, facts, meta, request, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).addImaging) return notAllowed;
  const parts = readStowParts(request, UPLOAD_BATCH.files);
  if (parts instanceof Response) return { ok: false, status: 415, errorKey: "imaging:upload.noFiles" };
  const results: IngestResult[] = [];
  let interrupted = true;
  try {
    await eachStowPart(parts, async (part, i) => {
      const fileName = safeFileName(partFileName(part.headers) ?? "") || `upload-${i + 1}.dcm`;
      const result = part.tooLarge
        ? { fileName, status: "rejected" as const, reasonKey: REJECTION_KEYS.fileTooLarge }
        : await ingestDicom(db, facts.id, part.bytes, fileName, { deidentified: true, handOver: true });
      results.push(result);
      return result;
    });
    interrupted = false;
  } finally {
    // Files stored before a dropped connection or a failure are audited all the same.
    if (results.length > 0) {
      await auditCase({
        db,
        user,
        meta,
        caseId: facts.id,
        action: "imaging.upload",
        details: {
          stored: results.filter((r) => r.status === "stored").length,
          duplicate: results.filter((r) => r.status === "duplicate").length,
          rejected: results.filter((r) => r.status === "rejected").map((r) => ({ file: r.fileName, reason: r.reasonKey })),
          ...(interrupted ? { interrupted: true } : {}),
        },
      });
    }
  }
  if (results.length === 0) return { ok: false, status: 400, errorKey: "imaging:upload.noFiles" };
  return { ok: true, results };
}

/**
 * The viewer opened on a series: every study of the case with the series the reader may see, and the workspace to
 * start with (the series beside its prior by the follow-up hanging protocol, or alone when the link names a view).
 * Null when the series is not one the reader may see. The slice shown first starts decoding now, so the page can preload it,
 * and the series' JPEG-LS renditions are made ahead of the viewer's requests; its kept preview comes in the page (`openingPreview`).
 */
export async function loadSeriesViewer(caller: CaseCaller & { seriesId: string; viewParam: string | null }) {
  const { user, facts, meta, db = getDb() } = caller;
  const may = imagingAbilities(user, facts);
  if (!may.view) return null;
  const studies = await viewerStudies(db, facts.id, may.seeFlaggedSeries);
  const main = studies.flatMap((study) => study.series).find((s) => s.series.id === caller.seriesId);
  if (!main) return null;
  const view = readViewerState(caller.viewParam);
  const workspace = view ? workspaceOf("1x1", [main.series.id]) : followUpWorkspace(studies, main.series.id);
  const slices = stackSlices(main.instances);
  const first = slices[view?.seriesId === main.series.id ? view.slice : 0] ?? slices[0];
  let carriedPreview: string | null = null;
  if (first) {
    const opening = await prepareViewerSeries(
      db,
      main.series.id,
      first.uid,
      slices.map((slice) => slice.uid),
    );
    if (opening) carriedPreview = await openingPreview(opening, first.frame);
  }
  const reports = await measurementReportsOf(db, facts.id, studies, may.seeFlaggedSeries);
  await auditCase({
    db,
    user,
    meta,
    caseId: facts.id,
    action: "imaging.view",
    details: {
      seriesId: main.series.id,
      shownSeriesIds: shownSeries(workspace),
      reportIds: reports.map((r) => r.id),
      // The page carries this slice's image itself, not read through DICOMweb, so its own audit is here.
      ...(carriedPreview && first ? { carriedPreview: `${first.uid}/frames/${first.frame + 1}` } : {}),
    },
  });
  return {
    caseId: facts.id,
    caseCode: facts.code,
    studies,
    workspace,
    firstSliceUrl: first ? `${main.instancesUrl}/${first.uid}` : null,
    preview: first ? ({ seriesId: main.series.id, url: carriedPreview ?? renderedSliceUrl(main.instancesUrl, first) } satisfies SlicePreview) : null,
    canMarkKeyImage: may.markKeyImage,
    canSaveMeasurements: may.saveMeasurements,
    reports,
  };
}

/** Marks the slice on screen of a series the reader sees as a key image, with a note and the exact view. Null: no such series. */
export async function markKeyImage(
  caller: CaseCaller & { seriesId: string; note: string; sopInstanceUid: string; frame: number; viewState: string },
): Promise<ImagingStepResult | null> {
  const { user, facts, meta, db = getDb() } = caller;
  const may = imagingAbilities(user, facts);
  if (!may.markKeyImage) return notAllowed;
  const series = await db.imagingSeries.findFirst({
    where: { id: caller.seriesId, study: { caseId: facts.id }, ...visibleSeries(may.seeFlaggedSeries) },
    select: { id: true, studyId: true },
  });
  if (!series) return null;
  const view = readViewerState(caller.viewState);
  const instance = await db.imagingInstance.findFirst({ where: { seriesId: series.id, sopInstanceUid: caller.sopInstanceUid }, select: { id: true } });
  if (!view || view.seriesId !== series.id || !instance) return { ok: false, status: 400, errorKey: "imaging:keyImages.invalid" };
  const keyImage = await db.keyImage.create({
    data: {
      caseId: facts.id,
      seriesId: series.id,
      sopInstanceUid: caller.sopInstanceUid,
      frame: caller.frame,
      viewState: JSON.stringify(view),
      note: caller.note,
      createdById: user.id,
    },
  });
  await auditCase({ db, user, meta, caseId: facts.id, action: "imaging.keyImage", details: { keyImageId: keyImage.id, seriesId: series.id } });
  await writeKeyObjectSelection({ user, facts, meta, db, studyId: series.studyId });
  return { ok: true };
}
