import { describe, expect, it } from "vitest";
import { slideLayout, toDisplayPixels, type DicomSlideHeader } from "~/features/imaging/slides/dicom-slide";

const wsi: DicomSlideHeader = {
  sopClassUid: "1.2.840.10008.5.1.4.1.1.77.1.6",
  imageType: ["ORIGINAL", "PRIMARY", "VOLUME", "NONE"],
  rows: 256,
  columns: 256,
  frames: 12,
  totalColumns: 1000,
  totalRows: 600,
  dimensionOrganization: "TILED_FULL",
  framePositions: null,
  samplesPerPixel: 3,
  bitsAllocated: 8,
  pixelSpacing: [0.00025, 0.00025],
};

describe("slideLayout", () => {
  it("places TILED_FULL frames row by row, the last column and row clipped by the total pixel matrix", () => {
    const result = slideLayout(wsi);
    if (!result.ok) throw new Error(result.problem);
    expect(result.layout.width).toBe(1000);
    expect(result.layout.height).toBe(600);
    expect(result.layout.micronsPerPixel).toBeCloseTo(0.25, 9);
    expect(result.layout.tiles).toHaveLength(12);
    expect(result.layout.tiles[3]).toEqual({ frame: 3, x: 768, y: 0 });
    expect(result.layout.tiles[4]).toEqual({ frame: 4, x: 0, y: 256 });
    expect(result.layout.tiles[11]).toEqual({ frame: 11, x: 768, y: 512 });
  });

  it("shows only the first focal plane when there are several", () => {
    const result = slideLayout({ ...wsi, frames: 36 });
    expect(result.ok && result.layout.tiles.length).toBe(12);
  });

  it("uses each frame's plane position for TILED_SPARSE (1-based in DICOM)", () => {
    const result = slideLayout({
      ...wsi,
      dimensionOrganization: "TILED_SPARSE",
      frames: 2,
      framePositions: [
        { column: 257, row: 1 },
        { column: 1, row: 513 },
      ],
    });
    expect(result.ok && result.layout.tiles).toEqual([
      { frame: 0, x: 256, y: 0 },
      { frame: 1, x: 0, y: 512 },
    ]);
  });

  it("refuses what it cannot place or must not keep", () => {
    expect(slideLayout({ ...wsi, imageType: ["ORIGINAL", "PRIMARY", "LABEL", "NONE"] })).toEqual({ ok: false, problem: "labelImage" });
    expect(slideLayout({ ...wsi, imageType: ["DERIVED", "PRIMARY", "OVERVIEW"] })).toEqual({ ok: false, problem: "labelImage" });
    expect(slideLayout({ ...wsi, sopClassUid: "1.2.840.10008.5.1.4.1.1.2" })).toEqual({ ok: false, problem: "notSlide" });
    expect(slideLayout({ ...wsi, bitsAllocated: 16 })).toEqual({ ok: false, problem: "pixelFormat" });
    expect(slideLayout({ ...wsi, frames: 11 })).toEqual({ ok: false, problem: "tiling" });
    expect(slideLayout({ ...wsi, dimensionOrganization: "TILED_SPARSE", framePositions: null })).toEqual({ ok: false, problem: "tiling" });
    expect(slideLayout({ ...wsi, dimensionOrganization: "TILED_SPARSE", frames: 1, framePositions: [{ column: 1001, row: 1 }] })).toEqual({
      ok: false,
      problem: "tiling",
    });
  });

  it("a single-frame image without a total pixel matrix is its own size, with no scale when no spacing is recorded", () => {
    const result = slideLayout({
      ...wsi,
      sopClassUid: "1.2.840.10008.5.1.4.1.1.7",
      frames: 1,
      totalColumns: null,
      totalRows: null,
      dimensionOrganization: null,
      pixelSpacing: null,
    });
    expect(result.ok && result.layout).toEqual({ width: 256, height: 256, tiles: [{ frame: 0, x: 0, y: 0 }], micronsPerPixel: null });
  });
});

describe("toDisplayPixels", () => {
  const format = { rows: 1, columns: 2, samplesPerPixel: 3, planarConfiguration: 0, photometric: "RGB" };
  it("interleaves planar colour", () => {
    expect([...toDisplayPixels(new Uint8Array([1, 2, 3, 4, 5, 6]), { ...format, planarConfiguration: 1 })]).toEqual([1, 3, 5, 2, 4, 6]);
  });
  it("converts full-range YCbCr to RGB (PS3.3 C.7.6.3.1.2)", () => {
    expect([...toDisplayPixels(new Uint8Array([128, 128, 128, 76, 85, 255]), { ...format, photometric: "YBR_FULL" })]).toEqual([128, 128, 128, 254, 0, 0]);
  });
  it("inverts MONOCHROME1 so that white is white", () => {
    expect([...toDisplayPixels(new Uint8Array([0, 200]), { ...format, samplesPerPixel: 1, photometric: "MONOCHROME1" })]).toEqual([255, 55]);
  });
});
