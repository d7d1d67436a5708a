/**
 * Blacks out rectangles in the pixels of an Explicit VR Little Endian instance
 * with native pixel data, without I/O: each rectangle of a frame is set to the
 * frame's darkest value (its minimum for MONOCHROME2, maximum for MONOCHROME1,
 * black for RGB and YBR_FULL), and Burned In Annotation (0028,0301) becomes NO.
 * Everything else is written back as it was.
 */
import dicomParser from "dicom-parser";
import { encodeString, find, parsePart10, tagOf, TS, writePart10, type Element } from "./part10";
import { frameStoredValues, readPixelModule } from "./pixel-module";
import { dictionaryVr } from "./deid-profile";

export type FrameRect = { frame: number; x: number; y: number; width: number; height: number };

export class RedactionError extends Error {}

const PIXEL_DATA = tagOf(0x7fe0, 0x0010);
const BURNED_IN_ANNOTATION = tagOf(0x0028, 0x0301);

export function redactPixels(input: Uint8Array, rects: FrameRect[]): Uint8Array {
  const file = parsePart10(input, dictionaryVr);
  if (file.transferSyntax !== TS.explicitLE) throw new RedactionError(`not Explicit VR Little Endian: ${file.transferSyntax}`);
  const pixelElement = find(file.dataset, PIXEL_DATA);
  if (!pixelElement?.value) throw new RedactionError("no native pixel data");
  const set = dicomParser.parseDicom(input);
  const p = readPixelModule(set);
  if (![8, 16, 32].includes(p.bitsAllocated)) throw new RedactionError(`unsupported bits allocated ${p.bitsAllocated}`);
  const pixels = new Uint8Array(pixelElement.value);
  const pixelStart = set.elements.x7fe00010.dataOffset;
  const bytesPerSample = p.bitsAllocated / 8;
  const planeSamples = p.rows * p.columns;

  for (const [frameIndex, frameRects] of groupByFrame(rects)) {
    const frame = p.frames[frameIndex];
    if (!frame) throw new RedactionError(`frame ${frameIndex} out of range`);
    const frameStart = frame.pixelData.byteOffset - pixelStart;
    const black = blackOf(p, frame, set.byteArray);
    for (const rect of frameRects) {
      const x0 = clamp(rect.x, p.columns);
      const x1 = clamp(rect.x + rect.width, p.columns);
      const y0 = clamp(rect.y, p.rows);
      const y1 = clamp(rect.y + rect.height, p.rows);
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++)
          for (let sample = 0; sample < p.samplesPerPixel; sample++) {
            const index = p.planarConfiguration === 1 ? sample * planeSamples + y * p.columns + x : (y * p.columns + x) * p.samplesPerPixel + sample;
            writeSample(pixels, frameStart + index * bytesPerSample, bytesPerSample, black[sample]);
          }
    }
  }

  const dataset = file.dataset.map((e): Element => (e.tag === PIXEL_DATA ? { ...e, value: pixels } : e));
  const annotation: Element = { tag: BURNED_IN_ANNOTATION, vr: "CS", value: encodeString("NO", "CS") };
  const withoutAnnotation = dataset.filter((e) => e.tag !== BURNED_IN_ANNOTATION);
  const at = withoutAnnotation.findIndex((e) => e.tag > BURNED_IN_ANNOTATION);
  withoutAnnotation.splice(at === -1 ? withoutAnnotation.length : at, 0, annotation);
  return writePart10({ ...file, dataset: withoutAnnotation });
}

const clamp = (value: number, size: number) => Math.max(0, Math.min(size, Math.round(value)));

function groupByFrame(rects: FrameRect[]): Map<number, FrameRect[]> {
  const byFrame = new Map<number, FrameRect[]>();
  for (const rect of rects) byFrame.set(rect.frame, [...(byFrame.get(rect.frame) ?? []), rect]);
  return byFrame;
}

type Module = ReturnType<typeof readPixelModule>;

/** The stored sample values that show black in this frame, one per sample. */
function blackOf(p: Module, frame: Module["frames"][number], byteArray: Uint8Array): number[] {
  if (p.samplesPerPixel === 3) {
    if (p.photometricInterpretation === "RGB") return [0, 0, 0];
    if (p.photometricInterpretation === "YBR_FULL") return [0, 128, 128];
    throw new RedactionError(`unsupported photometric interpretation ${p.photometricInterpretation}`);
  }
  if (p.samplesPerPixel !== 1 || !p.photometricInterpretation.startsWith("MONOCHROME"))
    throw new RedactionError(`unsupported photometric interpretation ${p.photometricInterpretation}`);
  const stored = frameStoredValues(p, frame, byteArray);
  let min = Infinity;
  let max = -Infinity;
  for (const value of stored) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [p.photometricInterpretation === "MONOCHROME1" ? max : min];
}

/** Writes a sample value little-endian in `bytesPerSample` bytes (two's complement when negative; bits above Bits Stored stay as they are set by the value). */
function writeSample(pixels: Uint8Array, offset: number, bytesPerSample: number, value: number) {
  let v = value < 0 ? 2 ** (8 * bytesPerSample) + value : value;
  for (let i = 0; i < bytesPerSample; i++) {
    pixels[offset + i] = v & 0xff;
    v = Math.floor(v / 256);
  }
}
