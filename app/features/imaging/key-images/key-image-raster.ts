/**
 * A key image's pixels as the viewer showed them, without I/O: one frame of a
 * native-pixel DICOM instance through the modality LUT, the VOI window and any
 * inversion, as 8-bit grayscale or RGB; and a shrink by area averaging.
 */
import dicomParser, { type DataSet } from "dicom-parser";
import { toDisplayPixels } from "~/features/imaging/slides/dicom-slide";

export type RasterImage = { width: number; height: number; channels: 1 | 3; pixels: Uint8Array };

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
  if (p.photometric !== "RGB" && p.photometric !== "YBR_FULL") throw new Error(`unsupported photometric interpretation ${p.photometric}`);
  const count = p.rows * p.columns;
  const start = frame * count * 3;
  if (start + count * 3 > pixelData.length) throw new Error("pixel data shorter than the frame");
  const pixels = toDisplayPixels(pixelData.subarray(start, start + count * 3), p);
  if (invert) for (let i = 0; i < pixels.length; i++) pixels[i] = 255 - pixels[i];
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
