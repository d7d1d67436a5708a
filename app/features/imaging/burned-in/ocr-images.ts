/**
 * What OCR reads of one frame, without I/O: the frame as 8-bit grayscale over
 * its full range of values (not the stored window, which may hide text drawn
 * at the extreme values), and the same frame with only its brightest pixels
 * drawn black on white at twice the size, for light text on dark images that
 * tesseract misses as it is.
 */
import dicomParser from "dicom-parser";
import { frameStoredValues, readPixelModule } from "~/features/imaging/dicom/pixel-module";
import { toDisplayPixels } from "~/features/imaging/slides/dicom-slide";
import type { RasterImage } from "~/features/imaging/key-images/key-image-raster";

export type OcrVariant = { name: "plain" | "bright"; scale: number; image: RasterImage };

/** Pixels at least this bright (of 255, brightest channel for colour) count as light text in the "bright" variant. */
export const BRIGHT_LEVEL = 224;
const BRIGHT_SCALE = 2;

/** An Explicit VR Little Endian instance with native pixels: how many frames it has and each one's OCR variants. */
export function ocrFrames(bytes: Uint8Array): {
  frames: number;
  width: number;
  height: number;
  variantsOf: (frame: number, wanted?: OcrVariant["name"][]) => OcrVariant[];
} {
  const set = dicomParser.parseDicom(bytes);
  const p = readPixelModule(set);
  return {
    frames: p.numberOfFrames,
    width: p.columns,
    height: p.rows,
    variantsOf(frame, wanted = ["plain", "bright"]) {
      const where = p.frames[frame];
      if (!where) throw new Error(`frame ${frame} out of range`);
      const { gray, brightest } = frameLevels(p, where, set.byteArray);
      const width = p.columns;
      const height = p.rows;
      const bright = new Uint8Array(wanted.includes("bright") ? width * height : 0);
      for (let i = 0; i < bright.length; i++) bright[i] = brightest[i] >= BRIGHT_LEVEL ? 0 : 255;
      const variants: OcrVariant[] = [];
      if (wanted.includes("plain")) variants.push({ name: "plain", scale: 1, image: { width, height, channels: 1, pixels: gray } });
      if (wanted.includes("bright"))
        variants.push({ name: "bright", scale: BRIGHT_SCALE, image: upscale({ width, height, channels: 1, pixels: bright }, BRIGHT_SCALE) });
      return variants;
    },
  };
}

type Module = ReturnType<typeof readPixelModule>;

/** Grayscale (luminance for colour) and the brightest channel of each pixel, both 0..255 over the frame's own range for grayscale. */
function frameLevels(p: Module, frame: Module["frames"][number], byteArray: Uint8Array): { gray: Uint8Array; brightest: Uint8Array } {
  const count = p.rows * p.columns;
  if (p.samplesPerPixel === 3) {
    if (p.bitsAllocated !== 8) throw new Error(`unsupported colour depth ${p.bitsAllocated}`);
    const { byteOffset, byteLength } = frame.pixelData;
    const rgb = toDisplayPixels(byteArray.subarray(byteOffset, byteOffset + byteLength), { ...p, photometric: p.photometricInterpretation });
    const gray = new Uint8Array(count);
    const brightest = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const [r, g, b] = [rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]];
      gray[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      brightest[i] = Math.max(r, g, b);
    }
    return { gray, brightest };
  }
  if (p.samplesPerPixel !== 1) throw new Error(`unsupported samples per pixel ${p.samplesPerPixel}`);
  const stored = frameStoredValues(p, frame, byteArray);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    if (stored[i] < min) min = stored[i];
    if (stored[i] > max) max = stored[i];
  }
  const range = Math.max(1, max - min);
  const inverted = p.photometricInterpretation === "MONOCHROME1";
  const gray = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const level = Math.round(((stored[i] - min) / range) * 255);
    gray[i] = inverted ? 255 - level : level;
  }
  return { gray, brightest: gray };
}

/** Rows of blank pixels between frames stacked into one image, so that no word can run from one frame into the next. */
export const STACK_GAP = 24;

/**
 * Grayscale images of one width stacked top to bottom with `STACK_GAP` white
 * rows between them: tesseract reads several frames in one run, which saves
 * its start-up (most of the time for small frames).
 */
export function stack(images: RasterImage[]): RasterImage {
  const { width } = images[0];
  if (images.some((image) => image.width !== width || image.channels !== 1)) throw new Error("only grayscale images of one width stack");
  const height = images.reduce((sum, image) => sum + image.height, 0) + STACK_GAP * (images.length - 1);
  const pixels = new Uint8Array(width * height).fill(255);
  let y = 0;
  for (const image of images) {
    pixels.set(image.pixels, y * width);
    y += image.height + STACK_GAP;
  }
  return { width, height, channels: 1, pixels };
}

/** Each pixel repeated `factor` times in both directions. */
export function upscale(image: RasterImage, factor: number): RasterImage {
  const width = image.width * factor;
  const height = image.height * factor;
  const ch = image.channels;
  const pixels = new Uint8Array(width * height * ch);
  for (let y = 0; y < height; y++) {
    const from = Math.floor(y / factor) * image.width;
    for (let x = 0; x < width; x++) {
      const source = (from + Math.floor(x / factor)) * ch;
      for (let c = 0; c < ch; c++) pixels[(y * width + x) * ch + c] = image.pixels[source + c];
    }
  }
  return { width, height, channels: ch, pixels };
}
