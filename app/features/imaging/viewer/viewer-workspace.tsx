/**
 * The case viewer as a reading room: a dark, full-height workspace with the case's series as thumbnails, a layout of
 * one, two or four viewports each holding a series, the active one highlighted and given the tools, and scrolling
 * linked by slice position. Its state is a WorkspaceState (workspace-state.ts), changed only through its reducer.
 */
import { Link } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useId, useReducer, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatStudyDate } from "~/features/imaging/study-label";
import DicomViewer from "./dicom-viewer.client";
import { SeriesThumbnails } from "./series-thumbnails";
import { SrReportPanel, srOverlaysBySeries } from "./sr-report-panel";
import type { SrDocumentView, SrTarget } from "./sr-measurements";
import { sliceNumber } from "./viewer-state";
import { useHydrated } from "~/ui/use-hydrated";
import { parallelPlanes, type ImagePlane } from "./image-plane";
import { overlaysOf, useSegmentations } from "./segmentation-overlay";
import { PreviewImage } from "./preview-image";
import {
  isSegmentation,
  LAYOUTS,
  studyRelations,
  workspaceReducer,
  type Layout,
  type StudyRelation,
  type ViewerSeries,
  type SlicePreview,
  type ViewerStudy,
  type WorkspaceState,
} from "./workspace-state";

type Props = {
  caseId: string;
  caseCode: string;
  studies: ViewerStudy[];
  initial: WorkspaceState;
  /** The slice the page opened on, rendered by the server, shown until its viewport has drawn it. */
  preview?: SlicePreview | null;
  canMarkKeyImage: boolean;
  canSaveMeasurements?: boolean;
  /** The case's SR measurement reports, listed beside the images and drawn on the slices they refer to. */
  reports?: SrDocumentView[];
};

const LAYOUT_NAMES: Record<Layout, string> = {
  "1x1": "imaging:workspace.layouts.single",
  "1x2": "imaging:workspace.layouts.sideBySide",
  "2x2": "imaging:workspace.layouts.grid",
};

export function ViewerWorkspace({ caseId, caseCode, studies, initial, preview = null, canMarkKeyImage, canSaveMeasurements = false, reports = [] }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  // cornerstone needs a canvas and a window: the viewports render in the browser only, right after hydration.
  const hydrated = useHydrated();
  const [workspace, dispatch] = useReducer(workspaceReducer, initial);
  const [position, setPosition] = useState<{ from: number; mm: number } | null>(null);
  const [tools, setTools] = useState<HTMLElement | null>(null);
  const [details, setDetails] = useState<HTMLElement | null>(null);
  const panels = tools && details ? { tools, details } : null;
  const [planes, setPlanes] = useState<Record<number, ImagePlane | null>>({});
  const [goTo, setGoTo] = useState<(SrTarget & { at: number }) | null>(null);
  const overlays = srOverlaysBySeries(reports, t);

  const allSeries = studies.flatMap((study) => study.series);
  // Where each SEG series lies over; a viewport asked to show one shows its source series, with it painted over.
  const segmentationSources = useSegmentations(allSeries);
  const seriesById = new Map(studies.flatMap((study) => study.series.map((s) => [s.series.id, { source: s, study }] as const)));
  const seriesOrder = allSeries.filter((s) => !isSegmentation(s)).map((s) => s.series.id);
  const onScreen = workspace.viewports.map((viewport) => {
    const asked = viewport.seriesId ? (seriesById.get(viewport.seriesId) ?? null) : null;
    const source = asked && isSegmentation(asked.source) ? segmentationSources?.get(asked.source.series.id) : undefined;
    return { id: viewport.id, shows: source ? (seriesById.get(source) ?? null) : asked, segmentationOnly: source !== undefined && !source };
  });
  const [previewViewport] = useState(() => initial.viewports.find((viewport) => viewport.seriesId === preview?.seriesId)?.id ?? null);
  const relations = studyRelations(onScreen.map((viewport) => viewport.shows?.study.studyDate ?? null));
  const several = workspace.viewports.length > 1;
  const showReportRow = (target: SrTarget) => {
    const shownAt = workspace.viewports.findIndex((viewport) => viewport.seriesId === target.seriesId);
    if (shownAt >= 0) dispatch({ type: "activate", viewport: shownAt });
    else dispatch({ type: "load", seriesId: target.seriesId });
    setGoTo({ ...target, at: Date.now() });
  };

  return (
    <section className="viewer-workspace" aria-labelledby={`${id}-title`}>
      <div className="viewer-workspace-bar">
        <Link to={`/cases/${caseId}`}>{t("imaging:viewer.backToCase", { code: caseCode })}</Link>
        <h1 id={`${id}-title`}>{t("imaging:workspace.title", { code: caseCode })}</h1>
        <div role="group" aria-label={t("imaging:workspace.layout")} className="viewer-layouts">
          {(Object.keys(LAYOUTS) as Layout[]).map((layout) => (
            <button
              key={layout}
              type="button"
              aria-pressed={workspace.layout === layout}
              aria-label={t(LAYOUT_NAMES[layout])}
              onClick={() => dispatch({ type: "layout", layout, seriesOrder })}
            >
              {t("imaging:workspace.layoutShort", LAYOUTS[layout])}
            </button>
          ))}
        </div>
        {several && (
          <div className="field checkbox">
            <input
              id={`${id}-linked`}
              type="checkbox"
              checked={workspace.linked}
              onChange={(e) => dispatch({ type: "link", linked: e.currentTarget.checked })}
            />
            <label htmlFor={`${id}-linked`}>{t("imaging:viewer.linkScrolling")}</label>
          </div>
        )}
      </div>
      <SeriesThumbnails
        studies={studies}
        segmentationSources={segmentationSources}
        activeSeriesId={workspace.viewports[workspace.active]?.seriesId ?? null}
        onChoose={(seriesId) => dispatch({ type: "load", seriesId })}
      />
      <div className="viewer-workspace-main">
        <div ref={setTools} className="viewer-workspace-tools" />
        <div className={`viewer-grid viewer-grid-${workspace.layout}`}>
          {onScreen.map(({ id: viewportId, shows, segmentationOnly }, index) => {
            const active = index === workspace.active;
            const label = shows && viewportLabel(shows.study.studyDate, relations[index], t, i18n.language);
            // Only the viewport the page opened on, and only until its viewer has drawn.
            const previewUrl = preview && viewportId === previewViewport && shows?.source.series.id === preview.seriesId ? preview.url : null;
            return (
              <div
                key={viewportId}
                role="group"
                aria-label={shows ? `${seriesTitle(shows.source, t)} · ${label}` : t("imaging:workspace.emptyName", { number: index + 1 })}
                aria-current={active || undefined}
                className="viewer-cell"
                onPointerDownCapture={() => dispatch({ type: "activate", viewport: index })}
                onFocusCapture={() => dispatch({ type: "activate", viewport: index })}
              >
                {!shows ? (
                  <button type="button" className="viewer-cell-empty">
                    {t("imaging:workspace.empty")}
                  </button>
                ) : segmentationOnly ? (
                  <p className="viewer-cell-empty">{t("imaging:workspace.segmentationOnly")}</p>
                ) : hydrated && !(isSegmentation(shows.source) && segmentationSources === undefined) ? (
                  <DicomViewer
                    key={shows.source.series.id}
                    {...shows.source}
                    canMarkKeyImage={canMarkKeyImage}
                    overlays={overlaysOf(allSeries, segmentationSources, shows.source.series.id)}
                    onPlane={(plane) => setPlanes((known) => (known[viewportId] === plane ? known : { ...known, [viewportId]: plane }))}
                    referencePlanes={onScreen.flatMap((other) => (other.id !== viewportId && other.shows && planes[other.id] ? [planes[other.id]!] : []))}
                    canSaveMeasurements={canSaveMeasurements}
                    srOverlays={overlays.get(shows.source.series.id)}
                    goTo={goTo?.seriesId === shows.source.series.id ? goTo : null}
                    preview={previewUrl}
                    panels={active ? panels : null}
                    label={label ?? undefined}
                    onPosition={(mm) => mm !== null && setPosition({ from: viewportId, mm })}
                    followPosition={
                      several && workspace.linked && position && position.from !== viewportId && linkable(planes[position.from], planes[viewportId])
                        ? position.mm
                        : null
                    }
                  />
                ) : (
                  <>
                    {previewUrl && <PreviewImage src={previewUrl} />}
                    <p role="status">{t("imaging:viewer.loading")}</p>
                  </>
                )}
              </div>
            );
          })}
        </div>
      </div>
      <aside className="viewer-workspace-details" aria-label={t("imaging:workspace.details")}>
        <div ref={setDetails} />
        <SrReportPanel
          reports={reports}
          sliceNumberOf={(target) => {
            const shown = seriesById.get(target.seriesId);
            return shown ? t("imaging:reports.where", { series: shown.source.series.number ?? "—", slice: sliceNumber(target.slice) }) : null;
          }}
          onShow={showReportRow}
        />
      </aside>
    </section>
  );
}

/** Stacks scroll together by position only when their slices are parallel (or where that is not known). */
const linkable = (from: ImagePlane | null | undefined, to: ImagePlane | null | undefined) => !from || !to || parallelPlanes(from, to);

function seriesTitle({ series }: ViewerSeries, t: TFunction) {
  return t("imaging:viewer.title", { number: series.number ?? "—", modality: series.modality ?? "", description: series.description ?? "" });
}

/** "Prior, −92 days · 12 Dec 2023": the study's date, and where it stands when studies of other dates are on screen. */
function viewportLabel(studyDate: string | null, relation: StudyRelation | null, t: TFunction, locale: string) {
  const date = formatStudyDate(studyDate, t, locale);
  if (!relation) return date;
  return relation.kind === "current" ? t("imaging:workspace.current", { date }) : t("imaging:workspace.prior", { count: -relation.days, date });
}
