/**
 * WADO-RS rendered and thumbnail resources (PS3.18 8.3.5, 9.5), without I/O: the query parameters read and bounded,
 * the media type chosen from Accept, one frame drawn to 8-bit pixels and fitted to the viewport. The drawing
 * (`renderRaster`) and the encoding run in a DICOM worker thread (`renderInWorker`), never on the event loop.
 *
 * Decisions, written down here:
 * - Media types: image/jpeg (the default, also for `*` and `image/*`) and image/png; anything else is a 406. Accept
 *   may name them bare or as `multipart/related; type="image/..."`; the `accept` query parameter overrides the header.
 *   Only the first MAX_MEDIA_RANGES ranges of an Accept value are read (`mediaRanges`, one linear pass).
 * - Parameters: `window=center,width[,function]` (function linear, linear-exact or sigmoid, PS3.3 C.11.2.1.2; linear
 *   when left out; width above 0; applied to grayscale only, colour is drawn as stored), `quality` 1..100 (JPEG; 90 by
 *   default), `viewport=vw,vh` or `vw,vh,sx,sy,sw,sh` (vw and vh accepted from 1 to MAX_VIEWPORT; the source region,
 *   cut to the image, is scaled to fit inside vw×vh keeping its aspect ratio, up or down). `annotation` and
 *   `iccprofile` are not supported and, like any other key, answered 400.
 * - The size drawn is bounded, whatever was asked (`renderedSize`): at most min(MAX_UPSCALE × the source region's
 *   size, MAX_RENDERED_EDGE) a side, i.e. never enlarged more than twice (a bigger enlargement adds no information,
 *   only pixels to compute and send: a 1×1 region once became 4096×4096) and never more than 2048 pixels a side
 *   (16 MB of RGB before encoding; a 4096×4096 PNG took seconds of CPU). The bound also applies without a viewport,
 *   so a source above 2048 a side is drawn fitted to 2048. A larger viewport is not an error: PS3.18 lets the
 *   server choose the size within the viewport (the image is "scaled to fit" and keeps its aspect ratio), so the
 *   image is fitted down and answered 200; the client learns the size from the image. A thumbnail's viewport
 *   (THUMBNAIL_EDGE square by default) is bounded to THUMBNAIL_MAX_EDGE a side the same way.
 * - A thumbnail takes `viewport`, `quality` and `accept`; it is the rendered default window of the instance's first
 *   frame (series: the middle instance; study: its first series').
 * - Without a window the instance's own first window is used, else one spanning the frame's values (as the key
 *   images of the opinion PDF are drawn).
 */
import { mediaRanges } from "~/features/imaging/dicom/accept-transfer-syntax";
import { dicomFrameRaster, resize, type RasterImage, type WindowFunction } from "~/features/imaging/key-images/key-image-raster";

export type RenderedMediaType = "image/jpeg" | "image/png";
export type RenderWindow = { center: number; width: number; fn: WindowFunction };
export type Viewport = { width: number; height: number; region: { x: number; y: number; width: number; height: number } | null };
export type RenderOptions = { mediaType: RenderedMediaType; window: RenderWindow | null; quality: number; viewport: Viewport | null };

/** The largest vw and vh accepted (as the capabilities document says); what is drawn is bounded by `renderedSize`. */
export const MAX_VIEWPORT = 4096;
/** The most pixels a side of a rendered image. */
export const MAX_RENDERED_EDGE = 2048;
/** The most a source region is enlarged. */
export const MAX_UPSCALE = 2;
export const THUMBNAIL_EDGE = 128;
/** The most pixels a side of a thumbnail, whatever its viewport. */
export const THUMBNAIL_MAX_EDGE = 256;
export const DEFAULT_QUALITY = 90;
const MAX_WINDOW_VALUE = 1e7;

/** The slice the viewer shows while it loads: drawn in the instance's own window, at the default quality (`renderedSliceUrl`). */
export const VIEWER_PREVIEW: RenderOptions = { mediaType: "image/jpeg", window: null, quality: DEFAULT_QUALITY, viewport: null };

/**
 * The name a render is kept under beside its instance, or null when it is drawn per request and not kept. Kept: the
 * renders the app itself asks for, a frame in its own window at the default quality, whole (the viewer's preview) or
 * as a thumbnail, so each is drawn once for every reader. Any other window, quality or viewport is not kept, so no
 * client can fill the disk with variants.
 */
export function keptRenderName(frameIndex: number, options: RenderOptions): string | null {
  if (options.window || options.quality !== DEFAULT_QUALITY) return null;
  const { viewport } = options;
  const size = !viewport ? "whole" : !viewport.region && viewport.width === THUMBNAIL_EDGE && viewport.height === THUMBNAIL_EDGE ? "thumbnail" : null;
  return size && `rendered-${frameIndex + 1}-${size}.${options.mediaType === "image/png" ? "png" : "jpg"}`;
}

export type RenderParse = { ok: true; options: RenderOptions } | { ok: false; status: 400 | 406; error: string };

/** The image type to answer with, in the client's order of preference; null when it accepts neither (406). */
export function renderedMediaType(accept: string | null): RenderedMediaType | null {
  const ranges = accept ? mediaRanges(accept) : [];
  if (ranges.length === 0) return "image/jpeg";
  const ranked: { type: RenderedMediaType; q: number; order: number }[] = [];
  ranges.forEach((range, order) => {
    const [rawType, ...params] = range.split(";").map((p) => p.trim());
    const param = (name: string) =>
      params
        .find((p) => p.toLowerCase().startsWith(`${name}=`))
        ?.slice(name.length + 1)
        .replace(/^"|"$/g, "")
        .toLowerCase();
    const q = param("q") === undefined ? 1 : Number(param("q"));
    if (!(q > 0)) return;
    const type = rawType.toLowerCase() === "multipart/related" ? (param("type") ?? "") : rawType.toLowerCase();
    if (type === "image/png") ranked.push({ type: "image/png", q, order });
    else if (["image/jpeg", "image/*", "*/*", "*"].includes(type)) ranked.push({ type: "image/jpeg", q, order });
  });
  return ranked.sort((a, b) => b.q - a.q || a.order - b.order)[0]?.type ?? null;
}

const number = (text: string) => (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN);
const whole = (text: string, min: number, max: number) => {
  const n = /^\d{1,7}$/.test(text.trim()) ? Number(text) : Number.NaN;
  return n >= min && n <= max ? n : null;
};

function parseWindow(text: string): RenderWindow | string {
  const [c, w, fn = "linear", ...rest] = text.split(",").map((p) => p.trim());
  const center = number(c ?? "");
  const width = number(w ?? "");
  const fnName = fn.toLowerCase().replace(/_/g, "-");
  if (rest.length > 0 || !Number.isFinite(center) || !Number.isFinite(width) || Math.abs(center) > MAX_WINDOW_VALUE || !(width > 0) || width > MAX_WINDOW_VALUE)
    return `window must be center,width[,function] with a width above 0 and values within ±${MAX_WINDOW_VALUE}`;
  if (fnName !== "linear" && fnName !== "linear-exact" && fnName !== "sigmoid") return "window's function must be linear, linear-exact or sigmoid";
  return { center, width, fn: fnName };
}

function parseViewport(text: string): Viewport | string {
  const parts = text.split(",").map((p) => p.trim());
  const problem = `viewport must be vw,vh or vw,vh,sx,sy,sw,sh: whole numbers, vw and vh from 1 to ${MAX_VIEWPORT}, sw and sh above 0`;
  if (parts.length !== 2 && parts.length !== 6) return problem;
  const width = whole(parts[0], 1, MAX_VIEWPORT);
  const height = whole(parts[1], 1, MAX_VIEWPORT);
  if (width === null || height === null) return problem;
  if (parts.length === 2) return { width, height, region: null };
  const [x, y] = parts.slice(2, 4).map((p) => whole(p, 0, 1_000_000));
  const [w, h] = parts.slice(4, 6).map((p) => whole(p, 1, 1_000_000));
  if (x === null || y === null || w === null || h === null) return problem;
  return { width, height, region: { x, y, width: w, height: h } };
}

/** The options of a rendered (or, with `thumbnail`, thumbnail) request; 400 for an unknown or invalid parameter, 406 for an image type we do not make. */
export function parseRenderQuery(params: URLSearchParams, accept: string | null, thumbnail = false): RenderParse {
  const allowed = thumbnail ? ["viewport", "quality", "accept"] : ["window", "viewport", "quality", "accept"];
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!allowed.includes(key))
      return { ok: false, status: 400, error: `Unknown parameter ${JSON.stringify(key.slice(0, 64))}; this resource takes ${allowed.join(", ")}` };
    if (seen.has(key)) return { ok: false, status: 400, error: `${key} is given more than once` };
    seen.add(key);
  }
  const mediaType = renderedMediaType(params.get("accept") ?? accept);
  if (!mediaType) return { ok: false, status: 406, error: "Rendered images are given as image/jpeg or image/png" };
  let window: RenderWindow | null = null;
  if (params.has("window")) {
    const parsed = parseWindow(params.get("window")!);
    if (typeof parsed === "string") return { ok: false, status: 400, error: parsed };
    window = parsed;
  }
  let quality = DEFAULT_QUALITY;
  if (params.has("quality")) {
    const q = whole(params.get("quality")!, 1, 100);
    if (q === null) return { ok: false, status: 400, error: "quality must be a whole number from 1 to 100" };
    quality = q;
  }
  let viewport: Viewport | null = thumbnail ? { width: THUMBNAIL_EDGE, height: THUMBNAIL_EDGE, region: null } : null;
  if (params.has("viewport")) {
    const parsed = parseViewport(params.get("viewport")!);
    if (typeof parsed === "string") return { ok: false, status: 400, error: parsed };
    viewport = parsed;
  }
  if (thumbnail && viewport)
    viewport = { ...viewport, width: Math.min(viewport.width, THUMBNAIL_MAX_EDGE), height: Math.min(viewport.height, THUMBNAIL_MAX_EDGE) };
  return { ok: true, options: { mediaType, window, quality, viewport } };
}

/**
 * One frame (0-based) of an Explicit VR Little Endian instance with native pixels as 8-bit pixels: grayscale through
 * the modality rescale, the window (the request's, else the instance's, else the frame's range) and MONOCHROME1's
 * inversion; colour as RGB. Throws when the instance has no image it can draw.
 */
export function renderFrame(bytes: Uint8Array, frameIndex: number, window: RenderWindow | null): RasterImage {
  return dicomFrameRaster(bytes, frameIndex, {
    windowCenter: window?.center ?? null,
    windowWidth: window?.width ?? null,
    windowFunction: window?.fn,
    invert: false,
  });
}

/**
 * The size a source (region) of `width` × `height` is drawn at: fitted inside the viewport (the source's own size
 * without one) keeping its aspect ratio, and never more than MAX_UPSCALE times the source nor MAX_RENDERED_EDGE a side.
 */
export function renderedSize(width: number, height: number, viewport: { width: number; height: number } | null): { width: number; height: number } {
  const boxWidth = Math.min(viewport?.width ?? width, MAX_UPSCALE * width, MAX_RENDERED_EDGE);
  const boxHeight = Math.min(viewport?.height ?? height, MAX_UPSCALE * height, MAX_RENDERED_EDGE);
  const scale = Math.min(boxWidth / width, boxHeight / height);
  return {
    width: Math.max(1, Math.min(boxWidth, Math.round(width * scale))),
    height: Math.max(1, Math.min(boxHeight, Math.round(height * scale))),
  };
}

/** The viewport's source region (cut to the image) scaled to `renderedSize`; without a viewport the image, fitted down only when above the bound. */
export function fitViewport(image: RasterImage, viewport: Viewport | null): RasterImage {
  let source = image;
  const region = viewport?.region;
  if (region) {
    const x = Math.min(region.x, image.width - 1);
    const y = Math.min(region.y, image.height - 1);
    const w = Math.min(region.width, image.width - x);
    const h = Math.min(region.height, image.height - y);
    const ch = image.channels;
    const pixels = new Uint8Array(w * h * ch);
    for (let row = 0; row < h; row++)
      pixels.set(image.pixels.subarray(((y + row) * image.width + x) * ch, ((y + row) * image.width + x + w) * ch), row * w * ch);
    source = { width: w, height: h, channels: ch, pixels };
  }
  const size = renderedSize(source.width, source.height, viewport);
  return resize(source, size.width, size.height);
}

/** What a DICOM worker is asked to render: a frame (0-based) of the Explicit VR Little Endian file at `source`. */
export type RenderRequest = { source: string; frameIndex: number; options: RenderOptions };
/** The encoded image, or why the instance has nothing to draw. */
export type RenderResult = { ok: true; bytes: Uint8Array; width: number; height: number } | { ok: false; detail: string };

/** One frame of an Explicit VR Little Endian instance drawn and fitted: what is encoded. Throws when there is nothing to draw. */
export function renderRaster(bytes: Uint8Array, frameIndex: number, options: Pick<RenderOptions, "window" | "viewport">): RasterImage {
  return fitViewport(renderFrame(bytes, frameIndex, options.window), options.viewport);
}
