/** The order in which a viewer fetches a stack's slices in the background: outward from the slice on screen. */

/**
 * Requests in flight at once: as many as a browser opens to one server over HTTP/1.1, so that over a long round trip the
 * link carries one slice while the next ones are on their way (five left it idle a fifth of the time at 200 ms).
 */
export const PREFETCH_CONCURRENCY = 6;

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
