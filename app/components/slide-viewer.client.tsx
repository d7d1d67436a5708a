/** A zoom-and-pan slide viewer (OpenSeadragon) on the slide's Deep Zoom pyramid, with a scale bar when the pixel size is known. */
import OpenSeadragon from "openseadragon";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { scaleBar, type ScaleBar } from "~/domain/scale-bar";

const SCALE_BAR_MAX_PX = 160;

export default function SlideViewer({ dziUrl, micronsPerPixel }: { dziUrl: string; micronsPerPixel: number | null }) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const viewer = useRef<OpenSeadragon.Viewer | null>(null);
  const [bar, setBar] = useState<ScaleBar | null>(null);
  const [zoom, setZoom] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);

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
    };
    v.addHandler("open", measure);
    v.addHandler("animation", measure);
    v.addHandler("animation-finish", measure);
    v.addHandler("open-failed", () => setFailed(true));
    return () => {
      v.destroy();
      viewer.current = null;
    };
  }, [dziUrl, micronsPerPixel]);

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
      </div>
      <div className="slide-canvas" role="img" aria-label={t("imaging:slides.canvas")} data-zoom={zoom ?? undefined}>
        <div ref={element} className="slide-osd" />
        {bar && (
          <div className="scale-bar" role="status" aria-label={t("imaging:slides.scaleBar")}>
            <div className="scale-bar-line" style={{ width: `${bar.widthPx}px` }} />
            <span>{t("imaging:slides.scale", { value: bar.value, unit: bar.unit })}</span>
          </div>
        )}
      </div>
      {zoom !== null && <p className="muted small">{t("imaging:slides.magnification", { zoom: (zoom * 100).toFixed(0) })}</p>}
      {failed && (
        <p className="alert alert-error" role="alert">
          {t("imaging:slides.errors.loadFailed")}
        </p>
      )}
    </div>
  );
}
