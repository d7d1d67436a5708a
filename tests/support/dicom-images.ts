/** In-memory DICOM images for pixel tests, and a viewer image drawn the way the key-image PDF must draw it. */
import dicomParser from "dicom-parser";
import { encodeString, tagOf, TS, writePart10, type Dataset, type Element } from "~/features/imaging/dicom/part10";
import type { frameImage } from "~/features/imaging/viewer/dicom-image";

const tagFromHex = (hex: string) => parseInt(hex, 16) >>> 0;

export const us = (tag: string, ...values: number[]): Element => {
  const value = new Uint8Array(values.length * 2);
  values.forEach((v, i) => new DataView(value.buffer).setUint16(2 * i, v, true));
  return { tag: tagFromHex(tag), vr: "US", value };
};
export const text = (tag: string, vr: string, value: string): Element => ({ tag: tagFromHex(tag), vr, value: encodeString(value, vr) });
export const ds = (tag: string, value: string): Element => text(tag, "DS", value);
export const sequence = (tag: string, ...items: Dataset[]): Element => ({ tag: tagFromHex(tag), vr: "SQ", value: null, items });
export const pixelData = (bytes: Uint8Array, vr = "OW"): Element => ({
  tag: tagOf(0x7fe0, 0x0010),
  vr,
  value: bytes.length % 2 ? Uint8Array.from([...bytes, 0]) : bytes,
});

export const littleEndian16 = (...values: number[]): Uint8Array => {
  const bytes = new Uint8Array(values.length * 2);
  values.forEach((v, i) => new DataView(bytes.buffer).setUint16(2 * i, v & 0xffff, true));
  return bytes;
};

/** A grayscale image's Image Pixel module; `elements` replace or add to it. */
export function grayscaleImage(
  options: { rows: number; columns: number; frames?: number; bitsAllocated?: number; bitsStored?: number; signed?: boolean },
  ...elements: Element[]
): Dataset {
  const bitsAllocated = options.bitsAllocated ?? 16;
  const base = [
    us("00280002", 1),
    text("00280004", "CS", "MONOCHROME2"),
    us("00280010", options.rows),
    us("00280011", options.columns),
    us("00280100", bitsAllocated),
    us("00280101", options.bitsStored ?? bitsAllocated),
    us("00280102", (options.bitsStored ?? bitsAllocated) - 1),
    us("00280103", options.signed ? 1 : 0),
    ...(options.frames ? [text("00280008", "IS", String(options.frames))] : []),
  ];
  return withElements(base, elements);
}

export function withElements(dataset: Dataset, elements: Element[]): Dataset {
  const replaced = new Set(elements.map((e) => e.tag));
  return [...dataset.filter((e) => !replaced.has(e.tag)), ...elements];
}

/** The dataset as an Explicit VR Little Endian Part 10 file, what WADO-RS serves and the PDF's rendition holds. */
export function part10(dataset: Dataset): Uint8Array {
  return writePart10({ meta: [text("00020010", "UI", TS.explicitLE)], dataset, transferSyntax: TS.explicitLE });
}

export const parsed = (dataset: Dataset) => dicomParser.parseDicom(part10(dataset));

/** PS3.3 C.11.2.1.2.1 (linear VOI) to 0..255. */
function linearVoi(x: number, center: number, width: number): number {
  if (width <= 1) return x <= center - 0.5 ? 0 : 255;
  const low = center - 0.5 - (width - 1) / 2;
  const high = center - 0.5 + (width - 1) / 2;
  if (x <= low) return 0;
  if (x > high) return 255;
  return Math.round(((x - (center - 0.5)) / (width - 1) + 0.5) * 255);
}

/**
 * The 8-bit pixels a viewer image stands for: its stored values through its
 * rescale, its window (PS3.3's linear function, as the PDF applies it) and its
 * invert; colour as RGB. Whatever the viewer reads from the file is in the
 * image, so the PDF must draw exactly this.
 */
export function drawViewerImage(image: ReturnType<typeof frameImage>): Uint8Array {
  const values = image.getPixelData();
  const count = image.rows * image.columns;
  if (image.color) {
    const rgb = new Uint8Array(count * 3);
    for (let i = 0; i < count; i++) rgb.set([values[4 * i], values[4 * i + 1], values[4 * i + 2]], 3 * i);
    return rgb;
  }
  const grey = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const level = linearVoi(values[i] * image.slope + image.intercept, image.windowCenter, image.windowWidth);
    grey[i] = image.invert ? 255 - level : level;
  }
  return grey;
}
