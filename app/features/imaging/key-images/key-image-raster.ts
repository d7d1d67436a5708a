/**
 * A key image's pixels as the viewer showed them, without I/O: one frame of a
 * native-pixel DICOM instance through the modality LUT, the VOI window and any
 * inversion, as 8-bit grayscale or RGB, with what its measurements read; and a
 * shrink by area averaging.
 */
import dicomParser from "dicom-parser";
import { frameStoredValues, readPixelModule, type FramePixels, type PixelModule, type StoredValues } from "~/features/imaging/dicom/pixel-module";
import { toDisplayPixels } from "~/features/imaging/slides/dicom-slide";
import type { PixelSpacing } from "~/features/imaging/viewer/measurements";

export type RasterImage = { width: number; height: number; channels: 1 | 3; pixels: Uint8Array };

/** PS3.3 C.11.2.1.2's VOI LUT functions. */
export type WindowFunction = "linear" | "linear-exact" | "sigmoid";

/** The window to draw with (else the instance's, else the frame's range), its function (linear by default), and an inversion. */
export type DisplaySettings = { windowCenter: number | null; windowWidth: number | null; windowFunction?: WindowFunction; invert: boolean };

/** A frame's stored values and rescale, as the statistics of elliptical regions read them. */
export type FrameValues = { values: StoredValues; columns: number; rows: number; slope: number; intercept: number };

/** One frame as a picture, and what measurements on it read: its pixel spacing, and for grayscale its stored values. */
export type MeasuredFrame = { raster: RasterImage; spacing: PixelSpacing | null; values: FrameValues | null };

/**
 * One frame of an Explicit VR Little Endian instance with native pixels as 8-bit
 * pixels: grayscale through the modality LUT (rescale), the VOI window (PS3.3
 * C.11.2.1.2) and MONOCHROME1 / the viewer's invert; colour as RGB.
 */
export function dicomFrameRaster(bytes: Uint8Array, frameIndex: number, display: DisplaySettings): RasterImage {
  return measuredFrame(bytes, frameIndex, display).raster;
}

/** `dicomFrameRaster`'s picture with what the viewer's measurements read from the same frame. */
export function measuredFrame(bytes: Uint8Array, frameIndex: number, display: DisplaySettings): MeasuredFrame {
  const set = dicomParser.parseDicom(bytes);
  const p = readPixelModule(set);
  const frame = Number.isInteger(frameIndex) ? p.frames[frameIndex] : undefined;
  if (!frame) throw new Error(`frame ${frameIndex} out of range`);
  if (p.samplesPerPixel === 3) {
    const { byteOffset, byteLength } = frame.pixelData;
    return { raster: colourFrame(p, set.byteArray.subarray(byteOffset, byteOffset + byteLength), display.invert), spacing: frame.pixelSpacing, values: null };
  }
  if (p.samplesPerPixel !== 1 || !p.photometricInterpretation.startsWith("MONOCHROME"))
    throw new Error(`unsupported photometric interpretation ${p.photometricInterpretation}`);
  const stored = frameStoredValues(p, frame, set.byteArray);
  return {
    raster: grayscaleFrame(p, frame, stored, display),
    spacing: frame.pixelSpacing,
    values: { values: stored, columns: p.columns, rows: p.rows, slope: frame.rescaleSlope, intercept: frame.rescaleIntercept },
  };
}

function grayscaleFrame(p: PixelModule, frame: FramePixels, stored: StoredValues, display: DisplaySettings): RasterImage {
  const count = p.rows * p.columns;
  const { rescaleSlope: slope, rescaleIntercept: intercept } = frame;
  const window = displayWindow(display, frame.window, () => {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < count; i++) {
      const v = stored[i] * slope + intercept;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { min, max };
  });
  const invert = (p.photometricInterpretation === "MONOCHROME1") !== display.invert;
  const pixels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const level = voiLevel(stored[i] * slope + intercept, window.center, window.width, display.windowFunction);
    pixels[i] = invert ? 255 - level : level;
  }
  return { width: p.columns, height: p.rows, channels: 1, pixels };
}

/** The viewer's window, else the instance's, else one spanning the frame's modality values. */
function displayWindow(display: DisplaySettings, stored: FramePixels["window"], range: () => { min: number; max: number }) {
  if (display.windowCenter !== null && display.windowWidth !== null && display.windowWidth > 0)
    return { center: display.windowCenter, width: display.windowWidth };
  if (stored) return stored;
  const { min, max } = range();
  return { center: (min + max) / 2, width: Math.max(1, max - min) };
}

/** PS3.3 C.11.2.1.2, to 0..255. */
export function voiLevel(x: number, center: number, width: number, fn: WindowFunction = "linear"): number {
  if (fn === "sigmoid") return Math.round(255 / (1 + Math.exp((-4 * (x - center)) / width)));
  if (fn === "linear-exact") {
    if (x <= center - width / 2) return 0;
    if (x > center + width / 2) return 255;
    return Math.round(((x - center) / width + 0.5) * 255);
  }
  if (width <= 1) return x <= center - 0.5 ? 0 : 255;
  const low = center - 0.5 - (width - 1) / 2;
  const high = center - 0.5 + (width - 1) / 2;
  if (x <= low) return 0;
  if (x > high) return 255;
  return Math.round(((x - (center - 0.5)) / (width - 1) + 0.5) * 255);
}

function colourFrame(p: PixelModule, frameBytes: Uint8Array, invert: boolean): RasterImage {
  if (p.bitsAllocated !== 8) throw new Error(`unsupported colour depth ${p.bitsAllocated}`);
  if (p.photometricInterpretation !== "RGB" && p.photometricInterpretation !== "YBR_FULL")
    throw new Error(`unsupported photometric interpretation ${p.photometricInterpretation}`);
  const pixels = toDisplayPixels(frameBytes, { ...p, photometric: p.photometricInterpretation });
  if (invert) for (let i = 0; i < pixels.length; i++) pixels[i] = 255 - pixels[i];
  return { width: p.columns, height: p.rows, channels: 3, pixels };
}

/** Per output pixel along one axis, the source pixels and weights: area averaging when shrinking, linear interpolation when enlarging. */
function axisWeights(from: number, to: number): { index: number; weight: number }[][] {
  const step = from / to;
  return Array.from({ length: to }, (_, o) => {
    if (step <= 1) {
      const centre = Math.min(from - 1, Math.max(0, (o + 0.5) * step - 0.5));
      const left = Math.floor(centre);
      const right = Math.min(from - 1, left + 1);
      const t = centre - left;
      return right === left || t === 0
        ? [{ index: left, weight: 1 }]
        : [
            { index: left, weight: 1 - t },
            { index: right, weight: t },
          ];
    }
    const start = o * step;
    const end = (o + 1) * step;
    const parts: { index: number; weight: number }[] = [];
    for (let s = Math.floor(start); s < Math.min(from, Math.ceil(end)); s++)
      parts.push({ index: s, weight: (Math.min(s + 1, end) - Math.max(s, start)) / step });
    return parts;
  });
}

/** The image resampled to width × height. */
export function resize(image: RasterImage, width: number, height: number): RasterImage {
  if (width === image.width && height === image.height) return image;
  const ch = image.channels;
  const across = axisWeights(image.width, width);
  const down = axisWeights(image.height, height);
  const rows = new Float32Array(width * image.height * ch);
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < ch; c++) {
        let sum = 0;
        for (const { index, weight } of across[x]) sum += image.pixels[(y * image.width + index) * ch + c] * weight;
        rows[(y * width + x) * ch + c] = sum;
      }
  const pixels = new Uint8Array(width * height * ch);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < ch; c++) {
        let sum = 0;
        for (const { index, weight } of down[y]) sum += rows[(index * width + x) * ch + c] * weight;
        pixels[(y * width + x) * ch + c] = Math.min(255, Math.max(0, Math.round(sum)));
      }
  return { width, height, channels: ch, pixels };
}

/** The image scaled down so that its longest side is at most `maxEdge`, keeping its aspect ratio. */
export function downscaleToFit(image: RasterImage, maxEdge: number): RasterImage {
  const scale = maxEdge / Math.max(image.width, image.height);
  if (scale >= 1) return image;
  return resize(image, Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale)));
}
