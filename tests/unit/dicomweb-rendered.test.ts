/** The bounds of DICOMweb rendered images and the Accept parsers (linear whatever the header). */
import { describe, expect, it } from "vitest";
import { TS } from "~/features/imaging/dicom/part10";
import { acceptedTransferSyntaxes, MAX_MEDIA_RANGES, mediaRanges } from "~/features/imaging/dicom/accept-transfer-syntax";
import {
  fitViewport,
  keptRenderName,
  MAX_RENDERED_EDGE,
  parseRenderQuery,
  renderedMediaType,
  renderedSize,
  THUMBNAIL_MAX_EDGE,
  VIEWER_PREVIEW,
} from "~/features/imaging/dicomweb-rendered";
import { renderedSliceUrl } from "~/features/imaging/viewer/workspace-state";

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

describe("renders kept beside their instance", () => {
  const optionsOf = (url: string, thumbnail = false) => {
    const parsed = parseRenderQuery(new URL(url, "http://x").searchParams, null, thumbnail);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.options;
  };

  it("are the viewer's preview of a slice and thumbnails, as the app asks for them", () => {
    const preview = renderedSliceUrl("/dicomweb/cases/c/studies/1/series/2/instances", { uid: "3", frame: 4 });
    expect(optionsOf(preview)).toEqual(VIEWER_PREVIEW);
    expect(keptRenderName(4, optionsOf(preview))).toBe("rendered-5-whole.jpg");
    expect(keptRenderName(0, optionsOf("/thumbnail", true))).toBe("rendered-1-thumbnail.jpg");
    expect(keptRenderName(0, optionsOf("/rendered?viewport=128,128&accept=image/png"))).toBe("rendered-1-thumbnail.png");
  });

  it("are never a render with a window, a quality or a viewport of the client's choosing, which would let it fill the disk", () => {
    for (const query of ["window=40,400", "quality=75", "viewport=256,256", "viewport=128,128,0,0,64,64", "viewport=200,200"])
      expect(keptRenderName(0, optionsOf(`/rendered?${query}`)), query).toBeNull();
    expect(keptRenderName(0, optionsOf("/thumbnail?viewport=64,64", true))).toBeNull();
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
