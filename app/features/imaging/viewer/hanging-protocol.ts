/**
 * The default hanging protocol for oncology follow-up: the series opened beside the same kind of series from the
 * prior study, in 1×2, scrolling together. Pure rules, no I/O.
 */
import { daysBetween } from "~/features/imaging/study-label";
import { sliceCount, workspaceOf, type ViewerStudy, type WorkspaceState } from "./workspace-state";

export type ProtocolSeries = { id: string; modality: string | null; bodyPart: string | null; slices: number };
export type ProtocolStudy = { studyDate: string | null; series: ProtocolSeries[] };

const bodyPartOf = (series: ProtocolSeries) => series.bodyPart?.trim().toUpperCase() || null;

/**
 * The prior of a series: a series of the same modality in the latest study dated before the series' own; its body
 * part the same, or unrecorded on either side (many scanners leave it out), an exact match preferred; then the one
 * with most slices (the main volume rather than a scout). Null when the series' study has no date or no study
 * before it holds such a series.
 */
export function choosePrior(studies: ProtocolStudy[], seriesId: string): ProtocolSeries | null {
  const currentStudy = studies.find((study) => study.series.some((s) => s.id === seriesId));
  const current = currentStudy?.series.find((s) => s.id === seriesId);
  if (!currentStudy || !current?.modality) return null;
  const part = bodyPartOf(current);
  const candidates = studies.flatMap((study) => {
    const daysBefore = daysBetween(study.studyDate, currentStudy.studyDate);
    if (daysBefore === null || daysBefore <= 0) return [];
    return study.series
      .filter((s) => s.modality === current.modality && (part === null || bodyPartOf(s) === null || bodyPartOf(s) === part))
      .map((series) => ({ series, daysBefore, exact: part !== null && bodyPartOf(series) === part }));
  });
  candidates.sort((a, b) => a.daysBefore - b.daysBefore || Number(b.exact) - Number(a.exact) || b.series.slices - a.series.slices);
  return candidates[0]?.series ?? null;
}

/** The workspace a series opens in: beside its prior in 1×2, linked by slice position, when it has one; else alone. */
export function followUpWorkspace(studies: ViewerStudy[], seriesId: string): WorkspaceState {
  const prior = choosePrior(
    studies.map((study) => ({ studyDate: study.studyDate, series: study.series.map((s) => ({ ...s.series, slices: sliceCount(s) })) })),
    seriesId,
  );
  return prior ? workspaceOf("1x2", [seriesId, prior.id]) : workspaceOf("1x1", [seriesId]);
}
