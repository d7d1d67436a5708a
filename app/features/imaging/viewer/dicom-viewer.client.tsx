/**
 * The DICOM stack viewer (cornerstone-core). Everything it shows follows one
 * ViewerState (viewer-state.ts); pointer, touch gestures (touch-gestures.ts),
 * wheel and keys change the state, and
 * the state is applied to cornerstone's viewport. Its tools and details sit
 * beside the image, or in the panels a workspace of several viewports gives
 * its active one.
 */
import * as cornerstone from "cornerstone-core";
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "react-i18next";
import {
  annotationsOnSlice,
  applyPreset,
  CT_PRESETS,
  dragWindow,
  initialViewerState,
  nearestSlice,
  readViewerState,
  resetView,
  rotateClockwise,
  sliceIndexOfNumber,
  sliceNumber,
  stackSlices,
  stepSlice,
  TOOLS,
  type Annotation,
  type CtPreset,
  type Tool,
  type ViewerState,
  zoomTo,
} from "~/features/imaging/viewer/viewer-state";
import { swipeSlices, twoFingerView, type SwipeStart, type TouchPoint, type TwoFingerStart } from "~/features/imaging/viewer/touch-gestures";
import { autoWindow } from "~/features/imaging/viewer/auto-window";
import { measurementLabel, modalityUnit, type PixelSource, type Point } from "~/features/imaging/viewer/measurements";
import { frameImage, framePixelSpacing, type ParsedInstance } from "~/features/imaging/viewer/dicom-image";
import { KeyImageForm } from "~/features/imaging/key-images/key-image-form";
import { AnnotationLayer } from "./viewer-annotations";
import {
  bestArrived,
  bestInstance,
  fetchInstance,
  fullRequested,
  instanceArrived,
  linkKnown,
  loadsInTwoPasses,
} from "~/features/imaging/viewer/instance-cache";
import { nextSliceToFetch, PREFETCH_CONCURRENCY } from "~/features/imaging/viewer/slice-prefetch";
import { SaveMeasurementsButton } from "./save-measurements-form";
import { SrGraphicsLayer, type SrOverlay } from "./sr-report-panel";
import type { ViewerSeries } from "~/features/imaging/viewer/workspace-state";
import { referenceMark, type ImagePlane } from "~/features/imaging/viewer/image-plane";
import { paintLayers, type SegmentLayer } from "~/features/imaging/viewer/segmentation";
import { DEFAULT_OVERLAY, SegmentationLegend, sliceLayers, useOverlays, type OverlaySettings } from "./segmentation-overlay";
import { PreviewImage } from "./preview-image";
import { TableScroll } from "~/ui/table-scroll";

/** Where a workspace shows its active viewport's tools (above the images) and details (beside them). */
export type ViewerPanels = { tools: HTMLElement; details: HTMLElement };

type Props = ViewerSeries & {
  canMarkKeyImage: boolean;
  /** Offer to save this series' measurements into the case as a DICOM SR. */
  canSaveMeasurements?: boolean;
  /** Graphics of the case's SR measurement reports on this series, drawn on their slices. */
  srOverlays?: SrOverlay[];
  /** A slice to show, asked for again whenever `at` changes (a report's measurement chosen in the workspace). */
  goTo?: { slice: number; at: number } | null;
  /** Where the tools and details go: beside the image when not given, into a workspace's panels, or nowhere (null) while another viewport is active. */
  panels?: ViewerPanels | null;
  /** What the image is, shown over it (the study's date and where it stands in time). */
  label?: string;
  /** The first slice as an image rendered by the server, shown until the viewer has drawn. */
  preview?: string | null;
  onPosition?: (mm: number | null) => void;
  /** When another stack is linked to this one: the position to follow. */
  followPosition?: number | null;
  /** A view to adopt whenever it changes (the presenter's, in a live board). */
  externalState?: ViewerState | null;
  onStateChange?: (state: ViewerState) => void;
  /** The pointer in image pixels as it moves over the image, null when it leaves. */
  onPointer?: (pointer: Point | null) => void;
  /** Someone else's pointer to show (the presenter's). */
  remotePointer?: Point | null;
  /** DICOM SEG series to paint over this one. */
  overlays?: ViewerSeries[];
  /** Where the slice on screen lies, as it changes. */
  onPlane?: (plane: ImagePlane | null) => void;
  /** The slices other viewports show, drawn as reference lines where they cross this one. */
  referencePlanes?: ImagePlane[];
};

/** A cornerstone image as frameImage makes it: with its frame's place in the patient, and whether it is a first pass. */
type PlacedImage = cornerstone.Image & { plane?: ImagePlane | null; firstPass?: boolean };

const NO_SERIES: ViewerSeries[] = [];
const NO_PLANES: ImagePlane[] = [];

/** Paints segment layers over the image cornerstone has just drawn on the element's canvas, following its zoom, pan, rotation and flips. */
function drawLayers(element: HTMLElement, layers: SegmentLayer[], size: { rows: number; columns: number }, opacity: number) {
  if (layers.length === 0) return;
  const enabled = cornerstone.getEnabledElement(element);
  const layer = document.createElement("canvas");
  layer.width = size.columns;
  layer.height = size.rows;
  layer.getContext("2d")!.putImageData(new ImageData(paintLayers(layers, size.rows * size.columns), size.columns, size.rows), 0, 0);
  const context = enabled.canvas.getContext("2d")!;
  context.save();
  cornerstone.setToPixelCoordinateSystem(enabled, context);
  context.imageSmoothingEnabled = false;
  context.globalAlpha = opacity;
  context.drawImage(layer, 0, 0);
  context.restore();
}

/** The instance URL of a `tbwado:<instance URL>#<frame>` image id. */
const instanceUrl = (imageId: string) => imageId.slice("tbwado:".length).split("#")[0];

let registered = false;
function registerLoader() {
  if (registered) return;
  registered = true;
  cornerstone.registerImageLoader("tbwado", (imageId) => {
    const [url, frame] = imageId.slice("tbwado:".length).split("#");
    return { promise: bestInstance(url).then((parsed) => frameImage(imageId, parsed, Number(frame)) as cornerstone.Image) };
  });
}

const CINE_FRAMES_PER_SECOND = 15;

/** What the fingers on the image are doing; "ending" once one has lifted, until the rest have too. */
type Gesture = { kind: "swipe"; start: SwipeStart } | { kind: "twoFingers"; start: TwoFingerStart } | { kind: "ending" };

const TOOL_KEYS: Record<Tool, string> = {
  windowLevel: "imaging:viewer.tools.windowLevel",
  pan: "imaging:viewer.tools.pan",
  zoom: "imaging:viewer.tools.zoom",
  length: "imaging:viewer.tools.length",
  angle: "imaging:viewer.tools.angle",
  ellipse: "imaging:viewer.tools.ellipse",
};
const PRESET_KEYS: Record<CtPreset, string> = {
  lung: "imaging:viewer.presets.lung",
  mediastinum: "imaging:viewer.presets.mediastinum",
  bone: "imaging:viewer.presets.bone",
  brain: "imaging:viewer.presets.brain",
  liver: "imaging:viewer.presets.liver",
  abdomen: "imaging:viewer.presets.abdomen",
};

export default function DicomViewer({
  series,
  pageUrl,
  instancesUrl,
  instances,
  positions,
  canMarkKeyImage,
  canSaveMeasurements = false,
  srOverlays = [],
  goTo = null,
  panels,
  label,
  preview = null,
  onPosition,
  followPosition = null,
  externalState = null,
  onStateChange,
  onPointer,
  remotePointer = null,
  overlays = NO_SERIES,
  onPlane,
  referencePlanes = NO_PLANES,
}: Props) {
  const ids = useId();
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const imageIds = useMemo(
    () => instances.flatMap((i) => Array.from({ length: i.frames }, (_, frame) => `tbwado:${instancesUrl}/${i.uid}#${frame}`)),
    [instances, instancesUrl],
  );
  const sliceSource = useMemo(() => stackSlices(instances), [instances]);
  const [playing, setPlaying] = useState(false);
  const [state, setState] = useState<ViewerState>(() => {
    const fromLink = typeof window === "undefined" ? null : readViewerState(new URL(window.location.href).searchParams.get("view"));
    return fromLink && fromLink.seriesId === series.id ? fromLink : initialViewerState(series.id);
  });
  const [image, setImage] = useState<ParsedInstance | null>(null);
  const [rendered, setRendered] = useState(0);
  const [resized, setResized] = useState(0);
  // Bumped when the slice on screen has arrived lossless after its first pass, so it is drawn again.
  const [refined, setRefined] = useState(0);
  const [firstPassShown, setFirstPassShown] = useState(false);
  // What the canvas last drew, as "slice center width", so anyone reading the screen can tell it has caught up with the controls.
  const [drawn, setDrawn] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Annotation | null>(null);
  const [pendingAngle, setPendingAngle] = useState<Point[]>([]);
  const [pointer, setPointer] = useState<Point | null>(null);
  const [showHelp, setShowHelp] = useState(false);
  const drag = useRef<{ x: number; y: number; center: number; width: number; zoom: number; pan: { x: number; y: number } } | null>(null);
  const fingers = useRef(new Map<number, TouchPoint>());
  const gesture = useRef<Gesture | null>(null);
  const defaults = useRef<{ center: number; width: number } | null>(null);
  const stateListener = useRef(onStateChange);
  stateListener.current = onStateChange;
  const segmentations = useOverlays(overlays);
  const [overlay, setOverlay] = useState<OverlaySettings>(DEFAULT_OVERLAY);
  // Which slice the segment layers were last painted on, how many and how opaque, for anyone reading the screen.
  const [overlayDrawn, setOverlayDrawn] = useState("");
  const [plane, setPlane] = useState<ImagePlane | null>(null);
  const paintOverlay = useRef<(shown: PlacedImage) => void>(() => {});
  paintOverlay.current = (shown) => {
    const index = imageIds.indexOf(shown.imageId);
    const slice = sliceSource[index];
    if (!slice || segmentations.length === 0 || !element.current) return;
    const layers = sliceLayers(segmentations, overlay, slice, shown.plane ?? null, shown);
    drawLayers(element.current, layers, shown, overlay.opacity);
    setOverlayDrawn(`${sliceNumber(index)} ${layers.length} ${overlay.opacity}`);
  };
  const planeListener = useRef(onPlane);
  planeListener.current = onPlane;
  useEffect(() => planeListener.current?.(plane), [plane]);

  // The background fetches read it to go outward from the slice on screen.
  const sliceOnScreen = useRef(state.slice);

  useEffect(() => {
    if (externalState && externalState.seriesId === series.id) setState(externalState);
  }, [externalState, series.id]);
  useEffect(() => {
    stateListener.current?.(state);
  }, [state]);

  useEffect(() => {
    const el = element.current!;
    registerLoader();
    cornerstone.enable(el);
    const onRendered = (event: Event) => {
      const { image: shown, viewport } = (event as CustomEvent<{ image: PlacedImage; viewport: cornerstone.Viewport }>).detail;
      paintOverlay.current(shown);
      setPlane(shown.plane ?? null);
      setDrawn(
        `${sliceNumber(imageIds.indexOf(shown.imageId))} ${viewport.voi.windowCenter} ${viewport.voi.windowWidth}${shown.firstPass ? " first-pass" : ""}`,
      );
      setFirstPassShown(Boolean(shown.firstPass));
      setRendered((n) => n + 1);
    };
    el.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
    // A workspace's layout or the window changes the element's size; the canvas follows and the image is fitted again.
    const resizing = new ResizeObserver(() => {
      cornerstone.resize(el);
      setResized((n) => n + 1);
    });
    resizing.observe(el);
    // Fetch every slice in the background, a few at a time, outward from the slice on screen, so scrolling never waits;
    // over a slow link, every slice's first pass before any lossless one (instance-cache.ts).
    let stopped = false;
    const firstPass = new Uint8Array(imageIds.length);
    const fullPass = new Uint8Array(imageIds.length);
    // A slice that has arrived lossless after its first pass: cornerstone forgets the first pass, and the slice on screen is drawn again.
    const refine = (index: number) => {
      if (stopped) return;
      if (cornerstone.imageCache.getImageLoadObject(imageIds[index])) cornerstone.imageCache.removeImageLoadObject(imageIds[index]);
      if (sliceOnScreen.current === index) setRefined((n) => n + 1);
    };
    const fetchNext = async () => {
      await linkKnown();
      const twoPasses = loadsInTwoPasses();
      while (!stopped) {
        const inFirstPass = twoPasses && nextSliceToFetch(sliceOnScreen.current, firstPass) !== -1;
        const started = inFirstPass ? firstPass : fullPass;
        const next = nextSliceToFetch(sliceOnScreen.current, started);
        if (next === -1) return;
        started[next] = 1;
        const url = instanceUrl(imageIds[next]);
        // The next request goes out as soon as this one's bytes are in; decoding follows in a worker.
        if (twoPasses && !inFirstPass) {
          // Another frame of an instance already asked for lossless brings no new bytes to wait for.
          const asked = fullRequested(url);
          void fetchInstance(url).then(
            () => refine(next),
            () => undefined,
          );
          if (!asked) await instanceArrived(url).catch(() => undefined);
        } else {
          void cornerstone.loadAndCacheImage(imageIds[next]).catch(() => undefined);
          await bestArrived(url).catch(() => undefined);
        }
      }
    };
    for (let i = 0; i < PREFETCH_CONCURRENCY; i++) void fetchNext();
    return () => {
      stopped = true;
      resizing.disconnect();
      el.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
      cornerstone.disable(el);
    };
  }, [imageIds]);

  useEffect(() => {
    sliceOnScreen.current = state.slice;
  }, [state.slice]);

  useEffect(() => {
    const el = element.current!;
    const imageId = imageIds[state.slice];
    if (!imageId) return;
    let current = true;
    cornerstone.loadAndCacheImage(imageId).then(
      (loaded) => {
        if (!current) return;
        const fitted = cornerstone.getDefaultViewportForImage(el, loaded);
        defaults.current = { center: loaded.windowCenter, width: loaded.windowWidth };
        cornerstone.displayImage(el, loaded, {
          scale: fitted.scale * state.zoom,
          translation: state.pan,
          voi: { windowCenter: state.windowCenter ?? loaded.windowCenter, windowWidth: state.windowWidth ?? loaded.windowWidth },
          invert: state.invert !== loaded.invert,
          rotation: state.rotation,
          hflip: state.hflip,
          vflip: state.vflip,
        });
        void bestInstance(instanceUrl(imageId)).then((parsed) => current && setImage(parsed));
        setError(null);
      },
      () => current && setError("imaging:viewer.loadFailed"),
    );
    return () => {
      current = false;
    };
  }, [imageIds, state, resized, refined]);

  // A segment switched on or off, or another opacity: cornerstone draws the image again, and the layers over it.
  useEffect(() => {
    const el = element.current;
    if (el && cornerstone.getEnabledElement(el).image) cornerstone.updateImage(el);
  }, [segmentations, overlay]);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setState((s) => ({ ...s, slice: (s.slice + 1) % Math.max(1, imageIds.length) })), 1000 / CINE_FRAMES_PER_SECOND);
    return () => clearInterval(timer);
  }, [playing, imageIds.length]);

  // Report where this stack is only when its own user moved it, so two linked stacks do not chase each other.
  const movedHere = useRef(false);
  useEffect(() => {
    if (movedHere.current) onPosition?.(positions[state.slice] ?? null);
    movedHere.current = false;
  }, [state.slice, positions, onPosition]);
  useEffect(() => {
    if (followPosition === null) return;
    const slice = nearestSlice(positions, followPosition);
    if (slice !== null) setState((s) => (s.slice === slice ? s : { ...s, slice }));
  }, [followPosition, positions]);

  useEffect(() => {
    if (goTo) setState((s) => (s.slice === goTo.slice ? s : { ...s, slice: goTo.slice }));
  }, [goTo]);

  const window_ = { center: state.windowCenter ?? defaults.current?.center ?? 0, width: state.windowWidth ?? defaults.current?.width ?? 1 };
  const sliceCount = imageIds.length;
  const isCt = series.modality === "CT";

  const update = useCallback((next: (s: ViewerState) => ViewerState) => {
    movedHere.current = true;
    setState((s) => next(s));
  }, []);

  // The wheel over the image scrolls slices and never the page: React's wheel listener is passive and cannot stop the page from scrolling.
  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      if (event.deltaY !== 0) update((s) => stepSlice(s, Math.sign(event.deltaY), sliceCount));
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [update, sliceCount]);

  function pixelAt(event: PointerEvent) {
    return cornerstone.pageToPixel(element.current!, event.pageX, event.pageY);
  }

  /**
   * Fingers: one swipes through the slices (unless the tool pans or measures, which one finger does as the mouse
   * does), two pinch and drag. Answers whether the touch is part of a gesture.
   */
  function touchDown(event: PointerEvent<HTMLDivElement>): boolean {
    fingers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const [first, second, ...more] = fingers.current.values();
    if (second && more.length === 0) {
      drag.current = null;
      setDraft(null);
      gesture.current = { kind: "twoFingers", start: { fingers: [first, second], zoom: state.zoom, ...window_ } };
    } else if (!second && (state.tool === "windowLevel" || state.tool === "zoom"))
      gesture.current = { kind: "swipe", start: { at: first, slice: state.slice } };
    return gesture.current !== null;
  }

  function touchMove(event: PointerEvent<HTMLDivElement>): boolean {
    if (!fingers.current.has(event.pointerId)) return false;
    const at = { x: event.clientX, y: event.clientY };
    fingers.current.set(event.pointerId, at);
    const current = gesture.current;
    if (current?.kind === "swipe")
      update((s) => {
        const next = swipeSlices(s, current.start, at, sliceCount);
        return next.slice === s.slice ? s : next;
      });
    if (current?.kind === "twoFingers") {
      const [first, second] = fingers.current.values();
      update((s) => twoFingerView(s, current.start, [first, second]));
    }
    return current !== null;
  }

  function touchUp(event: PointerEvent<HTMLDivElement>) {
    fingers.current.delete(event.pointerId);
    if (gesture.current) gesture.current = fingers.current.size === 0 ? null : { kind: "ending" };
  }

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    event.currentTarget.setPointerCapture(event.pointerId);
    if (event.pointerType === "touch" && touchDown(event)) return;
    drag.current = { x: event.clientX, y: event.clientY, ...window_, zoom: state.zoom, pan: state.pan };
    const at = pixelAt(event);
    if (state.tool === "length" || state.tool === "ellipse") setDraft({ kind: state.tool, slice: state.slice, start: at, end: at });
    if (state.tool === "angle") {
      // Three clicks: one arm's end, the vertex, the other arm's end.
      const points = [...pendingAngle, at];
      if (points.length < 3) setPendingAngle(points);
      else {
        update((s) => ({ ...s, annotations: [...s.annotations, { kind: "angle", slice: s.slice, a: points[0], vertex: points[1], c: points[2] }] }));
        setPendingAngle([]);
      }
    }
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    onPointer?.(pixelAt(event));
    if (state.tool === "angle" && pendingAngle.length > 0) setPointer(pixelAt(event));
    if (event.pointerType === "touch" && touchMove(event)) return;
    const start = drag.current;
    if (!start) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    if (state.tool === "windowLevel") update((s) => dragWindow(s, start, dx, dy));
    else if (state.tool === "pan") update((s) => ({ ...s, pan: { x: start.pan.x + dx / s.zoom, y: start.pan.y + dy / s.zoom } }));
    else if (state.tool === "zoom") update((s) => zoomTo(s, start.zoom * Math.exp(-dy / 200)));
    else if (draft && draft.kind !== "angle") setDraft({ ...draft, end: pixelAt(event) });
  }

  function onPointerUp(event: PointerEvent<HTMLDivElement>) {
    if (event.pointerType === "touch") touchUp(event);
    drag.current = null;
    if (draft && draft.kind !== "angle" && (draft.start.x !== draft.end.x || draft.start.y !== draft.end.y))
      update((s) => ({ ...s, annotations: [...s.annotations, draft] }));
    setDraft(null);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const steps: Record<string, number> = { ArrowUp: -1, ArrowLeft: -1, PageUp: -10, ArrowDown: 1, ArrowRight: 1, PageDown: 10 };
    if (event.key in steps) update((s) => stepSlice(s, steps[event.key], sliceCount));
    else if (event.key === "Home") update((s) => ({ ...s, slice: 0 }));
    else if (event.key === "End") update((s) => ({ ...s, slice: sliceCount - 1 }));
    else if (event.key === "r") update(resetView);
    else if (event.key === "i") update((s) => ({ ...s, invert: !s.invert }));
    else if (event.key === "?") setShowHelp((v) => !v);
    else return;
    event.preventDefault();
  }

  const spacing = image ? framePixelSpacing(image, sliceSource[state.slice]?.frame ?? 0) : null;
  const measured = annotationsOnSlice(state).concat(draft ? [draft] : []);
  const enabled = element.current && rendered >= 0 ? cornerstone.getEnabledElement(element.current) : null;
  const pixels: PixelSource =
    enabled?.image && !enabled.image.color
      ? {
          values: enabled.image.getPixelData(),
          columns: enabled.image.columns,
          rows: enabled.image.rows,
          slope: enabled.image.slope,
          intercept: enabled.image.intercept,
          unit: modalityUnit(series.modality),
        }
      : null;
  const automatic = () => {
    const auto = pixels && autoWindow(pixels.values, pixels.slope, pixels.intercept);
    if (auto) update((s) => ({ ...s, windowCenter: auto.center, windowWidth: auto.width }));
  };
  const toCanvas = (p: { x: number; y: number }) => (element.current && rendered >= 0 ? cornerstone.pixelToCanvas(element.current, p) : p);
  const referenceLines = plane
    ? referencePlanes.flatMap((other) => {
        const mark = referenceMark(plane, other);
        return mark?.kind === "line" ? [{ from: toCanvas(mark.from), to: toCanvas(mark.to) }] : [];
      })
    : [];
  const linkedAt = followPosition !== null ? (positions[state.slice] ?? null) : null;
  const last = state.annotations[state.annotations.length - 1];
  const link = `${pageUrl}?view=${encodeURIComponent(JSON.stringify(state))}`;
  const placed = (content: ReactNode, panel: keyof ViewerPanels) => (panels === undefined ? content : panels && createPortal(content, panels[panel]));

  return (
    <div className="dicom-viewer">
      {placed(
        <>
          <div className="viewer-toolbar" role="toolbar" aria-label={t("imaging:viewer.toolbar")}>
            {TOOLS.map((tool) => (
              <button key={tool} type="button" aria-pressed={state.tool === tool} onClick={() => update((s) => ({ ...s, tool }))}>
                {t(TOOL_KEYS[tool])}
              </button>
            ))}
            {isCt &&
              (Object.keys(CT_PRESETS) as CtPreset[]).map((preset) => (
                <button key={preset} type="button" className="button-secondary" onClick={() => update((s) => applyPreset(s, preset))}>
                  {t(PRESET_KEYS[preset])}
                </button>
              ))}
            {!isCt && (
              <button type="button" className="button-secondary" onClick={automatic} disabled={!pixels}>
                {t("imaging:viewer.presets.automatic")}
              </button>
            )}
            <button type="button" className="button-secondary" onClick={() => update((s) => ({ ...s, invert: !s.invert }))} aria-pressed={state.invert}>
              {t("imaging:viewer.invert")}
            </button>
            <button type="button" className="button-secondary" onClick={() => update(rotateClockwise)}>
              {t("imaging:viewer.rotate")}
            </button>
            <button type="button" className="button-secondary" onClick={() => update((s) => ({ ...s, hflip: !s.hflip }))} aria-pressed={state.hflip}>
              {t("imaging:viewer.flipHorizontal")}
            </button>
            <button type="button" className="button-secondary" onClick={() => update((s) => ({ ...s, vflip: !s.vflip }))} aria-pressed={state.vflip}>
              {t("imaging:viewer.flipVertical")}
            </button>
            <button type="button" className="button-secondary" onClick={() => update(resetView)}>
              {t("imaging:viewer.reset")}
            </button>
            {sliceCount > 1 && (
              <button type="button" className="button-secondary" onClick={() => setPlaying((p) => !p)} aria-pressed={playing}>
                {t(playing ? "imaging:viewer.pause" : "imaging:viewer.play")}
              </button>
            )}
            <button type="button" className="button-secondary" onClick={() => setShowHelp((v) => !v)} aria-expanded={showHelp}>
              {t("imaging:viewer.shortcuts")}
            </button>
          </div>
          <div className="viewer-field">
            <label htmlFor={`${ids}-slice`}>{t("imaging:viewer.slice")}</label>
            <input
              id={`${ids}-slice`}
              type="range"
              min={1}
              max={Math.max(1, sliceCount)}
              value={sliceNumber(state.slice)}
              onChange={(e) => update((s) => ({ ...s, slice: sliceIndexOfNumber(Number(e.currentTarget.value)) }))}
            />
          </div>
        </>,
        "tools",
      )}
      <div
        ref={element}
        className="viewer-viewport"
        role="img"
        tabIndex={0}
        aria-label={t("imaging:viewer.viewport", { slice: sliceNumber(state.slice), count: sliceCount })}
        data-slice={sliceNumber(state.slice)}
        data-window-center={window_.center}
        data-window-width={window_.width}
        data-drawn={drawn}
        data-overlay-drawn={overlayDrawn}
        data-reference-lines={referenceLines.length}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onPointerLeave={() => onPointer?.(null)}
        onKeyDown={onKeyDown}
      >
        {preview && !drawn && <PreviewImage src={preview} />}
        <SrGraphicsLayer overlays={srOverlays.filter((o) => o.slice === state.slice)} toCanvas={toCanvas} />
        <AnnotationLayer annotations={measured} pendingAngle={pendingAngle} pointer={pointer} toCanvas={toCanvas} spacing={spacing} pixels={pixels} />
        {referenceLines.length > 0 && (
          <svg className="viewer-annotations viewer-reference-lines" aria-hidden="true">
            {referenceLines.map(({ from, to }, i) => (
              <line key={i} className="viewer-reference-line" x1={from.x} y1={from.y} x2={to.x} y2={to.y} />
            ))}
          </svg>
        )}
        {remotePointer && (
          <svg className="viewer-annotations" aria-hidden="true">
            <circle className="presenter-pointer" cx={toCanvas(remotePointer).x} cy={toCanvas(remotePointer).y} r={6} />
          </svg>
        )}
        {label && <div className="viewer-overlay viewer-overlay-top-right">{label}</div>}
        <div className="viewer-overlay viewer-overlay-top-left">
          {t("imaging:viewer.overlaySeries", {
            series: series.number ?? "—",
            image: image?.instanceNumber ?? "—",
            slice: sliceNumber(state.slice),
            count: sliceCount,
          })}
          {image?.imagePosition && <div>{t("imaging:viewer.overlayPosition", { z: image.imagePosition[2].toFixed(1) })}</div>}
          {firstPassShown && <div className="viewer-first-pass">{t("imaging:viewer.firstPass")}</div>}
        </div>
        {linkedAt !== null && followPosition !== null && (
          <div className="viewer-overlay viewer-overlay-bottom-right">
            {t("imaging:viewer.linkedPosition", { position: linkedAt.toFixed(1), distance: Math.abs(linkedAt - followPosition).toFixed(1) })}
          </div>
        )}
        <div className="viewer-overlay viewer-overlay-bottom-left">
          {t("imaging:viewer.overlayWindow", { width: Math.round(window_.width), center: Math.round(window_.center) })}
          <div>{t("imaging:viewer.overlayZoom", { zoom: Math.round(state.zoom * 100) })}</div>
        </div>
      </div>
      {error && (
        <p className="alert alert-error" role="alert">
          {t(error)}
        </p>
      )}
      {placed(
        <>
          <SegmentationLegend segmentations={segmentations} settings={overlay} onChange={setOverlay} />
          {last && (
            <p role="status">
              {t("imaging:viewer.lastMeasurement", { value: measurementLabel(last, spacing, last.slice === state.slice ? pixels : null, t) })}
            </p>
          )}
          <p>
            <a href={link}>{t("imaging:viewer.linkToView")}</a>
          </p>
          {canSaveMeasurements && state.annotations.length > 0 && <SaveMeasurementsButton action={pageUrl} state={state} />}
          {canMarkKeyImage && sliceSource[state.slice] && (
            <KeyImageForm action={pageUrl} state={state} sopInstanceUid={sliceSource[state.slice].uid} frame={sliceSource[state.slice].frame} />
          )}
          <DicomTags url={`${instancesUrl}/${sliceSource[state.slice]?.uid ?? ""}/metadata`} />
          {showHelp && (
            <div role="dialog" aria-labelledby="viewer-help-title" className="viewer-help">
              <h2 id="viewer-help-title">{t("imaging:viewer.shortcuts")}</h2>
              <ul>
                <li>{t("imaging:viewer.help.scroll")}</li>
                <li>{t("imaging:viewer.help.page")}</li>
                <li>{t("imaging:viewer.help.ends")}</li>
                <li>{t("imaging:viewer.help.reset")}</li>
                <li>{t("imaging:viewer.help.invert")}</li>
                <li>{t("imaging:viewer.help.drag")}</li>
                <li>{t("imaging:viewer.help.touch")}</li>
              </ul>
              <button type="button" onClick={() => setShowHelp(false)}>
                {t("imaging:viewer.close")}
              </button>
            </div>
          )}
        </>,
        "details",
      )}
    </div>
  );
}

type DicomJsonValue = { vr: string; Value?: unknown[]; BulkDataURI?: string };

function shownValue(element: DicomJsonValue, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (element.vr === "SQ") return t("imaging:viewer.tags.sequence", { count: element.Value?.length ?? 0 });
  if (element.BulkDataURI) return t("imaging:viewer.tags.binary");
  return (element.Value ?? [])
    .map((v) => (v && typeof v === "object" && "Alphabetic" in v ? String((v as { Alphabetic: string }).Alphabetic) : String(v)))
    .join("\\");
}

/** The instance's attributes as stored, i.e. after de-identification, fetched when the panel is opened. */
function DicomTags({ url }: { url: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [tags, setTags] = useState<[string, DicomJsonValue][] | null>(null);
  useEffect(() => {
    if (!open) return;
    let current = true;
    fetch(url, { credentials: "same-origin", headers: { accept: "application/dicom+json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((json: Record<string, DicomJsonValue>[]) => current && setTags(Object.entries(json[0] ?? {})))
      .catch(() => current && setTags([]));
    return () => {
      current = false;
    };
  }, [open, url]);
  return (
    <details className="viewer-tags" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t("imaging:viewer.tags.title")}</summary>
      {tags && (
        <TableScroll label={t("imaging:viewer.tags.title")}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("imaging:viewer.tags.tag")}</th>
                <th scope="col">{t("imaging:viewer.tags.vr")}</th>
                <th scope="col">{t("imaging:viewer.tags.value")}</th>
              </tr>
            </thead>
            <tbody>
              {tags.map(([tag, element]) => (
                <tr key={tag}>
                  <td>{`(${tag.slice(0, 4)},${tag.slice(4)})`}</td>
                  <td>{element.vr}</td>
                  <td>{shownValue(element, t)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </details>
  );
}
