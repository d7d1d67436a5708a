/**
 * A zoom-and-pan slide viewer (OpenSeadragon) on the slide's Deep Zoom
 * pyramid, with a scale bar when the pixel size is known, and annotations
 * (arrow, ellipse, text) kept in full-resolution image pixels.
 */
import { useFetcher } from "@remix-run/react";
import OpenSeadragon from "openseadragon";
import { useEffect, useId, useRef, useState, type PointerEvent } from "react";
import { useTranslation } from "react-i18next";
import { scaleBar, type ScaleBar } from "~/features/imaging/slides/scale-bar";
import type { SlideAnnotationView } from "~/features/imaging/slides/slide-annotation";
import { clipToSlide, regionParam, type SlideRegion } from "~/features/imaging/slides/slide-region";
import { SlideKeyRegionForm } from "./slide-key-region-form";

const SCALE_BAR_MAX_PX = 160;
const TOOLS = ["navigate", "ARROW", "ELLIPSE", "TEXT"] as const;
type Tool = (typeof TOOLS)[number];
type Point = { x: number; y: number };
const TOOL_KEYS: Record<Tool, string> = {
  navigate: "imaging:slides.annotations.navigate",
  ARROW: "imaging:slides.annotations.arrow",
  ELLIPSE: "imaging:slides.annotations.ellipse",
  TEXT: "imaging:slides.annotations.text",
};

type Props = {
  dziUrl: string;
  size: { width: number; height: number };
  micronsPerPixel: number | null;
  annotations: SlideAnnotationView[];
  /** A key region to open at instead of the whole slide. */
  initialRegion: SlideRegion | null;
  canMarkKeyRegion: boolean;
};

export default function SlideViewer({ dziUrl, size, micronsPerPixel, annotations, initialRegion, canMarkKeyRegion }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const element = useRef<HTMLDivElement>(null);
  const viewer = useRef<OpenSeadragon.Viewer | null>(null);
  const [bar, setBar] = useState<ScaleBar | null>(null);
  const [zoom, setZoom] = useState<number | null>(null);
  const [visible, setVisible] = useState<SlideRegion | null>(null);
  const openAt = useRef(initialRegion);
  const [, setFrame] = useState(0);
  const [failed, setFailed] = useState(false);
  const [tool, setTool] = useState<Tool>("navigate");
  const [label, setLabel] = useState("");
  const [draft, setDraft] = useState<{ start: Point; end: Point } | null>(null);
  const fetcher = useFetcher<{ error: string | null }>();

  useEffect(() => {
    const v = OpenSeadragon({
      element: element.current!,
      tileSources: dziUrl,
      showNavigationControl: false,
      maxZoomPixelRatio: 4,
      gestureSettingsMouse: { clickToZoom: false },
      loadTilesWithAjax: true,
      ajaxWithCredentials: true,
    });
    viewer.current = v;
    const measure = () => {
      if (!v.world.getItemAt(0)) return;
      const imageZoom = v.viewport.viewportToImageZoom(v.viewport.getZoom(true));
      setZoom(imageZoom);
      setBar(micronsPerPixel ? scaleBar(micronsPerPixel / imageZoom, SCALE_BAR_MAX_PX) : null);
      const bounds = v.viewport.viewportToImageRectangle(v.viewport.getBounds(true));
      setVisible(clipToSlide({ x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height }, size.width, size.height));
      setFrame((n) => n + 1);
    };
    const region = openAt.current;
    if (region) {
      v.addOnceHandler("open", () => {
        const { x, y, width, height } = region;
        v.viewport.fitBounds(v.viewport.imageToViewportRectangle(new OpenSeadragon.Rect(x, y, width, height)), true);
      });
    }
    for (const event of ["open", "animation", "animation-finish", "resize"] as const) v.addHandler(event, measure);
    v.addHandler("open-failed", () => setFailed(true));
    return () => {
      v.destroy();
      viewer.current = null;
    };
  }, [dziUrl, micronsPerPixel, size.width, size.height]);

  useEffect(() => {
    viewer.current?.setMouseNavEnabled(tool === "navigate");
  }, [tool]);

  const toImage = (event: PointerEvent): Point => {
    const box = event.currentTarget.getBoundingClientRect();
    const p = viewer.current!.viewport.viewerElementToImageCoordinates(new OpenSeadragon.Point(event.clientX - box.left, event.clientY - box.top));
    return { x: Math.max(0, p.x), y: Math.max(0, p.y) };
  };
  const toScreen = (p: Point): Point => {
    const v = viewer.current;
    if (!v?.world.getItemAt(0)) return { x: -1000, y: -1000 };
    const s = v.viewport.imageToViewerElementCoordinates(new OpenSeadragon.Point(p.x, p.y));
    return { x: s.x, y: s.y };
  };
  const save = (kind: Exclude<Tool, "navigate">, geometry: unknown) =>
    fetcher.submit({ intent: "annotate", kind, geometry: JSON.stringify(geometry), text: label }, { method: "post" });

  function onPointerDown(event: PointerEvent<SVGSVGElement>) {
    if (tool === "navigate") return;
    const at = toImage(event);
    if (tool === "TEXT") {
      save("TEXT", { at });
      return;
    }
    event.currentTarget.setPointerCapture(event.pointerId);
    setDraft({ start: at, end: at });
  }
  function onPointerMove(event: PointerEvent<SVGSVGElement>) {
    if (draft) setDraft({ ...draft, end: toImage(event) });
  }
  function onPointerUp() {
    if (draft && tool !== "navigate" && tool !== "TEXT" && (draft.start.x !== draft.end.x || draft.start.y !== draft.end.y)) save(tool, draft);
    setDraft(null);
  }

  const shapes = [
    ...annotations,
    ...(draft && (tool === "ARROW" || tool === "ELLIPSE") ? [{ id: "draft", kind: tool, geometry: draft, text: "", mine: true }] : []),
  ];

  return (
    <div className="slide-viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label={t("imaging:viewer.toolbar")}>
        <button type="button" onClick={() => viewer.current?.viewport.zoomBy(2)}>
          {t("imaging:slides.zoomIn")}
        </button>
        <button type="button" className="button-secondary" onClick={() => viewer.current?.viewport.zoomBy(0.5)}>
          {t("imaging:slides.zoomOut")}
        </button>
        <button type="button" className="button-secondary" onClick={() => viewer.current?.viewport.goHome()}>
          {t("imaging:slides.fit")}
        </button>
        {TOOLS.map((option) => (
          <button key={option} type="button" aria-pressed={tool === option} onClick={() => setTool(option)}>
            {t(TOOL_KEYS[option])}
          </button>
        ))}
      </div>
      <div className="field">
        <label htmlFor={`${id}-label`}>{t("imaging:slides.annotations.label")}</label>
        <input id={`${id}-label`} type="text" maxLength={500} value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
      </div>
      <div
        className="slide-canvas"
        role="img"
        aria-label={t("imaging:slides.canvas")}
        data-zoom={zoom ?? undefined}
        data-region={visible ? regionParam(visible) : undefined}
      >
        <div ref={element} className="slide-osd" />
        <svg
          className={`slide-annotations${tool === "navigate" ? "" : " drawing"}`}
          aria-hidden="true"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
        >
          <defs>
            <marker id={`${id}-head`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" />
            </marker>
          </defs>
          {shapes.map((a) => {
            if (a.kind === "TEXT") {
              const at = toScreen(a.geometry.at);
              return (
                <text key={a.id} x={at.x} y={at.y}>
                  {a.text}
                </text>
              );
            }
            const [from, to] = [toScreen(a.geometry.start), toScreen(a.geometry.end)];
            return (
              <g key={a.id}>
                {a.kind === "ARROW" ? (
                  <line x1={from.x} y1={from.y} x2={to.x} y2={to.y} markerEnd={`url(#${id}-head)`} />
                ) : (
                  <ellipse cx={(from.x + to.x) / 2} cy={(from.y + to.y) / 2} rx={Math.abs(to.x - from.x) / 2} ry={Math.abs(to.y - from.y) / 2} />
                )}
                {a.text && (
                  <text x={to.x + 6} y={to.y}>
                    {a.text}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
        {bar && (
          <div className="scale-bar" role="status" aria-label={t("imaging:slides.scaleBar")}>
            <div className="scale-bar-line" style={{ width: `${bar.widthPx}px` }} />
            <span>{t("imaging:slides.scale", { value: bar.value, unit: bar.unit })}</span>
          </div>
        )}
      </div>
      {zoom !== null && <p className="muted small">{t("imaging:slides.magnification", { zoom: (zoom * 100).toFixed(0) })}</p>}
      {canMarkKeyRegion && visible && <SlideKeyRegionForm region={visible} />}
      {fetcher.data?.error && (
        <p className="alert alert-error" role="alert">
          {t(fetcher.data.error)}
        </p>
      )}
      {failed && (
        <p className="alert alert-error" role="alert">
          {t("imaging:slides.errors.loadFailed")}
        </p>
      )}
      <h2>{t("imaging:slides.annotations.title")}</h2>
      {annotations.length === 0 ? (
        <p className="muted">{t("imaging:slides.annotations.none")}</p>
      ) : (
        <ol className="slide-annotation-list">
          {annotations.map((a, i) => (
            <li key={a.id}>
              {t(TOOL_KEYS[a.kind])}
              {a.text && `: ${a.text}`}
              {a.mine && (
                <fetcher.Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="delete" />
                  <input type="hidden" name="annotationId" value={a.id} />
                  <button type="submit" className="button-secondary" aria-label={t("imaging:slides.annotations.deleteNamed", { number: i + 1 })}>
                    {t("imaging:slides.annotations.delete")}
                  </button>
                </fetcher.Form>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
