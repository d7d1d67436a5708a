/**
 * The "automatic" window for images without fixed presets (MR and other
 * non-CT modalities): it spans the 1st to the 99th percentile of the slice's
 * modality values, so a few very bright or dark pixels do not flatten the
 * contrast. Pure, no I/O.
 */

/** Lower and upper percentile, in percent. */
export const AUTO_WINDOW_PERCENTILES = [1, 99] as const;

export type WindowLevel = { center: number; width: number };

/**
 * The window for one slice from its stored pixel values, after the rescale
 * (modality values = stored * slope + intercept). Percentiles are taken by
 * rank on the sorted values: the lower at floor(p% of (n - 1)), the upper at
 * ceil(p% of (n - 1)). A constant slice gets a width of 1 around its value.
 * Null when there are no values.
 */
export function autoWindow(stored: ArrayLike<number>, slope = 1, intercept = 0): WindowLevel | null {
  const count = stored.length;
  if (count === 0) return null;
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = stored[i] * slope + intercept;
  values.sort();
  const [lowPercent, highPercent] = AUTO_WINDOW_PERCENTILES;
  const low = values[Math.floor(((count - 1) * lowPercent) / 100)];
  const high = values[Math.ceil(((count - 1) * highPercent) / 100)];
  if (!Number.isFinite(low) || !Number.isFinite(high)) return null;
  return { center: (low + high) / 2, width: high > low ? high - low : 1 };
}
