/** Reads the imaging index: series a reader may see, key images, slide key regions, and a case's studies as the viewer needs them. */
import { readViewerState, sliceOrder, stackPositions } from "~/features/imaging/viewer/viewer-state";
import type { ViewerStudy } from "~/features/imaging/viewer/workspace-state";
import type { Db } from "~/platform/db.server";
import { removeObject } from "~/platform/storage.server";
import { dicomDate } from "./study-label";

/** The series a reader may see: without `seeFlaggedSeries` (imaging-access.ts), not those held back for possible burned-in text until a coordinator clears them. */
export function visibleSeries(seeFlaggedSeries: boolean) {
  return seeFlaggedSeries ? {} : { OR: [{ burnedInRisk: false }, { burnedInClearedAt: { not: null } }] };
}

async function authorNames(db: Db, rows: { createdById: string }[]): Promise<Map<string, string>> {
  const authors = await db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } }, select: { id: true, displayName: true } });
  return new Map(authors.map((a) => [a.id, a.displayName]));
}

/** A case's key images on series the reader may see, oldest first, with their authors' names. */
export async function keyImagesOf(db: Db, caseId: string, seeFlaggedSeries: boolean) {
  const rows = await db.keyImage.findMany({
    where: { caseId, series: visibleSeries(seeFlaggedSeries) },
    orderBy: { createdAt: "asc" },
    include: { series: { select: { seriesNumber: true, modality: true } } },
  });
  const nameOf = await authorNames(db, rows);
  return rows.map((r) => ({
    id: r.id,
    seriesId: r.seriesId,
    seriesNumber: r.series.seriesNumber,
    modality: r.series.modality,
    slice: readViewerState(r.viewState)?.slice ?? 0,
    viewState: r.viewState,
    note: r.note,
    author: nameOf.get(r.createdById) ?? null,
    createdAt: r.createdAt,
  }));
}

/** Slide regions marked as key images, each with the slide's name, to reopen that region. */
export async function slideKeyRegionsOf(db: Db, caseId: string) {
  const rows = await db.slideKeyRegion.findMany({ where: { caseId }, orderBy: { createdAt: "asc" }, include: { slide: { select: { fileName: true } } } });
  const nameOf = await authorNames(db, rows);
  return rows.map((r) => ({
    id: r.id,
    slideId: r.slideId,
    slideName: r.slide.fileName,
    region: { x: r.x, y: r.y, width: r.width, height: r.height },
    note: r.note,
    author: nameOf.get(r.createdById) ?? null,
    createdAt: r.createdAt,
  }));
}

const numbers = (json: string | null) => (json ? (JSON.parse(json) as number[]) : null);

/** A series' instances in stack order (`sliceOrder`), their positions read: the order the viewer numbers slices in. */
export function inStackOrder<T extends { imagePosition: string | null; imageOrientation: string | null; instanceNumber: number | null }>(instances: T[]) {
  return sliceOrder(instances.map((i) => ({ ...i, imagePosition: numbers(i.imagePosition), imageOrientation: numbers(i.imageOrientation) })));
}

/** The latest study first, undated ones last. */
const byDateDescending = (a: { studyDate: string | null }, b: { studyDate: string | null }) =>
  (dicomDate(b.studyDate) ? b.studyDate! : "").localeCompare(dicomDate(a.studyDate) ? a.studyDate! : "");

/**
 * A case's studies with the series the reader may see, as the viewer needs them: each series' slices in stack order
 * (each frame a slice) with positions for linking. The latest study first; series by number. Series without images
 * (structured reports, key object selections) are not stacks: the viewer lists their content instead.
 */
export async function viewerStudies(db: Db, caseId: string, seeFlaggedSeries: boolean): Promise<ViewerStudy[]> {
  const studies = await db.imagingStudy.findMany({
    where: { caseId },
    orderBy: { createdAt: "asc" },
    include: {
      series: {
        where: visibleSeries(seeFlaggedSeries),
        orderBy: [{ seriesNumber: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
        include: {
          instances: { select: { sopInstanceUid: true, instanceNumber: true, imagePosition: true, imageOrientation: true, frames: true, rows: true } },
        },
      },
    },
  });
  return studies
    .map((study) => ({ ...study, series: study.series.filter((series) => series.instances.some((i) => i.rows !== null)) }))
    .filter((study) => study.series.length > 0)
    .sort(byDateDescending)
    .map((study) => ({
      id: study.id,
      studyDate: study.studyDate,
      description: study.description,
      series: study.series.map((series) => {
        const ordered = inStackOrder(series.instances);
        const positions = stackPositions(ordered);
        return {
          series: { id: series.id, number: series.seriesNumber, modality: series.modality, description: series.description, bodyPart: series.bodyPart },
          pageUrl: `/cases/${caseId}/series/${series.id}`,
          instancesUrl: `/dicomweb/cases/${caseId}/studies/${study.studyInstanceUid}/series/${series.seriesInstanceUid}/instances`,
          instances: ordered.map((i) => ({ uid: i.sopInstanceUid, frames: i.frames })),
          positions: ordered.flatMap((i, n) => Array.from({ length: i.frames }, () => (i.frames === 1 ? positions[n] : null))),
        };
      }),
    }));
}

/** Deletes each stored file (and what was derived from it) that no case instance and no inbox instance refers to any more. */
export async function removeUnreferencedObjects(db: Db, sha256s: Iterable<string>) {
  for (const sha256 of new Set(sha256s)) {
    const stillUsed = (await db.inboxInstance.count({ where: { sha256 } })) + (await db.imagingInstance.count({ where: { sha256 } }));
    if (stillUsed === 0) await removeObject(sha256);
  }
}
