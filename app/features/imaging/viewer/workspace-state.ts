/**
 * The case viewer's workspace as data: the layout, the series each viewport holds, which viewport is active and
 * whether scrolling is linked. Each viewport's own view is a ViewerState (viewer-state.ts). Pure rules, no I/O.
 */
import { daysBetween, dicomDate } from "~/features/imaging/study-label";
import { stackSlices } from "./viewer-state";

/** A series as a viewport needs it: its slices in stack order (each frame a slice), with positions for linked scrolling. */
export type ViewerSeries = {
  series: { id: string; number: number | null; modality: string | null; description: string | null; bodyPart: string | null };
  /** The series' viewer page, where links to a view and key images go. */
  pageUrl: string;
  instancesUrl: string;
  instances: { uid: string; frames: number }[];
  /** Each slice's position along the image-plane normal (mm), null where unknown. */
  positions: (number | null)[];
};
export type ViewerStudy = { id: string; studyDate: string | null; description: string | null; series: ViewerSeries[] };

export const LAYOUTS = {
  "1x1": { rows: 1, columns: 1 },
  "1x2": { rows: 1, columns: 2 },
  "2x2": { rows: 2, columns: 2 },
} as const;
export type Layout = keyof typeof LAYOUTS;

/** A viewport: its id stays while it lives, so it keeps its view when the layout moves it; its series, or null when empty. */
export type Viewport = { id: number; seriesId: string | null };

export type WorkspaceState = {
  layout: Layout;
  /** The viewports in reading order (left to right, then down), as many as the layout has. */
  viewports: Viewport[];
  active: number;
  /** Whether the viewports scroll together by slice position. */
  linked: boolean;
};

export type WorkspaceAction =
  | { type: "layout"; layout: Layout; seriesOrder: string[] }
  | { type: "load"; seriesId: string }
  | { type: "activate"; viewport: number }
  | { type: "link"; linked: boolean };

const viewportCount = (layout: Layout) => LAYOUTS[layout].rows * LAYOUTS[layout].columns;

/** A workspace whose viewports show these series (or stay empty), the first one active. */
export function workspaceOf(layout: Layout, seriesIds: (string | null)[]): WorkspaceState {
  const viewports = Array.from({ length: viewportCount(layout) }, (_, id) => ({ id, seriesId: seriesIds[id] ?? null }));
  return { layout, viewports, active: 0, linked: true };
}

export const shownSeries = (state: WorkspaceState) => state.viewports.map((viewport) => viewport.seriesId);

/**
 * A smaller layout keeps the first viewports, and the active one in the last place if it would be dropped; a larger
 * one fills its new viewports with the series not shown yet, in the order given, then leaves them empty.
 */
function withLayout(state: WorkspaceState, layout: Layout, seriesOrder: string[]): WorkspaceState {
  const count = viewportCount(layout);
  if (count <= state.viewports.length) {
    const kept = state.viewports.slice(0, count);
    if (state.active < count) return { ...state, layout, viewports: kept };
    kept[count - 1] = state.viewports[state.active];
    return { ...state, layout, viewports: kept, active: count - 1 };
  }
  const unseen = seriesOrder.filter((id) => !shownSeries(state).includes(id));
  const nextId = Math.max(...state.viewports.map((viewport) => viewport.id)) + 1;
  const added = Array.from({ length: count - state.viewports.length }, (_, i) => ({ id: nextId + i, seriesId: unseen[i] ?? null }));
  return { ...state, layout, viewports: [...state.viewports, ...added] };
}

export function workspaceReducer(state: WorkspaceState, action: WorkspaceAction): WorkspaceState {
  switch (action.type) {
    case "layout":
      return withLayout(state, action.layout, action.seriesOrder);
    case "load":
      return { ...state, viewports: state.viewports.map((viewport, i) => (i === state.active ? { ...viewport, seriesId: action.seriesId } : viewport)) };
    case "activate":
      return action.viewport >= 0 && action.viewport < state.viewports.length ? { ...state, active: action.viewport } : state;
    case "link":
      return { ...state, linked: action.linked };
  }
}

export type StudyRelation = { kind: "current" } | { kind: "prior"; days: number };

/**
 * Where the studies on screen stand in time, one entry per viewport: when viewports show studies of different dates,
 * the latest is the current one and each earlier one a prior, so many days before it; otherwise (and for an empty
 * viewport or an unknown date) null.
 */
export function studyRelations(dates: (string | null)[]): (StudyRelation | null)[] {
  const known = dates.filter((date): date is string => dicomDate(date) !== null);
  const latest = known.reduce<string | null>((best, date) => (best === null || daysBetween(best, date)! > 0 ? date : best), null);
  if (latest === null || known.every((date) => daysBetween(date, latest) === 0)) return dates.map(() => null);
  return dates.map((date) => {
    const days = daysBetween(latest, date);
    if (days === null) return null;
    return days === 0 ? { kind: "current" } : { kind: "prior", days };
  });
}

/** A DICOM SEG series: shown over its source series, never as images of its own. */
export const isSegmentation = (series: ViewerSeries) => series.series.modality?.toUpperCase() === "SEG";

export const sliceCount = (series: ViewerSeries) => series.instances.reduce((sum, i) => sum + i.frames, 0);

const THUMBNAIL_EDGE = 128;

/** A slice rendered by the server in its default window, as JPEG (WADO-RS frame `rendered`). */
export const renderedSliceUrl = (instancesUrl: string, slice: { uid: string; frame: number }) =>
  `${instancesUrl}/${slice.uid}/frames/${slice.frame + 1}/rendered?accept=image%2Fjpeg`;

/** The series' middle slice, rendered small for its thumbnail. */
export function thumbnailUrl(series: ViewerSeries): string | null {
  const slices = stackSlices(series.instances);
  const middle = slices[Math.floor((slices.length - 1) / 2)];
  return middle ? `${renderedSliceUrl(series.instancesUrl, middle)}&viewport=${THUMBNAIL_EDGE},${THUMBNAIL_EDGE}` : null;
}

/** The slice a viewer opens on, as an image the page shows until the viewer has drawn it: its URL, or the image itself as a data: URL. */
export type SlicePreview = { seriesId: string; url: string };
