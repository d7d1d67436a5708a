import { describe, expect, it } from "vitest";
import { downscaleToFit } from "~/features/imaging/key-images/key-image-raster";

describe("key image shrink", () => {
  it("averages each output pixel over the area it covers, keeping the aspect ratio", () => {
    // 4×2 grayscale: two 2×2 blocks, one of 0/100 and one of 200/255.
    const pixels = Uint8Array.from([0, 100, 200, 255, 100, 0, 255, 200]);
    const small = downscaleToFit({ width: 4, height: 2, channels: 1, pixels }, 2);
    expect(small).toEqual({ width: 2, height: 1, channels: 1, pixels: Uint8Array.from([50, 228]) });
  });

  it("leaves an image that already fits as it is", () => {
    const image = { width: 3, height: 2, channels: 3 as const, pixels: new Uint8Array(18).fill(7) };
    expect(downscaleToFit(image, 768)).toEqual(image);
  });
});
