import { describe, expect, it } from "vitest";
import { autoWindow } from "~/features/imaging/viewer/auto-window";

/** 0, 1, ..., n - 1 in a shuffled order, so sorting is needed. */
function shuffledRamp(n: number): Int16Array {
  const values = Int16Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
  return values;
}

describe("automatic window", () => {
  it("spans the 1st to the 99th percentile of the values", () => {
    // 0..100: the 1st percentile is 1, the 99th is 99.
    expect(autoWindow(shuffledRamp(101))).toEqual({ center: 50, width: 98 });
  });

  it("ignores a few outliers at either end", () => {
    const values = new Int16Array(1000).fill(200);
    for (let i = 0; i < 500; i++) values[i] = 100;
    values[0] = -3000;
    values[999] = 30000;
    // Ranks 9 and 990 of the sorted values: 100 and 200, whatever the outliers are.
    expect(autoWindow(values)).toEqual({ center: 150, width: 100 });
  });

  it("applies the rescale slope and intercept, including a negative slope", () => {
    expect(autoWindow(shuffledRamp(101), 2, -1024)).toEqual({ center: 2 * 50 - 1024, width: 196 });
    expect(autoWindow(shuffledRamp(101), -1, 0)).toEqual({ center: -50, width: 98 });
  });

  it("gives a constant slice a width of 1 around its value, and no window for no pixels", () => {
    expect(autoWindow(new Uint16Array(64 * 64).fill(812))).toEqual({ center: 812, width: 1 });
    expect(autoWindow(new Uint16Array(0))).toBeNull();
  });

  it("handles unsigned 16-bit values above the signed range", () => {
    const values = Uint16Array.from({ length: 101 }, (_, i) => 60000 + i);
    expect(autoWindow(values)).toEqual({ center: 60050, width: 98 });
  });
});
