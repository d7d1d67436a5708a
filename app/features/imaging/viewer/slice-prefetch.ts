/** The order in which a viewer fetches a stack's slices in the background: outward from the slice on screen. */

/** Requests in flight at once: enough to hide a long round trip, few enough to leave the browser's six connections room. */
export const PREFETCH_CONCURRENCY = 5;

/**
 * The slice to fetch next: the nearest to `current` whose fetch has not started (`started[i]` is 1 once it has), the one
 * after it first at equal distance, since readers mostly scroll onwards; -1 when every fetch has started.
 */
export function nextSliceToFetch(current: number, started: Uint8Array): number {
  const count = started.length;
  const from = Math.min(Math.max(0, current), count - 1);
  for (let distance = 0; distance < count; distance++) {
    const after = from + distance;
    const before = from - distance;
    if (after < count && !started[after]) return after;
    if (before >= 0 && !started[before]) return before;
    if (after >= count && before < 0) break;
  }
  return -1;
}
