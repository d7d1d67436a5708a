/**
 * A case's key images as pictures for the opinion PDF: each DICOM key image
 * drawn as its author saw it (window, invert) from the stored instance, then
 * each slide key region cut from the slide's tile pyramid. Images the role may
 * not see are never drawn; an image that cannot be drawn is logged and left
 * out instead of failing the PDF.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import dicomParser, { type DataSet } from "dicom-parser";
import { readViewerState } from "~/domain/viewer-state";
import type { SlideRegion } from "~/domain/slide-region";
import { keyImagesOf, slideKeyRegionsOf } from "~/models/imaging.server";
import type { Db } from "./db.server";
import { log } from "./logger.server";
import { encodePng, type RasterImage } from "./png.server";
import { explicitLittleEndian } from "./renditions.server";
import { pyramidDir } from "./slides.server";

const run = promisify(execFile);

export const DEFAULT_KEY_IMAGE_EDGE = 768;

export type RenderedKeyImage = { image: Buffer; caption: string };
export type KeyImageRenderOptions = {
  /** The longest side of a rendered image, in pixels. */
  maxEdge?: number;
  /** The word before the slice number in DICOM captions ("slice" when not given). */
  sliceLabel?: string;
};

/** The case's key images the role may see, as PNG with captions: DICOM key images first (oldest first), then slide key regions. */
export async function renderKeyImages(db: Db, caseId: string, role: string, options: KeyImageRenderOptions = {}): Promise<RenderedKeyImage[]> {
  const maxEdge = Math.max(1, Math.floor(options.maxEdge ?? DEFAULT_KEY_IMAGE_EDGE));
  const sliceLabel = options.sliceLabel ?? "slice";
  const rendered: RenderedKeyImage[] = [];
  for (const keyImage of await keyImagesOf(db, caseId, role)) {
    try {
      rendered.push(await renderDicomKeyImage(db, keyImage, maxEdge, sliceLabel));
    } catch (error) {
      log("warn", "key image could not be rendered", { caseId, keyImageId: keyImage.id, error: String(error).slice(0, 500) });
    }
  }
  for (const region of await slideKeyRegionsOf(db, caseId)) {
    try {
      rendered.push({ image: await renderSlideRegion(region.slideId, region.region, maxEdge), caption: `${region.slideName} — ${region.note}` });
    } catch (error) {
      log("warn", "slide key region could not be rendered", { caseId, slideKeyRegionId: region.id, error: String(error).slice(0, 500) });
    }
  }
  return rendered;
}

type VisibleKeyImage = Awaited<ReturnType<typeof keyImagesOf>>[number];

async function renderDicomKeyImage(db: Db, keyImage: VisibleKeyImage, maxEdge: number, sliceLabel: string): Promise<RenderedKeyImage> {
  const target = await db.keyImage.findUniqueOrThrow({ where: { id: keyImage.id }, select: { sopInstanceUid: true, frame: true, series: { select: { description: true } } } });
  const instance = await db.imagingInstance.findUnique({
    where: { seriesId_sopInstanceUid: { seriesId: keyImage.seriesId, sopInstanceUid: target.sopInstanceUid } },
    select: { sha256: true, transferSyntax: true, instanceNumber: true, frames: true },
  });
  if (!instance) throw new Error("instance not found");
  const rendition = await explicitLittleEndian(instance.sha256, instance.transferSyntax);
  if (!rendition.ok) throw new Error(`not decodable: ${rendition.detail}`);
  const view = readViewerState(keyImage.viewState);
  const raster = dicomFrameRaster(await readFile(rendition.path), target.frame, {
    windowCenter: view?.windowCenter ?? null,
    windowWidth: view?.windowWidth ?? null,
    invert: view?.invert ?? false,
  });
  const sliceNumber = instance.frames === 1 && instance.instanceNumber !== null ? instance.instanceNumber : keyImage.slice + 1;
  const series = [[keyImage.modality, keyImage.seriesNumber].filter((part) => part !== null && part !== "").join(" "), target.series.description?.trim()];
  const caption = [...series.filter(Boolean), `${sliceLabel} ${sliceNumber}`].join(" · ");
  return { image: encodePng(downscaleToFit(raster, maxEdge)), caption: `${caption} — ${keyImage.note}` };
}

export type DisplaySettings = { windowCenter: number | null; windowWidth: number | null; invert: boolean };

type PixelModule = {
  rows: number;
  columns: number;
  frames: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  signed: boolean;
  photometric: string;
  planarConfiguration: number;
};

/**
 * One frame of an Explicit VR Little Endian instance with native pixels as 8-bit
 * pixels: grayscale through the modality LUT (rescale), the VOI window (PS3.3
 * C.11.2.1.2, linear) and MONOCHROME1 / the viewer's invert; colour as RGB.
 */
export function dicomFrameRaster(bytes: Uint8Array, frame: number, display: DisplaySettings): RasterImage {
  const set = dicomParser.parseDicom(bytes);
  const pixelElement = set.elements.x7fe00010;
  if (!pixelElement || pixelElement.encapsulatedPixelData) throw new Error("no native pixel data");
  const p = pixelModule(set);
  if (!Number.isInteger(frame) || frame < 0 || frame >= p.frames) throw new Error(`frame ${frame} out of range`);
  const pixelData = new Uint8Array(set.byteArray.buffer, set.byteArray.byteOffset + pixelElement.dataOffset, pixelElement.length);
  if (p.samplesPerPixel === 3) return colourFrame(p, pixelData, frame, display.invert);
  if (p.samplesPerPixel !== 1 || !p.photometric.startsWith("MONOCHROME")) throw new Error(`unsupported photometric interpretation ${p.photometric}`);
  return grayscaleFrame(set, p, pixelData, frame, display);
}

function pixelModule(set: DataSet): PixelModule {
  const rows = set.uint16("x00280010") ?? 0;
  const columns = set.uint16("x00280011") ?? 0;
  const bitsAllocated = set.uint16("x00280100") ?? 16;
  const module = {
    rows,
    columns,
    frames: Math.max(1, set.intString("x00280008") ?? 1),
    samplesPerPixel: set.uint16("x00280002") ?? 1,
    bitsAllocated,
    bitsStored: set.uint16("x00280101") ?? bitsAllocated,
    signed: set.uint16("x00280103") === 1,
    photometric: (set.string("x00280004") ?? "MONOCHROME2").trim().toUpperCase(),
    planarConfiguration: set.uint16("x00280006") ?? 0,
  };
  if (rows < 1 || columns < 1) throw new Error("no image size");
  if (![1, 8, 16, 32].includes(bitsAllocated) || module.bitsStored < 1 || module.bitsStored > bitsAllocated) throw new Error(`unsupported bits allocated ${bitsAllocated}`);
  return module;
}

/** The stored value of pixel `i` of a frame: masked to Bits Stored and sign-extended when signed. */
function storedSampleReader(p: PixelModule, pixelData: Uint8Array, frame: number): (i: number) => number {
  const count = p.rows * p.columns;
  const firstBit = frame * count * p.bitsAllocated;
  if ((firstBit + count * p.bitsAllocated) / 8 > pixelData.length) throw new Error("pixel data shorter than the frame");
  if (p.bitsAllocated === 1) return (i) => (pixelData[(firstBit + i) >> 3] >> ((firstBit + i) & 7)) & 1;
  const view = new DataView(pixelData.buffer, pixelData.byteOffset + firstBit / 8, (count * p.bitsAllocated) / 8);
  const read = p.bitsAllocated === 8 ? (i: number) => view.getUint8(i) : p.bitsAllocated === 16 ? (i: number) => view.getUint16(2 * i, true) : (i: number) => view.getUint32(4 * i, true);
  const bits = p.bitsStored;
  const range = 2 ** bits;
  return (i) => {
    const value = read(i) % range;
    return p.signed && value >= range / 2 ? value - range : value;
  };
}

/** An attribute of one frame from the functional groups of an enhanced multi-frame instance: the frame's own, else the shared one. */
function functionalGroupValue(set: DataSet, frame: number, sequence: string, tag: string): number | null {
  const perFrame = set.elements.x52009230?.items?.[frame]?.dataSet;
  const shared = set.elements.x52009229?.items?.[0]?.dataSet;
  for (const groups of [perFrame, shared]) {
    const value = groups?.elements[sequence]?.items?.[0]?.dataSet?.floatString(tag);
    if (value !== undefined && Number.isFinite(value)) return value;
  }
  return null;
}

function attribute(set: DataSet, frame: number, sequence: string, tag: string): number | null {
  const value = set.floatString(tag);
  return value !== undefined && Number.isFinite(value) ? value : functionalGroupValue(set, frame, sequence, tag);
}

function grayscaleFrame(set: DataSet, p: PixelModule, pixelData: Uint8Array, frame: number, display: DisplaySettings): RasterImage {
  const count = p.rows * p.columns;
  const stored = storedSampleReader(p, pixelData, frame);
  const slope = attribute(set, frame, "x00289145", "x00281053") ?? 1;
  const intercept = attribute(set, frame, "x00289145", "x00281052") ?? 0;
  const window = displayWindow(display, attribute(set, frame, "x00289132", "x00281050"), attribute(set, frame, "x00289132", "x00281051"), () => {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < count; i++) {
      const v = stored(i) * slope + intercept;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { min, max };
  });
  const invert = (p.photometric === "MONOCHROME1") !== display.invert;
  const pixels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const level = linearVoi(stored(i) * slope + intercept, window.center, window.width);
    pixels[i] = invert ? 255 - level : level;
  }
  return { width: p.columns, height: p.rows, channels: 1, pixels };
}

/** The viewer's window, else the instance's, else one spanning the frame's modality values. */
function displayWindow(display: DisplaySettings, storedCenter: number | null, storedWidth: number | null, range: () => { min: number; max: number }) {
  if (display.windowCenter !== null && display.windowWidth !== null && display.windowWidth > 0) return { center: display.windowCenter, width: display.windowWidth };
  if (storedCenter !== null && storedWidth !== null && storedWidth > 0) return { center: storedCenter, width: storedWidth };
  const { min, max } = range();
  return { center: (min + max) / 2, width: Math.max(1, max - min) };
}

/** PS3.3 C.11.2.1.2.1, to 0..255. */
function linearVoi(x: number, center: number, width: number): number {
  if (width <= 1) return x <= center - 0.5 ? 0 : 255;
  const low = center - 0.5 - (width - 1) / 2;
  const high = center - 0.5 + (width - 1) / 2;
  if (x <= low) return 0;
  if (x > high) return 255;
  return Math.round(((x - (center - 0.5)) / (width - 1) + 0.5) * 255);
}

function colourFrame(p: PixelModule, pixelData: Uint8Array, frame: number, invert: boolean): RasterImage {
  if (p.bitsAllocated !== 8) throw new Error(`unsupported colour depth ${p.bitsAllocated}`);
  const ybr = p.photometric === "YBR_FULL";
  if (p.photometric !== "RGB" && !ybr) throw new Error(`unsupported photometric interpretation ${p.photometric}`);
  const count = p.rows * p.columns;
  const start = frame * count * 3;
  if (start + count * 3 > pixelData.length) throw new Error("pixel data shorter than the frame");
  const samples = pixelData.subarray(start, start + count * 3);
  const pixels = new Uint8Array(count * 3);
  const clamp = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
  for (let i = 0; i < count; i++) {
    const [a, b, c] = p.planarConfiguration === 1 ? [samples[i], samples[i + count], samples[i + 2 * count]] : [samples[3 * i], samples[3 * i + 1], samples[3 * i + 2]];
    const rgb = ybr ? [a + 1.402 * (c - 128), a - 0.344136 * (b - 128) - 0.714136 * (c - 128), a + 1.772 * (b - 128)] : [a, b, c];
    for (let k = 0; k < 3; k++) pixels[3 * i + k] = invert ? 255 - clamp(rgb[k]) : clamp(rgb[k]);
  }
  return { width: p.columns, height: p.rows, channels: 3, pixels };
}

/** The source pixels (index and weight) that make up each output pixel along one axis, when `from` pixels are averaged down to `to`. */
function areaWeights(from: number, to: number): { index: number; weight: number }[][] {
  const step = from / to;
  return Array.from({ length: to }, (_, o) => {
    const start = o * step;
    const end = (o + 1) * step;
    const parts: { index: number; weight: number }[] = [];
    for (let s = Math.floor(start); s < Math.min(from, Math.ceil(end)); s++) parts.push({ index: s, weight: (Math.min(s + 1, end) - Math.max(s, start)) / step });
    return parts;
  });
}

/** The image scaled down (area averaging) so that its longest side is at most `maxEdge`, keeping its aspect ratio. */
export function downscaleToFit(image: RasterImage, maxEdge: number): RasterImage {
  const scale = maxEdge / Math.max(image.width, image.height);
  if (scale >= 1) return image;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const ch = image.channels;
  const across = areaWeights(image.width, width);
  const down = areaWeights(image.height, height);
  const rowsScaled = new Float32Array(width * image.height * ch);
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < ch; c++) {
        let sum = 0;
        for (const { index, weight } of across[x]) sum += image.pixels[(y * image.width + index) * ch + c] * weight;
        rowsScaled[(y * width + x) * ch + c] = sum;
      }
  const pixels = new Uint8Array(width * height * ch);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < ch; c++) {
        let sum = 0;
        for (const { index, weight } of down[y]) sum += rowsScaled[(index * width + x) * ch + c] * weight;
        pixels[(y * width + x) * ch + c] = Math.min(255, Math.max(0, Math.round(sum)));
      }
  return { width, height, channels: ch, pixels };
}

type DeepZoom = { width: number; height: number; tileSize: number; overlap: number; format: string };

function readDzi(xml: string): DeepZoom {
  const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(xml)?.[1];
  const [width, height, tileSize, overlap] = ["Width", "Height", "TileSize", "Overlap"].map((name) => Number(attr(name)));
  const format = attr("Format") ?? "";
  if (![width, height, tileSize].every((n) => Number.isInteger(n) && n > 0) || !Number.isInteger(overlap) || overlap < 0 || !/^(jpeg|jpg|png)$/.test(format)) throw new Error("unreadable .dzi");
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
  if (region.width < 1 || region.height < 1 || region.x < 0 || region.y < 0 || region.x + region.width > dzi.width || region.y + region.height > dzi.height) throw new Error("region outside the slide");
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
        await run("vips", ["crop", path.join(levelDir, `${column}_${row}.${dzi.format}`), part, ...[x0 - tileLeft, y0 - tileTop, x1 - x0, y1 - y0].map(String)]);
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
