/**
 * Turns one Explicit VR Little Endian DICOM instance (what WADO-RS gives by
 * default) into cornerstone images, one per frame: rescale, window, spacing,
 * MONOCHROME1, and colour as RGBA. Browser code; the server did the decoding.
 */
import dicomParser from "dicom-parser";

export type ParsedInstance = {
  rows: number;
  columns: number;
  frames: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  pixelRepresentation: number;
  photometric: string;
  planarConfiguration: number;
  slope: number;
  intercept: number;
  windowCenter: number | null;
  windowWidth: number | null;
  pixelSpacing: [number, number] | null;
  instanceNumber: number | null;
  sliceLocation: number | null;
  imagePosition: number[] | null;
  seriesNumber: number | null;
  pixels: Uint8Array;
};

const numbers = (text: string | undefined) => (text ? text.split("\\").map(Number).filter((n) => Number.isFinite(n)) : []);

export function parseInstance(bytes: Uint8Array): ParsedInstance {
  const set = dicomParser.parseDicom(bytes);
  const pixelElement = set.elements.x7fe00010;
  if (!pixelElement || pixelElement.encapsulatedPixelData) throw new Error("no native pixel data");
  const spacing = numbers(set.string("x00280030") ?? set.string("x00181164"));
  const first = (tag: string) => numbers(set.string(tag))[0] ?? null;
  return {
    rows: set.uint16("x00280010") ?? 0,
    columns: set.uint16("x00280011") ?? 0,
    frames: Math.max(1, first("x00280008") ?? 1),
    samplesPerPixel: set.uint16("x00280002") ?? 1,
    bitsAllocated: set.uint16("x00280100") ?? 16,
    pixelRepresentation: set.uint16("x00280103") ?? 0,
    photometric: (set.string("x00280004") ?? "MONOCHROME2").trim(),
    planarConfiguration: set.uint16("x00280006") ?? 0,
    slope: first("x00281053") ?? 1,
    intercept: first("x00281052") ?? 0,
    windowCenter: first("x00281050"),
    windowWidth: first("x00281051"),
    pixelSpacing: spacing.length === 2 ? [spacing[0], spacing[1]] : null,
    instanceNumber: first("x00200013"),
    sliceLocation: first("x00201041"),
    imagePosition: numbers(set.string("x00200032")).length === 3 ? numbers(set.string("x00200032")) : null,
    seriesNumber: first("x00200011"),
    pixels: new Uint8Array(bytes.buffer, bytes.byteOffset + pixelElement.dataOffset, pixelElement.length),
  };
}

function framePixels(p: ParsedInstance, frame: number): Int16Array | Uint16Array | Uint8Array | Uint8ClampedArray {
  const perFrame = p.rows * p.columns * p.samplesPerPixel;
  const bytesPerSample = p.bitsAllocated / 8;
  const start = p.pixels.byteOffset + frame * perFrame * bytesPerSample;
  const buffer = p.pixels.buffer.slice(start, start + perFrame * bytesPerSample);
  if (p.samplesPerPixel === 3) return rgba(new Uint8Array(buffer), p);
  if (p.bitsAllocated === 16) return p.pixelRepresentation === 1 ? new Int16Array(buffer) : new Uint16Array(buffer);
  return new Uint8Array(buffer);
}

/** Colour frames as RGBA, from interleaved or planar RGB or YBR_FULL. */
function rgba(samples: Uint8Array, p: ParsedInstance): Uint8ClampedArray {
  const count = p.rows * p.columns;
  const out = new Uint8ClampedArray(count * 4);
  const ybr = p.photometric.startsWith("YBR_FULL");
  for (let i = 0; i < count; i++) {
    const [a, b, c] = p.planarConfiguration === 1 ? [samples[i], samples[i + count], samples[i + 2 * count]] : [samples[3 * i], samples[3 * i + 1], samples[3 * i + 2]];
    if (ybr) {
      out[4 * i] = a + 1.402 * (c - 128);
      out[4 * i + 1] = a - 0.344136 * (b - 128) - 0.714136 * (c - 128);
      out[4 * i + 2] = a + 1.772 * (b - 128);
    } else {
      out[4 * i] = a;
      out[4 * i + 1] = b;
      out[4 * i + 2] = c;
    }
    out[4 * i + 3] = 255;
  }
  return out;
}

export function frameImage(imageId: string, p: ParsedInstance, frame: number) {
  const pixels = framePixels(p, frame);
  const color = p.samplesPerPixel === 3;
  let min = Infinity;
  let max = -Infinity;
  if (!color) {
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  } else {
    min = 0;
    max = 255;
  }
  const low = min * p.slope + p.intercept;
  const high = max * p.slope + p.intercept;
  return {
    imageId,
    minPixelValue: min,
    maxPixelValue: max,
    slope: p.slope,
    intercept: p.intercept,
    windowCenter: p.windowCenter ?? (low + high) / 2,
    windowWidth: p.windowWidth ?? Math.max(1, high - low),
    getPixelData: () => pixels,
    rows: p.rows,
    columns: p.columns,
    height: p.rows,
    width: p.columns,
    color,
    rgba: color,
    columnPixelSpacing: p.pixelSpacing?.[1],
    rowPixelSpacing: p.pixelSpacing?.[0],
    invert: p.photometric === "MONOCHROME1",
    sizeInBytes: pixels.byteLength,
  };
}

/** The first part of a multipart/related body. */
export function firstPart(body: Uint8Array, contentType: string): Uint8Array {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return body;
  const text = new TextDecoder("latin1");
  const head = text.decode(body.subarray(0, Math.min(body.length, 2048)));
  const start = head.indexOf("\r\n\r\n") + 4;
  const closing = `\r\n--${boundary}`;
  const tail = text.decode(body.subarray(Math.max(0, body.length - closing.length - 256)));
  const end = body.length - (tail.length - tail.lastIndexOf(closing));
  return body.subarray(start, end);
}
