/**
 * Turns one DICOM instance as WADO-RS gives it to the viewer (JPEG-LS lossless, decoded here; 8-bit JPEG baseline as
 * stored, decoded by the browser's own JPEG decoder; or Explicit VR Little Endian) into cornerstone images, one per
 * frame: rescale, window, spacing and MONOCHROME1 as the shared pixel-module reader gives them for that frame, and
 * colour as RGBA. Browser code.
 */
import dicomParser, { type DataSet } from "dicom-parser";
import { encapsulatedFrames, jpegHasExif } from "~/features/imaging/dicom/codestream";
import { decodeJpegLs } from "~/features/imaging/dicom/jpeg-ls";
import { TS } from "~/features/imaging/dicom/part10";
import { frameStoredValues, readPixelModule, type FramePixels, type PixelModule, type StoredValues } from "~/features/imaging/dicom/pixel-module";
import { readFramePlane, type ImagePlane } from "./image-plane";
import { readSegmentation, type Segmentation } from "./segmentation";

export type ParsedInstance = {
  pixelModule: PixelModule;
  /** The bytes the frames' pixel data positions refer to. */
  bytes: Uint8Array;
  instanceNumber: number | null;
  sliceLocation: number | null;
  imagePosition: number[] | null;
  seriesNumber: number | null;
  /** Each frame's place in the patient, null where the instance does not give it. */
  planes: (ImagePlane | null)[];
  /** What a DICOM SEG holds; null for any other instance. */
  segmentation: Segmentation | null;
  /** Near-lossless JPEG-LS (a first pass over a slow link): every value within a few of the stored one. */
  firstPass: boolean;
};

const numbers = (text: string | undefined) =>
  text
    ? text
        .split("\\")
        .map(Number)
        .filter((n) => Number.isFinite(n))
    : [];

/** The codestream of each frame of an instance's encapsulated pixel data. */
function frameCodestreams(set: DataSet): Uint8Array[] {
  const element = set.elements.x7fe00010;
  const frameCount = Math.max(1, Math.floor(Number(set.string("x00280008") ?? 1)) || 1);
  const fragments = (element?.fragments ?? []).map((f) => set.byteArray.subarray(f.position, f.position + f.length));
  const frames = encapsulatedFrames(fragments, frameCount);
  if (!frames) throw new Error("fragments do not make the frames");
  return frames;
}

/** Every frame of a JPEG-LS lossless instance decoded into one buffer of native little-endian pixels, frame after frame. */
function decodedJpegLs(set: DataSet): Uint8Array {
  const frames = frameCodestreams(set);
  // A codestream of 8 bits or fewer gives bytes; 16 bits allocated hold each in two.
  const wide = set.uint16("x00280100") === 16;
  const decoded = frames.map((frame) => {
    const { samples } = decodeJpegLs(frame);
    return wide && samples instanceof Uint8Array ? Uint16Array.from(samples) : samples;
  });
  const out = new Uint8Array(decoded.reduce((sum, d) => sum + d.byteLength, 0));
  let at = 0;
  for (const samples of decoded) {
    out.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), at);
    at += samples.byteLength;
  }
  return out;
}

/** Thrown when the browser does not decode a JPEG baseline instance (`parseInstanceInBrowser`): the viewer asks for it again without JPEG baseline. */
export const NEEDS_SERVER_DECODING = "JPEG baseline that only the server decodes";

/**
 * Photometric interpretations whose JPEG baseline codestream a browser decodes to what DICOM means: one component, or
 * YCbCr converted to RGB. RGB coded without a colour transform would be read as YCbCr by a browser (no APP14 marker
 * says otherwise), so the server decodes those.
 */
const BROWSER_JPEG_PHOTOMETRICS: Record<string, string> = { MONOCHROME1: "MONOCHROME1", MONOCHROME2: "MONOCHROME2", YBR_FULL: "RGB", YBR_FULL_422: "RGB" };

const FRAMES_DECODED_AT_ONCE = 16;

let canvasChecked: boolean | null = null;
/** Whether this browser reads a canvas back as drawn: some add noise to readings against fingerprinting, which would alter pixels. */
function canvasReadsExactly(): boolean {
  if (canvasChecked !== null) return canvasChecked;
  const pattern = new ImageData(
    Uint8ClampedArray.from({ length: 64 }, (_, i) => (i % 4 === 3 ? 255 : (i * 37) % 256)),
    4,
    4,
  );
  const context = new OffscreenCanvas(4, 4).getContext("2d", { willReadFrequently: true });
  context?.putImageData(pattern, 0, 0);
  const read = context?.getImageData(0, 0, 4, 4).data;
  canvasChecked = Boolean(read?.every((value, i) => value === pattern.data[i]));
  return canvasChecked;
}

/**
 * Every frame of an 8-bit unsigned JPEG baseline instance decoded by the browser (`createImageBitmap`, up to
 * FRAMES_DECODED_AT_ONCE side by side, so a long cine never holds all its frames twice) into one buffer of native
 * interleaved pixels, and what they now are. Throws for anything the browser would not decode as DICOM means it: other
 * photometric interpretations, signed values, an Exif segment (its orientation would turn the image), a frame that
 * does not decode or is of another size, a canvas that is not read back exactly.
 */
async function decodedJpegBaseline(set: DataSet): Promise<{ bytes: Uint8Array; photometricInterpretation: string }> {
  const photometric = (set.string("x00280004") ?? "").trim().toUpperCase();
  const samplesPerPixel = set.uint16("x00280002") ?? 1;
  const rows = set.uint16("x00280010") ?? 0;
  const columns = set.uint16("x00280011") ?? 0;
  const decodedAs = BROWSER_JPEG_PHOTOMETRICS[photometric];
  const unsigned8 = set.uint16("x00280100") === 8 && (set.uint16("x00280103") ?? 0) === 0;
  if (!decodedAs || !unsigned8 || samplesPerPixel !== (decodedAs === "RGB" ? 3 : 1) || rows < 1 || columns < 1 || !canvasReadsExactly())
    throw new Error("not for the browser's decoder");
  const frames = frameCodestreams(set);
  if (frames.some(jpegHasExif)) throw new Error("not for the browser's decoder");
  const canvas = new OffscreenCanvas(columns, rows);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) throw new Error("no canvas to decode on");
  const frameBytes = rows * columns * samplesPerPixel;
  const out = new Uint8Array(frameBytes * frames.length);
  for (let start = 0; start < frames.length; start += FRAMES_DECODED_AT_ONCE) {
    const decoded = await Promise.allSettled(
      frames
        .slice(start, start + FRAMES_DECODED_AT_ONCE)
        .map((frame) =>
          createImageBitmap(new Blob([frame as Uint8Array<ArrayBuffer>], { type: "image/jpeg" }), { colorSpaceConversion: "none", premultiplyAlpha: "none" }),
        ),
    );
    const bitmaps = decoded.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    try {
      if (bitmaps.length < decoded.length) throw new Error("a JPEG frame did not decode");
      for (const [index, bitmap] of bitmaps.entries()) {
        if (bitmap.width !== columns || bitmap.height !== rows) throw new Error("a JPEG frame is not the image's size");
        context.drawImage(bitmap, 0, 0);
        const rgba = context.getImageData(0, 0, columns, rows).data;
        const at = (start + index) * frameBytes;
        for (let pixel = 0; pixel < rows * columns; pixel++)
          for (let sample = 0; sample < samplesPerPixel; sample++) out[at + pixel * samplesPerPixel + sample] = rgba[pixel * 4 + sample];
      }
    } finally {
      for (const bitmap of bitmaps) bitmap.close();
    }
  }
  return { bytes: out, photometricInterpretation: decodedAs };
}

/** `parseInstance`, also for JPEG baseline, which the browser decodes (asynchronously); NEEDS_SERVER_DECODING when it cannot. */
export async function parseInstanceInBrowser(bytes: Uint8Array): Promise<ParsedInstance> {
  const set = dicomParser.parseDicom(bytes);
  if (set.string("x00020010")?.trim() !== TS.jpegBaseline) return instanceOf(set);
  const decoded = await decodedJpegBaseline(set).catch(() => {
    throw new Error(NEEDS_SERVER_DECODING);
  });
  return instanceOf(set, decoded.bytes, { photometricInterpretation: decoded.photometricInterpretation, planarConfiguration: 0 });
}

export function parseInstance(bytes: Uint8Array): ParsedInstance {
  return instanceOf(dicomParser.parseDicom(bytes));
}

/** The instance parsed from its data set, with pixels decoded here when JPEG-LS, or as given (`decoded`, and what they now are). */
function instanceOf(set: DataSet, given?: Uint8Array, decodedAs?: Pick<PixelModule, "photometricInterpretation" | "planarConfiguration">): ParsedInstance {
  const first = (tag: string) => numbers(set.string(tag))[0] ?? null;
  const position = numbers(set.string("x00200032"));
  const syntax = set.string("x00020010")?.trim();
  const decoded = given ?? (syntax === TS.jpegLsLossless || syntax === TS.jpegLsNearLossless ? decodedJpegLs(set) : null);
  const pixelModule = { ...readPixelModule(set, decoded?.length), ...decodedAs };
  return {
    pixelModule,
    bytes: decoded ?? set.byteArray,
    instanceNumber: first("x00200013"),
    sliceLocation: first("x00201041"),
    imagePosition: position.length === 3 ? position : null,
    seriesNumber: first("x00200011"),
    planes: pixelModule.frames.map((frame, index) => readFramePlane(set, index, { ...pixelModule, spacing: frame.pixelSpacing })),
    segmentation: readSegmentation(set, pixelModule),
    firstPass: syntax === TS.jpegLsNearLossless,
  };
}

function frameOf(p: ParsedInstance, frame: number): FramePixels {
  const found = Number.isInteger(frame) ? p.pixelModule.frames[frame] : undefined;
  if (!found) throw new Error(`frame ${frame} out of range`);
  return found;
}

function framePixels(p: ParsedInstance, frame: FramePixels): StoredValues | Uint8ClampedArray {
  if (p.pixelModule.samplesPerPixel !== 3) return frameStoredValues(p.pixelModule, frame, p.bytes);
  const { byteOffset, byteLength } = frame.pixelData;
  return rgba(p.bytes.subarray(byteOffset, byteOffset + byteLength), p.pixelModule);
}

/** Colour frames as RGBA, from interleaved or planar RGB or YBR_FULL. */
function rgba(samples: Uint8Array, p: PixelModule): Uint8ClampedArray {
  const count = p.rows * p.columns;
  const out = new Uint8ClampedArray(count * 4);
  const ybr = p.photometricInterpretation.startsWith("YBR_FULL");
  for (let i = 0; i < count; i++) {
    const [a, b, c] =
      p.planarConfiguration === 1 ? [samples[i], samples[i + count], samples[i + 2 * count]] : [samples[3 * i], samples[3 * i + 1], samples[3 * i + 2]];
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

export function frameImage(imageId: string, p: ParsedInstance, frameIndex: number) {
  const frame = frameOf(p, frameIndex);
  const { rows, columns, samplesPerPixel, photometricInterpretation } = p.pixelModule;
  const { rescaleSlope: slope, rescaleIntercept: intercept } = frame;
  const pixels = framePixels(p, frame);
  const color = samplesPerPixel === 3;
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
  const low = min * slope + intercept;
  const high = max * slope + intercept;
  return {
    imageId,
    minPixelValue: min,
    maxPixelValue: max,
    slope,
    intercept,
    windowCenter: frame.window?.center ?? (low + high) / 2,
    windowWidth: frame.window?.width ?? Math.max(1, high - low),
    getPixelData: () => pixels,
    rows,
    columns,
    height: rows,
    width: columns,
    color,
    rgba: color,
    columnPixelSpacing: frame.pixelSpacing?.[1],
    rowPixelSpacing: frame.pixelSpacing?.[0],
    invert: photometricInterpretation === "MONOCHROME1",
    sizeInBytes: pixels.byteLength,
    plane: p.planes[frameIndex] ?? null,
    firstPass: p.firstPass,
  };
}

/** A frame's pixel spacing (row, column) in mm, or null when the instance gives none or has no such frame. */
export function framePixelSpacing(p: ParsedInstance, frameIndex: number): [number, number] | null {
  return p.pixelModule.frames[frameIndex]?.pixelSpacing ?? null;
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
