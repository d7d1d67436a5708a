/**
 * DICOM SR in a case: the measurement reports (TID 1500) the viewer lists and draws, the viewer's measurements saved as such a
 * report, and the study's key images kept as one Key Object Selection document. The documents are written from the case's own
 * de-identified instances (structured-report-writer.ts) and stored through the one ingest path, as a new series.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { auditCase, type CaseCaller } from "~/features/cases/case-access.server";
import { getDb, type Db } from "~/platform/db.server";
import { objectPath } from "~/platform/storage.server";
import { dictionaryVr } from "./dicom/deid-profile";
import { remapUid } from "./dicom/deidentify";
import { parseHeader, parsePart10, writePart10, type Dataset } from "./dicom/part10";
import { isMeasurementReportClass, readMeasurementReport, SR_SOP_CLASSES } from "./dicom/structured-report";
import { keyObjectDocument, measurementReportDocument, type DocumentIds } from "./dicom/structured-report-writer";
import { caseDeidContext } from "./deid-context.server";
import { imagingAbilities, notAllowed, type ImagingStepResult } from "./imaging-access";
import { ingestDicom } from "./imaging-ingest.server";
import { inStackOrder, removeUnreferencedObjects, visibleSeries } from "./imaging-store.server";
import { reportMeasurements, srDocumentView, type SrDocumentView, type SliceRef } from "./viewer/sr-measurements";
import type { ViewerStudy } from "./viewer/workspace-state";
import { readViewerState, stackSlices } from "./viewer/viewer-state";

/** The most measurement reports the viewer reads for one page. */
export const MAX_REPORTS = 50;

const newUid = () => `2.25.${BigInt(`0x${randomUUID().replace(/-/g, "")}`).toString()}`;
const numbers = (json: string | null) => (json ? (JSON.parse(json) as number[]) : null);

/** The attributes of a stored instance before its pixel data: the patient and study a document copies. */
async function headerOf(sha256: string): Promise<Dataset> {
  const parsed = parseHeader(await readFile(objectPath(sha256)), dictionaryVr, { complete: true });
  if (!parsed) throw new Error(`stored instance ${sha256} has no readable header`);
  return parsed.header.dataset;
}

async function nextSeriesNumber(db: Db, studyId: string): Promise<number> {
  const highest = await db.imagingSeries.aggregate({ where: { studyId }, _max: { seriesNumber: true } });
  return Math.max(highest._max.seriesNumber ?? 0, 900) + 1;
}

/**
 * The measurement reports of the case's studies on series the reader sees, each group placed on the slice of its image when
 * that image is in one of `studies` (the viewer's). Read from the stored files; the viewer's opening audits the reading.
 */
export async function measurementReportsOf(db: Db, caseId: string, studies: ViewerStudy[], seeFlaggedSeries: boolean): Promise<SrDocumentView[]> {
  const documents = await db.imagingInstance.findMany({
    where: {
      sopClassUid: { in: [SR_SOP_CLASSES.enhanced, SR_SOP_CLASSES.comprehensive, SR_SOP_CLASSES.comprehensive3d] },
      series: { study: { caseId }, ...visibleSeries(seeFlaggedSeries) },
    },
    orderBy: { createdAt: "asc" },
    take: MAX_REPORTS,
    select: { id: true, seriesId: true, sha256: true, sopClassUid: true },
  });
  const slices = new Map<string, { seriesId: string; slice: number }>();
  for (const series of studies.flatMap((study) => study.series)) {
    stackSlices(series.instances).forEach((s, slice) => slices.set(`${s.uid}/${s.frame}`, { seriesId: series.series.id, slice }));
  }
  const views: SrDocumentView[] = [];
  for (const document of documents) {
    if (!isMeasurementReportClass(document.sopClassUid)) continue;
    try {
      const report = readMeasurementReport(parsePart10(await readFile(objectPath(document.sha256)), dictionaryVr));
      if (report.groups.length === 0) continue;
      views.push(srDocumentView(document, report, (uid, frame) => slices.get(`${uid}/${frame === null ? 0 : frame - 1}`) ?? null));
    } catch {
      // A document the parser refuses is still listed with the series on the case page; the viewer has nothing to draw from it.
    }
  }
  return views;
}

/**
 * The viewer's measurements of a series (the annotations of `viewState`) saved as a TID 1500 measurement report by the
 * reader, a new SR series of the study. Null: no such series for this reader.
 */
export async function saveMeasurementReport(
  caller: CaseCaller & { seriesId: string; viewState: string },
): Promise<(ImagingStepResult & { measurements?: number }) | null> {
  const { user, facts, meta, db = getDb() } = caller;
  const may = imagingAbilities(user, facts);
  if (!may.saveMeasurements) return notAllowed;
  const series = await db.imagingSeries.findFirst({
    where: { id: caller.seriesId, study: { caseId: facts.id }, ...visibleSeries(may.seeFlaggedSeries) },
    select: {
      id: true,
      seriesInstanceUid: true,
      studyId: true,
      instances: {
        select: {
          sopInstanceUid: true,
          sopClassUid: true,
          instanceNumber: true,
          imagePosition: true,
          imageOrientation: true,
          frames: true,
          pixelSpacing: true,
          sha256: true,
        },
      },
    },
  });
  if (!series) return null;
  const view = readViewerState(caller.viewState);
  if (!view || view.seriesId !== series.id) return { ok: false, status: 400, errorKey: "imaging:reports.invalid" };
  const ordered = inStackOrder(series.instances);
  const stack = stackSlices(ordered.map((i) => ({ uid: i.sopInstanceUid, frames: i.frames })));
  const byUid = new Map(ordered.map((i) => [i.sopInstanceUid, i]));
  const sliceOf = (slice: number) => {
    const at = stack[slice];
    const instance = at && byUid.get(at.uid);
    if (!instance?.sopClassUid) return null;
    const spacing = numbers(instance.pixelSpacing);
    const ref: SliceRef = {
      sopClassUid: instance.sopClassUid,
      sopInstanceUid: instance.sopInstanceUid,
      seriesInstanceUid: series.seriesInstanceUid,
      frames: instance.frames,
      frame: at.frame,
    };
    return { ...ref, spacing: spacing?.length === 2 ? ([spacing[0], spacing[1]] as const) : null };
  };
  const measurements = reportMeasurements(view.annotations, sliceOf, newUid);
  if (measurements.length === 0) return { ok: false, status: 400, errorKey: "imaging:reports.nothingToSave" };
  const source = byUid.get(measurements[0].image.sopInstanceUid)!;
  const ids: DocumentIds = { sopInstanceUid: newUid(), seriesInstanceUid: newUid(), seriesNumber: await nextSeriesNumber(db, series.studyId), now: new Date() };
  const document = measurementReportDocument(await headerOf(source.sha256), ids, user.displayName, measurements);
  const stored = await ingestDicom(db, facts.id, writePart10(document), "measurements.dcm", { generated: true });
  if (stored.status === "rejected") return { ok: false, status: 400, errorKey: stored.reasonKey ?? "imaging:reports.invalid" };
  await auditCase({
    db,
    user,
    meta,
    caseId: facts.id,
    action: "imaging.measurementReport",
    details: { seriesId: series.id, measurements: measurements.length, sopInstanceUid: ids.sopInstanceUid },
  });
  return { ok: true, measurements: measurements.length };
}

/**
 * Writes the study's key images again as its one Key Object Selection document ("Of Interest", the notes as its description),
 * replacing the previous one: its series has one UID per study, derived from the case's secret.
 */
export async function writeKeyObjectSelection(caller: CaseCaller & { studyId: string }): Promise<void> {
  const { user, facts, meta, db = getDb() } = caller;
  const study = await db.imagingStudy.findFirst({ where: { id: caller.studyId, caseId: facts.id }, select: { id: true, studyInstanceUid: true } });
  if (!study) return;
  const keyImages = await db.keyImage.findMany({
    where: { caseId: facts.id, series: { studyId: study.id } },
    orderBy: { createdAt: "asc" },
    select: { sopInstanceUid: true, frame: true, note: true, series: { select: { id: true, seriesInstanceUid: true } } },
  });
  if (keyImages.length === 0) return;
  const instances = await db.imagingInstance.findMany({
    where: { OR: keyImages.map((k) => ({ seriesId: k.series.id, sopInstanceUid: k.sopInstanceUid })) },
    select: { seriesId: true, sopInstanceUid: true, sopClassUid: true, frames: true, sha256: true },
  });
  const instanceOf = new Map(instances.map((i) => [`${i.seriesId}/${i.sopInstanceUid}`, i]));
  const images = keyImages.flatMap((k) => {
    const instance = instanceOf.get(`${k.series.id}/${k.sopInstanceUid}`);
    if (!instance?.sopClassUid) return [];
    const frame = instance.frames > 1 ? k.frame + 1 : null;
    return [{ sopClassUid: instance.sopClassUid, sopInstanceUid: k.sopInstanceUid, seriesInstanceUid: k.series.seriesInstanceUid, frame, note: k.note }];
  });
  if (images.length === 0) return;
  const { uidSecret } = await caseDeidContext(db, facts.id);
  const seriesInstanceUid = remapUid(`key-object-selection\0${study.studyInstanceUid}`, uidSecret);
  const previous = await db.imagingInstance.findMany({
    where: { series: { studyId: study.id, seriesInstanceUid }, sopClassUid: SR_SOP_CLASSES.keyObjectSelection },
    select: { id: true, size: true, sha256: true },
  });
  const sopInstanceUid = newUid();
  const ids: DocumentIds = { sopInstanceUid, seriesInstanceUid, seriesNumber: 900, now: new Date() };
  const source = await headerOf(instances.find((i) => i.sopInstanceUid === images[0].sopInstanceUid)!.sha256);
  const stored = await ingestDicom(db, facts.id, writePart10(keyObjectDocument(source, ids, images)), "key-images.dcm", { generated: true });
  if (stored.status !== "stored") return;
  if (previous.length > 0) {
    await db.$transaction([
      db.imagingInstance.deleteMany({ where: { id: { in: previous.map((p) => p.id) } } }),
      db.case.update({ where: { id: facts.id }, data: { imagingBytes: { decrement: BigInt(previous.reduce((sum, p) => sum + p.size, 0)) } } }),
    ]);
    await removeUnreferencedObjects(
      db,
      previous.map((p) => p.sha256),
    );
  }
  await auditCase({
    db,
    user,
    meta,
    caseId: facts.id,
    action: "imaging.keyObjectSelection",
    details: { studyId: study.id, sopInstanceUid, images: images.length },
  });
}
