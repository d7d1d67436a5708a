/**
 * DICOM slide images (whole-slide 'SM' tiled full or sparse, microscopy and
 * secondary capture H&E images) become one plain 8-bit PPM/PGM image on disk
 * that libvips turns into the Deep Zoom pyramid like any other slide. The file
 * is read piece by piece: the header up to the pixel data, then one frame
 * (tile) at a time, decoded in the DICOM workers and written into place, so a
 * slide is never held in memory whole. Only pixels are kept.
 */
import { open, type FileHandle } from "node:fs/promises";
import dicomParser from "dicom-parser";
import { openByteSource } from "~/platform/storage.server";
import { ITEM_WALK_WINDOW, MAX_PIXEL_ITEMS } from "~/features/imaging/slides/dicom-slide-deid";
import { readAhead, type ByteSource } from "~/features/imaging/slides/slide-bytes";
import { slideLayout, toDisplayPixels, type DicomSlideHeader, type SlideLayout, type SlideProblem } from "~/features/imaging/slides/dicom-slide";
import { encodeString, tagOf, TS, writePart10, type Element } from "~/features/imaging/dicom/part10";
import { startsCodestream } from "~/features/imaging/dicom/codestream";
import { transcodeInWorker } from "~/features/imaging/dicom-workers.server";

export class DicomSlideError extends Error {
  constructor(readonly problem: SlideProblem | "unreadable") {
    super(problem);
  }
}

const PIXEL_DATA = "x7fe00010";
const MAX_HEADER_BYTES = 256 * 1024 * 1024;
const DECODES_IN_FLIGHT = 4;

type Header = {
  header: DicomSlideHeader;
  transferSyntax: string;
  photometric: string;
  planarConfiguration: number;
  pixelDataOffset: number;
  encapsulated: boolean;
  bitsStored: number;
  pixelRepresentation: number;
};
type Fragment = { offset: number; length: number };

const numbers = (text: string | undefined) =>
  text
    ? text
        .split("\\")
        .map(Number)
        .filter((n) => Number.isFinite(n))
    : [];

/** `length` bytes at `position`; a read past the end of the file is an unreadable slide. */
async function readAt(source: ByteSource, position: number, length: number): Promise<Uint8Array> {
  if (position < 0 || position + length > source.size) throw new DicomSlideError("unreadable");
  try {
    return await source.read(position, length);
  } catch (error) {
    if (error instanceof RangeError) throw new DicomSlideError("unreadable");
    throw error;
  }
}

function spacingOf(set: dicomParser.DataSet): [number, number] | null {
  const shared = set.elements.x52009229?.items?.[0]?.dataSet?.elements.x00289110?.items?.[0]?.dataSet;
  const values = numbers(shared?.string("x00280030") ?? set.string("x00280030"));
  return values.length === 2 ? [values[0], values[1]] : null;
}

function framePositionsOf(set: dicomParser.DataSet): DicomSlideHeader["framePositions"] {
  const items = set.elements.x52009230?.items;
  if (!items) return null;
  const positions = items.map((item) => item.dataSet?.elements.x0048021a?.items?.[0]?.dataSet);
  if (positions.some((p) => !p || p.elements.x0048021e === undefined || p.elements.x0048021f === undefined)) return null;
  return positions.map((p) => ({ column: p!.int32("x0048021e") ?? 0, row: p!.int32("x0048021f") ?? 0 }));
}

/** Parses everything before the pixel data, reading more of the file until it is reached. */
async function readHeader(source: ByteSource): Promise<Header> {
  const size = source.size;
  for (let length = Math.min(size, 1024 * 1024); ; length = Math.min(size, length * 4)) {
    const bytes = await readAt(source, 0, length);
    let set: dicomParser.DataSet | null = null;
    try {
      set = dicomParser.parseDicom(bytes, { untilTag: PIXEL_DATA });
    } catch {
      if (length >= size || length >= MAX_HEADER_BYTES) throw new DicomSlideError("unreadable");
      continue;
    }
    const pixelData = set.elements[PIXEL_DATA];
    if (!pixelData && length < size && length < MAX_HEADER_BYTES) continue;
    if (!pixelData) throw new DicomSlideError("notSlide");
    const transferSyntax = (set.string("x00020010") ?? "").trim();
    if (transferSyntax === TS.deflatedLE) throw new DicomSlideError("pixelFormat");
    const first = (tag: string) => numbers(set.string(tag))[0];
    const header: DicomSlideHeader = {
      sopClassUid: (set.string("x00080016") ?? "").trim(),
      imageType: (set.string("x00080008") ?? "").split("\\").map((v) => v.trim()),
      rows: set.uint16("x00280010") ?? 0,
      columns: set.uint16("x00280011") ?? 0,
      frames: Math.max(1, first("x00280008") ?? 1),
      totalColumns: set.elements.x00480006 ? (set.uint32("x00480006") ?? null) : null,
      totalRows: set.elements.x00480007 ? (set.uint32("x00480007") ?? null) : null,
      dimensionOrganization: set.string("x00209311")?.trim() ?? null,
      framePositions: framePositionsOf(set),
      samplesPerPixel: set.uint16("x00280002") ?? 1,
      bitsAllocated: set.uint16("x00280100") ?? 0,
      pixelSpacing: spacingOf(set),
    };
    return {
      header,
      transferSyntax,
      photometric: (set.string("x00280004") ?? "MONOCHROME2").trim(),
      planarConfiguration: set.uint16("x00280006") ?? 0,
      bitsStored: set.uint16("x00280101") ?? 8,
      pixelRepresentation: set.uint16("x00280103") ?? 0,
      pixelDataOffset: pixelData.dataOffset,
      encapsulated: pixelData.length === 0xffffffff,
    };
  }
}

/**
 * The fragments of encapsulated pixel data, grouped into frames, without reading their content. Item headers come from a
 * read-ahead window, and there may be no more of them than the page allows (dicom-slide-deid.ts), so a crafted file of
 * millions of empty items costs neither millions of reads nor millions of fragments.
 */
async function encapsulatedFrames(file: ByteSource, start: number, frames: number): Promise<Fragment[][]> {
  const source = readAhead(file, ITEM_WALK_WINDOW);
  const size = source.size;
  const fragments: (Fragment & { starts: boolean })[] = [];
  let position = start;
  for (let index = 0; ; index++) {
    if (index > MAX_PIXEL_ITEMS || position + 8 > size) throw new DicomSlideError("unreadable");
    // The item's tag and length, and the first bytes of its fragment when it has them, in one read.
    const item = await readAt(source, position, Math.min(12, size - position));
    const view = new DataView(item.buffer, item.byteOffset, item.length);
    const tag = ((view.getUint16(0, true) << 16) | view.getUint16(2, true)) >>> 0;
    const length = view.getUint32(4, true);
    if (tag === 0xfffee0dd) break;
    if (tag !== 0xfffee000 || length === 0xffffffff || position + 8 + length > size) throw new DicomSlideError("unreadable");
    if (index > 0) fragments.push({ offset: position + 8, length, starts: startsCodestream(item.subarray(8, 8 + Math.min(4, length))) });
    position += 8 + length;
  }
  if (fragments.length === frames) return fragments.map((f) => [f]);
  const groups: Fragment[][] = [];
  for (const fragment of fragments) {
    if (groups.length === 0 || fragment.starts) groups.push([fragment]);
    else groups[groups.length - 1].push(fragment);
  }
  if (groups.length < frames) throw new DicomSlideError("unreadable");
  return groups;
}

const us = (value: number) => new Uint8Array(new Uint16Array([value]).buffer);

/** A one-frame Part 10 file around one encoded frame, so the tested decoders of the viewer path decode it. */
function oneFrameFile(h: Header, fragments: Uint8Array[]): Uint8Array {
  const dataset: Element[] = [
    { tag: tagOf(0x0028, 0x0002), vr: "US", value: us(h.header.samplesPerPixel) },
    { tag: tagOf(0x0028, 0x0004), vr: "CS", value: encodeString(h.photometric, "CS") },
    { tag: tagOf(0x0028, 0x0010), vr: "US", value: us(h.header.rows) },
    { tag: tagOf(0x0028, 0x0011), vr: "US", value: us(h.header.columns) },
    { tag: tagOf(0x0028, 0x0100), vr: "US", value: us(8) },
    { tag: tagOf(0x0028, 0x0101), vr: "US", value: us(h.bitsStored) },
    { tag: tagOf(0x0028, 0x0102), vr: "US", value: us(h.bitsStored - 1) },
    { tag: tagOf(0x0028, 0x0103), vr: "US", value: us(h.pixelRepresentation) },
    { tag: tagOf(0x7fe0, 0x0010), vr: "OB", value: null, fragments: [new Uint8Array(), ...fragments] },
  ];
  if (h.header.samplesPerPixel > 1) dataset.push({ tag: tagOf(0x0028, 0x0006), vr: "US", value: us(h.planarConfiguration) });
  const meta: Element[] = [
    { tag: tagOf(0x0002, 0x0001), vr: "OB", value: new Uint8Array([0, 1]) },
    { tag: tagOf(0x0002, 0x0002), vr: "UI", value: encodeString("1.2.840.10008.5.1.4.1.1.7", "UI") },
    { tag: tagOf(0x0002, 0x0003), vr: "UI", value: encodeString("2.25.1", "UI") },
    { tag: tagOf(0x0002, 0x0010), vr: "UI", value: encodeString(h.transferSyntax, "UI") },
  ];
  return writePart10({ meta, dataset, transferSyntax: TS.explicitLE });
}

/** One frame as interleaved 8-bit display pixels (RGB or grey), rows x columns x samples. */
async function decodeFrame(source: ByteSource, h: Header, frame: number, encoded: Fragment[][] | null): Promise<Uint8Array> {
  const { rows, columns, samplesPerPixel } = h.header;
  if (!encoded) {
    const frameBytes = rows * columns * samplesPerPixel;
    const raw = await readAt(source, h.pixelDataOffset + frame * frameBytes, frameBytes);
    return toDisplayPixels(raw, { photometric: h.photometric, planarConfiguration: h.planarConfiguration, rows, columns, samplesPerPixel });
  }
  const fragments = await Promise.all(encoded[frame].map((f) => readAt(source, f.offset, f.length)));
  const decoded = await transcodeInWorker(oneFrameFile(h, fragments));
  if (!decoded.ok) throw new DicomSlideError("unreadable");
  const set = dicomParser.parseDicom(decoded.bytes);
  const pixels = set.elements[PIXEL_DATA];
  if (!pixels || pixels.length < rows * columns * samplesPerPixel) throw new DicomSlideError("unreadable");
  return toDisplayPixels(decoded.bytes.subarray(pixels.dataOffset, pixels.dataOffset + pixels.length), {
    photometric: (set.string("x00280004") ?? h.photometric).trim(),
    planarConfiguration: set.uint16("x00280006") ?? 0,
    rows,
    columns,
    samplesPerPixel,
  });
}

/** Writes one frame's visible rows into the image file, clipped to the total pixel matrix. */
async function placeTile(
  out: FileHandle,
  pixelStart: number,
  layout: SlideLayout,
  samples: number,
  tile: { x: number; y: number },
  pixels: Uint8Array,
  columns: number,
  rows: number,
) {
  const visibleColumns = Math.min(columns, layout.width - tile.x);
  const visibleRows = Math.min(rows, layout.height - tile.y);
  for (let row = 0; row < visibleRows; row++) {
    const from = row * columns * samples;
    await out.write(pixels, from, visibleColumns * samples, pixelStart + ((tile.y + row) * layout.width + tile.x) * samples);
  }
}

/**
 * Reads a DICOM slide image and writes its first focal plane and optical path
 * as a binary PPM (colour) or PGM (grey) file at `target`.
 */
export async function dicomSlideToNetpbm(source: string, target: string): Promise<{ width: number; height: number; micronsPerPixel: number | null }> {
  const file = await openByteSource(source);
  try {
    const size = file.size;
    const h = await readHeader(file);
    const result = slideLayout(h.header);
    if (!result.ok) throw new DicomSlideError(result.problem);
    const { layout } = result;
    const encoded = h.encapsulated ? await encapsulatedFrames(file, h.pixelDataOffset, h.header.frames) : null;
    if (!encoded && h.pixelDataOffset + h.header.frames * h.header.rows * h.header.columns * h.header.samplesPerPixel > size)
      throw new DicomSlideError("unreadable");

    const samples = h.header.samplesPerPixel;
    const netpbmHeader = Buffer.from(`${samples === 3 ? "P6" : "P5"}\n${layout.width} ${layout.height}\n255\n`, "latin1");
    const out = await open(target, "w");
    try {
      await out.write(netpbmHeader, 0, netpbmHeader.length, 0);
      await out.truncate(netpbmHeader.length + layout.width * layout.height * samples);
      const inFlight = new Set<Promise<void>>();
      for (const tile of layout.tiles) {
        const task = decodeFrame(file, h, tile.frame, encoded).then((pixels) =>
          placeTile(out, netpbmHeader.length, layout, samples, tile, pixels, h.header.columns, h.header.rows),
        );
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task)).catch(() => undefined);
        if (inFlight.size >= DECODES_IN_FLIGHT) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    } finally {
      await out.close();
    }
    return { width: layout.width, height: layout.height, micronsPerPixel: layout.micronsPerPixel };
  } finally {
    await file.close();
  }
}

/** Checks, before anything is stored, that a DICOM upload is a slide image we may keep. */
export async function checkDicomSlide(source: string): Promise<SlideProblem | "unreadable" | null> {
  const file = await openByteSource(source);
  try {
    const h = await readHeader(file);
    const result = slideLayout(h.header);
    return result.ok ? null : result.problem;
  } catch (error) {
    if (error instanceof DicomSlideError) return error.problem;
    return "unreadable";
  } finally {
    await file.close();
  }
}
