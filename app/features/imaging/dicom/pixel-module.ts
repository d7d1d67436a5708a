/** The one reader of a DICOM instance's pixel description, per frame, shared by the viewer and the key images of the opinion PDF. */
import type { DataSet } from "dicom-parser";

/** What a frame needs beyond the image-wide attributes, resolved from its functional groups first (PS3.3 C.7.6.16). */
export type FramePixels = {
  rescaleSlope: number;
  rescaleIntercept: number;
  /** The first window the instance gives (it may give several), or null when it gives no usable one. */
  window: { center: number; width: number } | null;
  /** Distance between pixel centres in mm: between rows, then between columns. */
  pixelSpacing: [number, number] | null;
  /** Where the frame's stored pixels are in the dataset's byte array; `bitOffset` is the first pixel's bit in the first byte (single-bit pixels). */
  pixelData: { byteOffset: number; byteLength: number; bitOffset: number };
};

export type PixelModule = {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  /** Upper case, without padding. */
  photometricInterpretation: string;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  planarConfiguration: number;
  numberOfFrames: number;
  frames: FramePixels[];
};

const SUPPORTED_BITS_ALLOCATED = [1, 8, 16, 32];

const PER_FRAME_FUNCTIONAL_GROUPS = "x52009230";
const SHARED_FUNCTIONAL_GROUPS = "x52009229";
const PIXEL_MEASURES = "x00289110";
const FRAME_VOI_LUT = "x00289132";
const PIXEL_VALUE_TRANSFORMATION = "x00289145";

const PIXEL_SPACING = "x00280030";
const IMAGER_PIXEL_SPACING = "x00181164";
const WINDOW_CENTER = "x00281050";
const WINDOW_WIDTH = "x00281051";
const RESCALE_INTERCEPT = "x00281052";
const RESCALE_SLOPE = "x00281053";

/** The values of a decimal or integer string; a value that is not a number is null. */
function decimals(set: DataSet, tag: string): (number | null)[] {
  const text = set.string(tag);
  if (!text) return [];
  return text.split("\\").map((part) => {
    const value = part.trim() === "" ? NaN : Number(part);
    return Number.isFinite(value) ? value : null;
  });
}

const firstDecimal = (set: DataSet, tag: string): number | null => decimals(set, tag)[0] ?? null;

function spacingPair(set: DataSet, tag: string): [number, number] | null {
  const [row, column, ...rest] = decimals(set, tag);
  return row != null && column != null && rest.length === 0 ? [row, column] : null;
}

/**
 * The datasets that may hold an attribute of one frame, strongest first: the
 * frame's item of the functional group macro `macroTag`, the shared item,
 * then the instance itself.
 */
export function frameSources(set: DataSet, frame: number, macroTag: string): DataSet[] {
  const macroOf = (groups: DataSet | undefined) => groups?.elements[macroTag]?.items?.[0]?.dataSet;
  const perFrame = macroOf(set.elements[PER_FRAME_FUNCTIONAL_GROUPS]?.items?.[frame]?.dataSet);
  const shared = macroOf(set.elements[SHARED_FUNCTIONAL_GROUPS]?.items?.[0]?.dataSet);
  return [perFrame, shared, set].filter((source): source is DataSet => source !== undefined);
}

export function firstFound<T>(sources: DataSet[], read: (source: DataSet) => T | null): T | null {
  for (const source of sources) {
    const value = read(source);
    if (value !== null) return value;
  }
  return null;
}

function framePixels(set: DataSet, frame: number, frameBits: number, pixelDataOffset: number): FramePixels {
  const transformation = frameSources(set, frame, PIXEL_VALUE_TRANSFORMATION);
  const firstBit = frame * frameBits;
  const bitOffset = firstBit % 8;
  return {
    rescaleSlope: firstFound(transformation, (source) => firstDecimal(source, RESCALE_SLOPE)) ?? 1,
    rescaleIntercept: firstFound(transformation, (source) => firstDecimal(source, RESCALE_INTERCEPT)) ?? 0,
    window: firstFound(frameSources(set, frame, FRAME_VOI_LUT), (source) => {
      const center = firstDecimal(source, WINDOW_CENTER);
      const width = firstDecimal(source, WINDOW_WIDTH);
      return center !== null && width !== null && width > 0 ? { center, width } : null;
    }),
    pixelSpacing:
      firstFound(frameSources(set, frame, PIXEL_MEASURES), (source) => spacingPair(source, PIXEL_SPACING)) ?? spacingPair(set, IMAGER_PIXEL_SPACING),
    pixelData: { byteOffset: pixelDataOffset + Math.floor(firstBit / 8), byteLength: Math.ceil((bitOffset + frameBits) / 8), bitOffset },
  };
}

/**
 * The pixel description of an instance with native (not encapsulated) pixel data, every frame included; throws when its
 * pixels cannot be located. For an instance whose encapsulated frames were decoded into one buffer of native pixels,
 * `decodedLength` is that buffer's length, and the frames' positions are in it.
 */
export function readPixelModule(set: DataSet, decodedLength?: number): PixelModule {
  const element = set.elements.x7fe00010;
  if (!element || (element.encapsulatedPixelData && decodedLength === undefined)) throw new Error("no native pixel data");
  const pixelElement = decodedLength === undefined ? element : { length: decodedLength, dataOffset: 0 };
  const rows = set.uint16("x00280010") ?? 0;
  const columns = set.uint16("x00280011") ?? 0;
  const bitsAllocated = set.uint16("x00280100") ?? 16;
  const bitsStored = set.uint16("x00280101") ?? bitsAllocated;
  if (rows < 1 || columns < 1) throw new Error("no image size");
  if (!SUPPORTED_BITS_ALLOCATED.includes(bitsAllocated) || bitsStored < 1 || bitsStored > bitsAllocated)
    throw new Error(`unsupported bits allocated ${bitsAllocated}`);
  const samplesPerPixel = set.uint16("x00280002") ?? 1;
  const numberOfFrames = Math.max(1, Math.floor(firstDecimal(set, "x00280008") ?? 1));
  const frameBits = rows * columns * samplesPerPixel * bitsAllocated;
  if (Math.ceil((numberOfFrames * frameBits) / 8) > pixelElement.length) throw new Error("pixel data shorter than the frames");
  return {
    rows,
    columns,
    samplesPerPixel,
    photometricInterpretation: (set.string("x00280004") ?? "MONOCHROME2").trim().toUpperCase(),
    bitsAllocated,
    bitsStored,
    pixelRepresentation: set.uint16("x00280103") ?? 0,
    planarConfiguration: set.uint16("x00280006") ?? 0,
    numberOfFrames,
    frames: Array.from({ length: numberOfFrames }, (_, frame) => framePixels(set, frame, frameBits, pixelElement.dataOffset)),
  };
}

export type StoredValues = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

/**
 * A one-sample frame's stored values (native little-endian pixel data), in a
 * copy the caller owns: single bits unpacked, each value masked to Bits Stored
 * and sign-extended when Pixel Representation says signed.
 */
export function frameStoredValues(p: PixelModule, frame: FramePixels, byteArray: Uint8Array): StoredValues {
  const count = p.rows * p.columns;
  const { byteOffset, byteLength, bitOffset } = frame.pixelData;
  if (p.bitsAllocated === 1) {
    const bits = new Uint8Array(count);
    for (let i = 0; i < count; i++) bits[i] = (byteArray[byteOffset + ((bitOffset + i) >> 3)] >> ((bitOffset + i) & 7)) & 1;
    return bits;
  }
  const buffer = new Uint8Array(byteArray.subarray(byteOffset, byteOffset + byteLength)).buffer;
  const signed = p.pixelRepresentation === 1;
  const [Unsigned, Signed] = p.bitsAllocated === 8 ? [Uint8Array, Int8Array] : p.bitsAllocated === 16 ? [Uint16Array, Int16Array] : [Uint32Array, Int32Array];
  if (p.bitsStored === p.bitsAllocated) return signed ? new Signed(buffer) : new Unsigned(buffer);
  const allocated = new Unsigned(buffer);
  const values = signed ? new Signed(count) : allocated;
  const range = 2 ** p.bitsStored;
  for (let i = 0; i < count; i++) {
    const value = allocated[i] % range;
    values[i] = signed && value >= range / 2 ? value - range : value;
  }
  return values;
}
