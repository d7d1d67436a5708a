/** The live room's viewer: the presenter drives it, the others follow or step away and look on their own. */
import { lazy, Suspense, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { initialViewerState, readViewerState, sliceNumber, type ViewerState } from "~/features/imaging/viewer/viewer-state";
import type { BoardView } from "~/features/boards/room/board-contracts";
import type { KeyImageItem } from "~/features/imaging/key-images/key-image-list";
import { isSegmentation, type ViewerSeries } from "~/features/imaging/viewer/workspace-state";
import { overlaysOf, useSegmentations } from "~/features/imaging/viewer/segmentation-overlay";
import { SrReportPanel, srOverlaysBySeries } from "~/features/imaging/viewer/sr-report-panel";
import type { SrDocumentView, SrTarget } from "~/features/imaging/viewer/sr-measurements";

// cornerstone needs a window: the viewer loads in the browser only.
const DicomViewer = lazy(() => import("~/features/imaging/viewer/dicom-viewer.client"));

type Point = { x: number; y: number };

type Props = {
  agendaItemId: string;
  series: ViewerSeries[];
  keyImages: KeyImageItem[];
  /** The case's SR measurement reports, drawn on their slices. */
  reports: SrDocumentView[];
  isPresenter: boolean;
  view: (BoardView & { presenterId: string }) | null;
  shareView: (agendaItemId: string, state: ViewerState, pointer: Point | null) => void;
  /** Whether a follower shows the presenter's view (the room's shortcut toggles it too). */
  following: boolean;
  onFollowingChange: (following: boolean) => void;
};

/**
 * The board's shared image: the presenter's viewer state goes to everyone;
 * a follower shows it until they step away to look on their own, and one
 * click follows again.
 */
export function BoardViewer({ agendaItemId, series: allSeries, keyImages, reports, isPresenter, view, shareView, following, onFollowingChange }: Props) {
  const { t } = useTranslation();
  const id = useId();
  // DICOM SEG series are painted over the series they segment, not offered as series of their own.
  const segmentationSources = useSegmentations(allSeries);
  const series = allSeries.filter((s) => !isSegmentation(s));
  const srOverlays = srOverlaysBySeries(reports, t);
  const [hydrated, setHydrated] = useState(false);
  const [own, setOwn] = useState<ViewerState | null>(null);
  const [ownSeriesId, setOwnSeriesId] = useState(series[0]?.series.id ?? null);
  const shared = useRef<{ state: ViewerState | null; pointer: Point | null }>({ state: null, pointer: null });
  useEffect(() => setHydrated(true), []);
  const share = (change: Partial<{ state: ViewerState; pointer: Point | null }>) => {
    shared.current = { ...shared.current, ...change };
    if (shared.current.state) shareView(agendaItemId, shared.current.state, shared.current.pointer);
  };

  const followed = !isPresenter && following && view ? view.state : null;
  const seriesId = followed?.seriesId ?? own?.seriesId ?? ownSeriesId;
  const current = series.find((s) => s.series.id === seriesId) ?? series[0];
  if (!current) return <p className="muted">{t("room:viewer.noImages")}</p>;

  const show = (state: ViewerState) => {
    setOwn(state);
    setOwnSeriesId(state.seriesId);
  };
  const showKeyImage = (k: KeyImageItem) => {
    const state = readViewerState(k.viewState);
    if (state) show(state);
  };
  const showReportRow = (target: SrTarget) => show({ ...initialViewerState(target.seriesId), slice: target.slice });

  return (
    <section aria-labelledby={`${id}-title`} className="board-viewer">
      <div className="board-viewer-bar">
        <h3 id={`${id}-title`}>{t("room:viewer.title")}</h3>
        <p role="status" className="muted">
          {isPresenter ? t("room:viewer.presenting") : following && view ? t("room:viewer.following") : t("room:viewer.onYourOwn")}
        </p>
        {!isPresenter && (
          <button type="button" className="button-secondary" onClick={() => onFollowingChange(!following)} aria-pressed={!following}>
            {following ? t("room:viewer.stepAway") : t("room:viewer.follow")}
          </button>
        )}
      </div>
      {(isPresenter || !following) && (
        <div className="field field-inline">
          <label htmlFor={`${id}-series`}>{t("room:viewer.series")}</label>
          <select
            id={`${id}-series`}
            value={current.series.id}
            onChange={(e) => {
              setOwn(null);
              setOwnSeriesId(e.currentTarget.value);
            }}
          >
            {series.map((s) => (
              <option key={s.series.id} value={s.series.id}>
                {t("room:viewer.seriesOption", { number: s.series.number ?? "—", modality: s.series.modality ?? "", description: s.series.description ?? "" })}
              </option>
            ))}
          </select>
          {reports.length > 0 && (
            <details className="board-reports">
              <summary>{t("room:viewer.reports", { count: reports.length })}</summary>
              <SrReportPanel
                reports={reports}
                sliceNumberOf={(target) => {
                  const shown = series.find((s) => s.series.id === target.seriesId);
                  return shown ? t("imaging:reports.where", { series: shown.series.number ?? "—", slice: sliceNumber(target.slice) }) : null;
                }}
                onShow={showReportRow}
              />
            </details>
          )}
        </div>
      )}
      {isPresenter && keyImages.length > 0 && (
        <ul className="board-key-images">
          {keyImages.map((k) => (
            <li key={k.id}>
              <button type="button" className="button-link" onClick={() => showKeyImage(k)}>
                {t("room:viewer.showKeyImage", { note: k.note })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {hydrated ? (
        <Suspense fallback={<p role="status">{t("imaging:viewer.loading")}</p>}>
          <DicomViewer
            key={current.series.id}
            {...current}
            canMarkKeyImage={false}
            overlays={overlaysOf(allSeries, segmentationSources, current.series.id)}
            srOverlays={srOverlays.get(current.series.id)}
            externalState={followed ?? (own?.seriesId === current.series.id ? own : null)}
            onStateChange={isPresenter ? (state) => share({ state }) : undefined}
            onPointer={isPresenter ? (pointer) => share({ pointer }) : undefined}
            remotePointer={followed ? (view?.pointer ?? null) : null}
          />
        </Suspense>
      ) : (
        <p role="status">{t("imaging:viewer.loading")}</p>
      )}
    </section>
  );
}
