/**
 * Rules for DICOM slide images: which instances may become a slide, and
 * where each frame (tile) of a tiled whole-slide image lies in the total
 * pixel matrix (PS3.3 C.8.12.4: TILED_FULL is row by row, then focal plane,
 * then optical path; TILED_SPARSE gives every frame's position).
 */
export const SLIDE_SOP_CLASSES: readonly string[] = [
  "1.2.840.10008.5.1.4.1.1.77.1.6", // VL Whole Slide Microscopy Image
  "1.2.840.10008.5.1.4.1.1.77.1.2", // VL Microscopic Image
  "1.2.840.10008.5.1.4.1.1.77.1.3", // VL Slide-Coordinates Microscopic Image
  "1.2.840.10008.5.1.4.1.1.7", // Secondary Capture (single H&E images)
  "1.2.840.10008.5.1.4.1.1.7.4", // Multi-frame True Color Secondary Capture
];

export type DicomSlideHeader = {
  sopClassUid: string;
  imageType: string[];
  rows: number;
  columns: number;
  frames: number;
  totalColumns: number | null;
  totalRows: number | null;
  dimensionOrganization: string | null;
  /** 1-based column and row of each frame's top-left pixel, for TILED_SPARSE. */
  framePositions: { column: number; row: number }[] | null;
  samplesPerPixel: number;
  bitsAllocated: number;
  /** Spacing between pixel centres in mm, row then column. */
  pixelSpacing: [number, number] | null;
};

export type SlideProblem = "notSlide" | "labelImage" | "pixelFormat" | "tiling";
export type TilePlacement = { frame: number; x: number; y: number };
export type SlideLayout = { width: number; height: number; tiles: TilePlacement[]; micronsPerPixel: number | null };

/** Label and overview images show the slide label, which can carry the patient's name: they are never kept. */
const IDENTIFYING_IMAGE_TYPES = ["LABEL", "OVERVIEW"];

/** What makes an image no slide to keep, from its SOP class and image type alone (the page asks before sending it). */
export function slideKindProblem(sopClassUid: string, imageType: readonly string[]): "notSlide" | "labelImage" | null {
  if (!SLIDE_SOP_CLASSES.includes(sopClassUid)) return "notSlide";
  if (imageType.some((value) => IDENTIFYING_IMAGE_TYPES.includes(value.toUpperCase()))) return "labelImage";
  return null;
}

export function slideLayout(header: DicomSlideHeader): { ok: true; layout: SlideLayout } | { ok: false; problem: SlideProblem } {
  const kind = slideKindProblem(header.sopClassUid, header.imageType);
  if (kind) return { ok: false, problem: kind };
  if (header.bitsAllocated !== 8 || (header.samplesPerPixel !== 1 && header.samplesPerPixel !== 3)) return { ok: false, problem: "pixelFormat" };
  const { rows, columns, frames } = header;
  if (!(rows > 0 && columns > 0 && frames > 0)) return { ok: false, problem: "tiling" };
  const width = header.totalColumns ?? columns;
  const height = header.totalRows ?? rows;
  if (!(width > 0 && height > 0)) return { ok: false, problem: "tiling" };

  let tiles: TilePlacement[];
  const organization = header.dimensionOrganization?.toUpperCase();
  const sparse = organization === "TILED_SPARSE" || (organization !== "TILED_FULL" && header.framePositions !== null);
  if (sparse) {
    if (!header.framePositions || header.framePositions.length !== frames) return { ok: false, problem: "tiling" };
    tiles = header.framePositions.map((p, frame) => ({ frame, x: p.column - 1, y: p.row - 1 }));
    if (tiles.some((t) => !Number.isInteger(t.x) || !Number.isInteger(t.y) || t.x < 0 || t.y < 0 || t.x >= width || t.y >= height))
      return { ok: false, problem: "tiling" };
  } else {
    const across = Math.ceil(width / columns);
    const down = Math.ceil(height / rows);
    // Only the first focal plane and optical path are shown.
    if (frames < across * down) return { ok: false, problem: "tiling" };
    tiles = Array.from({ length: across * down }, (_, frame) => ({ frame, x: (frame % across) * columns, y: Math.floor(frame / across) * rows }));
  }
  const spacing = header.pixelSpacing;
  const micronsPerPixel = spacing && spacing[1] > 0 ? spacing[1] * 1000 : null;
  return { ok: true, layout: { width, height, tiles, micronsPerPixel } };
}

export type PixelFormat = { photometric: string; planarConfiguration: number; rows: number; columns: number; samplesPerPixel: number };

const clampByte = (value: number) => (value < 0 ? 0 : value > 255 ? 255 : Math.round(value));

/** 8-bit stored pixels as interleaved display pixels: RGB for colour (from planar or YCbCr too), grey with MONOCHROME1 inverted. */
export function toDisplayPixels(stored: Uint8Array, format: PixelFormat): Uint8Array {
  const count = format.rows * format.columns;
  if (format.samplesPerPixel === 1) {
    const grey = stored.slice(0, count);
    if (format.photometric === "MONOCHROME1") for (let i = 0; i < count; i++) grey[i] = 255 - grey[i];
    return grey;
  }
  const rgb = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    const [a, b, c] =
      format.planarConfiguration === 1 ? [stored[i], stored[count + i], stored[2 * count + i]] : [stored[3 * i], stored[3 * i + 1], stored[3 * i + 2]];
    if (format.photometric.startsWith("YBR")) {
      rgb[3 * i] = clampByte(a + 1.402 * (c - 128));
      rgb[3 * i + 1] = clampByte(a - 0.344136 * (b - 128) - 0.714136 * (c - 128));
      rgb[3 * i + 2] = clampByte(a + 1.772 * (b - 128));
    } else {
      rgb[3 * i] = a;
      rgb[3 * i + 1] = b;
      rgb[3 * i + 2] = c;
    }
  }
  return rgb;
}
