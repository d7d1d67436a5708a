import { describe, expect, it } from "vitest";
import { scaleBar } from "~/features/imaging/slides/scale-bar";

describe("scale bar", () => {
  it("picks the longest 1-2-5 length that fits, in µm or mm", () => {
    // 0.5 µm per screen pixel, 160 px available: 80 µm fit, so 50 µm (100 px).
    expect(scaleBar(0.5, 160)).toEqual({ widthPx: 100, value: 50, unit: "µm" });
    // 10 µm per pixel: 1600 µm fit, so 1 mm (100 px).
    expect(scaleBar(10, 160)).toEqual({ widthPx: 100, value: 1, unit: "mm" });
    // 0.04 µm per pixel at high zoom: 6.4 µm fit, so 5 µm (125 px).
    expect(scaleBar(0.04, 160)).toEqual({ widthPx: 125, value: 5, unit: "µm" });
  });

  it("gives no bar without a pixel size", () => {
    expect(scaleBar(0, 160)).toBeNull();
    expect(scaleBar(Number.NaN, 160)).toBeNull();
  });
});
