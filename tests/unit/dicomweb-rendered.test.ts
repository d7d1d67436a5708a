/** The bounds of DICOMweb rendered images and the Accept parsers (linear whatever the header). */
import { describe, expect, it } from "vitest";
import { TS } from "~/features/imaging/dicom/part10";
import { acceptedTransferSyntaxes, MAX_MEDIA_RANGES, mediaRanges } from "~/features/imaging/dicom/accept-transfer-syntax";
import { fitViewport, MAX_RENDERED_EDGE, parseRenderQuery, renderedMediaType, renderedSize, THUMBNAIL_MAX_EDGE } from "~/features/imaging/dicomweb-rendered";

const J2K = "1.2.840.10008.1.2.4.90";

describe("rendered size", () => {
  it("is at most twice the source region and MAX_RENDERED_EDGE a side, keeping the aspect ratio", () => {
    expect(renderedSize(512, 512, { width: 4096, height: 4096 })).toEqual({ width: 1024, height: 1024 });
    expect(renderedSize(1, 1, { width: 4096, height: 4096 })).toEqual({ width: 2, height: 2 });
    expect(renderedSize(3000, 1500, { width: 4096, height: 4096 })).toEqual({ width: MAX_RENDERED_EDGE, height: 1024 });
    expect(renderedSize(512, 256, { width: 100, height: 100 })).toEqual({ width: 100, height: 50 });
    // Without a viewport: the source's size, fitted down only above the bound.
    expect(renderedSize(512, 512, null)).toEqual({ width: 512, height: 512 });
    expect(renderedSize(4096, 1024, null)).toEqual({ width: 2048, height: 512 });
  });

  it("fits a one-pixel region into 2 × 2, not 4096 × 4096", () => {
    const image = { width: 4, height: 4, channels: 1 as const, pixels: new Uint8Array(16).fill(7) };
    expect(fitViewport(image, { width: 4096, height: 4096, region: { x: 1, y: 1, width: 1, height: 1 } })).toMatchObject({
      width: 2,
      height: 2,
      pixels: new Uint8Array([7, 7, 7, 7]),
    });
  });

  it("keeps thumbnails small: a larger viewport is fitted down, not refused", () => {
    expect(parseRenderQuery(new URLSearchParams("viewport=4096,100"), null, true)).toMatchObject({
      ok: true,
      options: { viewport: { width: THUMBNAIL_MAX_EDGE, height: 100 } },
    });
    expect(parseRenderQuery(new URLSearchParams("viewport=4096,4096"), null)).toMatchObject({ ok: true, options: { viewport: { width: 4096, height: 4096 } } });
  });
});

describe("Accept parsing", () => {
  it("splits at commas outside quoted strings, drops empty elements and reads at most MAX_MEDIA_RANGES", () => {
    expect(mediaRanges(' image/png ,, multipart/related; type="a,b", x;q="1\\",2"')).toEqual(["image/png", 'multipart/related; type="a,b"', 'x;q="1\\",2"']);
    expect(mediaRanges(Array.from({ length: 100 }, (_, i) => `t/${i}`).join(","))).toHaveLength(MAX_MEDIA_RANGES);
  });

  it("answers right, and finishes, with 16,000 commas", () => {
    const commas = ",".repeat(16_000);
    expect(renderedMediaType(`image/png${commas}`)).toBe("image/png");
    expect(renderedMediaType(`${commas}image/png`)).toBe("image/png");
    expect(renderedMediaType(`image/gif${commas}`)).toBeNull();
    expect(renderedMediaType(commas)).toBe("image/jpeg");
    expect(renderedMediaType(`"${commas}`)).toBeNull();
    expect(acceptedTransferSyntaxes(`multipart/related; type="application/dicom"; transfer-syntax=${J2K}${commas}`, "application/dicom")).toEqual([J2K]);
    expect(acceptedTransferSyntaxes(`${commas}application/dicom; transfer-syntax=*`, "application/dicom")).toEqual(["*"]);
    expect(acceptedTransferSyntaxes(`image/png${commas}`, "application/dicom")).toEqual([]);
    expect(acceptedTransferSyntaxes(commas, "application/dicom")).toEqual([TS.explicitLE]);
    // Many ranges: only the first MAX_MEDIA_RANGES are read.
    const many = Array.from({ length: 16_000 }, () => "image/gif").join(",");
    expect(renderedMediaType(`${many},image/png`)).toBeNull();
    expect(renderedMediaType(`image/png;q=0.5,${many}`)).toBe("image/png");
  });
});
