/**
 * A case's key images as pictures for the opinion PDF: each DICOM key image
 * drawn as its author saw it (window, invert) from the stored instance, with the
 * measurements on its slice to draw over it, then each slide key region cut from
 * the slide's tile pyramid. Images the role may not see are never drawn; an
 * image that cannot be drawn is logged and left out instead of failing the PDF.
 */
import { execFile } from "node:child_process";
import type { TFunction } from "i18next";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { downscaleToFit, measuredFrame, type RasterImage } from "~/features/imaging/key-images/key-image-raster";
import { measurementLabel, modalityUnit } from "~/features/imaging/viewer/measurements";
import { annotationsOnSlice, readViewerState, sliceNumber, type Annotation } from "~/features/imaging/viewer/viewer-state";
import type { SlideRegion } from "~/features/imaging/slides/slide-region";
import { keyImagesOf, slideKeyRegionsOf } from "~/features/imaging/imaging-store.server";
import type { Db } from "~/platform/db.server";
import { log } from "~/platform/logger.server";
import { encodePng } from "./png.server";
import { explicitLittleEndian } from "~/features/imaging/renditions.server";
import { pyramidDir } from "~/features/imaging/slides/slides.server";
import { i18nServer } from "~/i18n/i18n.server";
import { DEFAULT_LOCALE, type Locale } from "~/i18n/locales";

const run = promisify(execFile);

export const DEFAULT_KEY_IMAGE_EDGE = 768;

/** A measurement the viewer drew on a key image's slice, in the frame's pixels, with the label the viewer gives it. */
export type KeyImageMeasurement = { annotation: Annotation; label: string };
export type RenderedKeyImage = {
  image: Buffer;
  caption: string;
  /** What to draw over the image: measurements in the pixels of a frame of this size (the image may be smaller). */
  measurements: { frame: { width: number; height: number }; items: KeyImageMeasurement[] } | null;
};
export type KeyImageRenderOptions = {
  /** The longest side of a rendered image, in pixels. */
  maxEdge?: number;
  /** The word before the slice number in DICOM captions ("slice" when not given). */
  sliceLabel?: string;
  /** The language of the measurements' labels. */
  locale?: Locale;
};

/** The case's key images on series the reader may see, as PNG with captions: DICOM key images first (oldest first), then slide key regions. */
export async function renderKeyImages(db: Db, caseId: string, seeFlaggedSeries: boolean, options: KeyImageRenderOptions = {}): Promise<RenderedKeyImage[]> {
  const maxEdge = Math.max(1, Math.floor(options.maxEdge ?? DEFAULT_KEY_IMAGE_EDGE));
  const sliceLabel = options.sliceLabel ?? "slice";
  const t = await i18nServer.getFixedT(options.locale ?? DEFAULT_LOCALE);
  const rendered: RenderedKeyImage[] = [];
  for (const keyImage of await keyImagesOf(db, caseId, seeFlaggedSeries)) {
    try {
      rendered.push(await renderDicomKeyImage(db, keyImage, maxEdge, { sliceLabel, t }));
    } catch (error) {
      log("warn", "key image could not be rendered", { caseId, keyImageId: keyImage.id, error: String(error).slice(0, 500) });
    }
  }
  for (const region of await slideKeyRegionsOf(db, caseId)) {
    try {
      rendered.push({
        image: await renderSlideRegion(region.slideId, region.region, maxEdge),
        caption: `${region.slideName} — ${region.note}`,
        measurements: null,
      });
    } catch (error) {
      log("warn", "slide key region could not be rendered", { caseId, slideKeyRegionId: region.id, error: String(error).slice(0, 500) });
    }
  }
  return rendered;
}

type VisibleKeyImage = Awaited<ReturnType<typeof keyImagesOf>>[number];

async function renderDicomKeyImage(db: Db, keyImage: VisibleKeyImage, maxEdge: number, words: { sliceLabel: string; t: TFunction }): Promise<RenderedKeyImage> {
  const target = await db.keyImage.findUniqueOrThrow({
    where: { id: keyImage.id },
    select: { sopInstanceUid: true, frame: true, series: { select: { description: true } } },
  });
  const instance = await db.imagingInstance.findUnique({
    where: { seriesId_sopInstanceUid: { seriesId: keyImage.seriesId, sopInstanceUid: target.sopInstanceUid } },
    select: { sha256: true, transferSyntax: true },
  });
  if (!instance) throw new Error("instance not found");
  const rendition = await explicitLittleEndian(instance.sha256, instance.transferSyntax);
  if (!rendition.ok) throw new Error(`not decodable: ${rendition.detail}`);
  const view = readViewerState(keyImage.viewState);
  const frame = measuredFrame(await readFile(rendition.path), target.frame, {
    windowCenter: view?.windowCenter ?? null,
    windowWidth: view?.windowWidth ?? null,
    invert: view?.invert ?? false,
  });
  const series = [[keyImage.modality, keyImage.seriesNumber].filter((part) => part !== null && part !== "").join(" "), target.series.description?.trim()];
  const caption = [...series.filter(Boolean), `${words.sliceLabel} ${sliceNumber(keyImage.slice)}`].join(" · ");
  const pixels = frame.values && { ...frame.values, unit: modalityUnit(keyImage.modality) };
  const items = (view ? annotationsOnSlice(view) : []).map((annotation) => ({
    annotation,
    label: measurementLabel(annotation, frame.spacing, pixels, words.t),
  }));
  return {
    image: encodePng(downscaleToFit(frame.raster, maxEdge)),
    caption: `${caption} — ${keyImage.note}`,
    measurements: items.length > 0 ? { frame: { width: frame.raster.width, height: frame.raster.height }, items } : null,
  };
}

type DeepZoom = { width: number; height: number; tileSize: number; overlap: number; format: string };

function readDzi(xml: string): DeepZoom {
  const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(xml)?.[1];
  const [width, height, tileSize, overlap] = ["Width", "Height", "TileSize", "Overlap"].map((name) => Number(attr(name)));
  const format = attr("Format") ?? "";
  if (![width, height, tileSize].every((n) => Number.isInteger(n) && n > 0) || !Number.isInteger(overlap) || overlap < 0 || !/^(jpeg|jpg|png)$/.test(format))
    throw new Error("unreadable .dzi");
  return { width, height, tileSize, overlap, format };
}

/**
 * A slide region (full-resolution pixels) from the deepest pyramid level at
 * which it fits in `maxEdge`: libvips cuts from each tile it touches the part
 * inside the region (leaving out the tiles' overlap), and the parts are put
 * together here.
 */
async function renderSlideRegion(slideId: string, region: SlideRegion, maxEdge: number): Promise<Buffer> {
  const dir = pyramidDir(slideId);
  const dzi = readDzi(await readFile(path.join(dir, "slide.dzi"), "utf8"));
  if (region.width < 1 || region.height < 1 || region.x < 0 || region.y < 0 || region.x + region.width > dzi.width || region.y + region.height > dzi.height)
    throw new Error("region outside the slide");
  const deepest = Math.ceil(Math.log2(Math.max(dzi.width, dzi.height)));
  let shrink = 0;
  while (shrink < deepest && Math.ceil(Math.max(region.width, region.height) / 2 ** shrink) > maxEdge) shrink++;
  const factor = 2 ** shrink;
  const levelWidth = Math.ceil(dzi.width / factor);
  const levelHeight = Math.ceil(dzi.height / factor);
  const left = Math.floor(region.x / factor);
  const top = Math.floor(region.y / factor);
  const right = Math.min(levelWidth, Math.max(left + 1, Math.ceil((region.x + region.width) / factor)));
  const bottom = Math.min(levelHeight, Math.max(top + 1, Math.ceil((region.y + region.height) / factor)));
  const width = right - left;
  const height = bottom - top;
  const T = dzi.tileSize;
  const levelDir = path.join(dir, "slide_files", String(deepest - shrink));
  const work = await mkdtemp(path.join(os.tmpdir(), "tumorboard-region-"));
  let image: RasterImage | null = null;
  try {
    for (let row = Math.floor(top / T); row <= Math.floor((bottom - 1) / T); row++)
      for (let column = Math.floor(left / T); column <= Math.floor((right - 1) / T); column++) {
        const [x0, x1] = [Math.max(left, column * T), Math.min(right, (column + 1) * T)];
        const [y0, y1] = [Math.max(top, row * T), Math.min(bottom, (row + 1) * T)];
        const tileLeft = column * T - (column > 0 ? dzi.overlap : 0);
        const tileTop = row * T - (row > 0 ? dzi.overlap : 0);
        const part = path.join(work, `${column}_${row}.raw`);
        await run("vips", [
          "crop",
          path.join(levelDir, `${column}_${row}.${dzi.format}`),
          part,
          ...[x0 - tileLeft, y0 - tileTop, x1 - x0, y1 - y0].map(String),
        ]);
        const bytes = await readFile(part);
        const channels = bytes.length / ((x1 - x0) * (y1 - y0));
        if (channels !== 1 && channels !== 3) throw new Error(`unexpected tile with ${channels} bands`);
        image ??= { width, height, channels, pixels: new Uint8Array(width * height * channels) };
        if (channels !== image.channels) throw new Error("tiles with different bands");
        const span = (x1 - x0) * channels;
        for (let y = y0; y < y1; y++) image.pixels.set(bytes.subarray((y - y0) * span, (y - y0 + 1) * span), ((y - top) * width + (x0 - left)) * channels);
      }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (!image) throw new Error("no tiles");
  return encodePng(image);
}
