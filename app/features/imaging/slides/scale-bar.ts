/**
 * A scale bar for a zoomable slide: the longest "round" length (1, 2 or 5
 * times a power of ten) that fits in the space given, in µm or mm. Pure.
 */
export type ScaleBar = { widthPx: number; value: number; unit: "µm" | "mm" };

export function scaleBar(micronsPerScreenPixel: number, maxWidthPx: number): ScaleBar | null {
  if (!(micronsPerScreenPixel > 0) || !(maxWidthPx > 0)) return null;
  const available = micronsPerScreenPixel * maxWidthPx;
  let best = 0;
  for (let exponent = -3; exponent <= 7; exponent++) {
    for (const step of [1, 2, 5]) {
      const length = step * 10 ** exponent;
      if (length <= available) best = length;
    }
  }
  if (best === 0) return null;
  const widthPx = best / micronsPerScreenPixel;
  return best >= 1000 ? { widthPx, value: best / 1000, unit: "mm" } : { widthPx, value: best, unit: "µm" };
}
