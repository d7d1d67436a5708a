/**
 * Heavy requests (opinion PDFs and FHIR bundles, CSV exports) run at most a few at a time per user: one session firing
 * hundreds at once gets a 429 for the rest instead of queueing work that starves everyone else.
 */
export const HEAVY_REQUESTS_PER_USER = 2;
const RETRY_AFTER_SECONDS = 2;

const inFlight = new Map<string, number>();

/** Runs `work` in one of the user's slots, or throws a 429 (in both languages: a download has no page to show it on). */
export async function inHeavySlot<T>(userId: string, work: () => Promise<T>): Promise<T> {
  const running = inFlight.get(userId) ?? 0;
  if (running >= HEAVY_REQUESTS_PER_USER) {
    throw new Response("Too many downloads at once; please try again in a moment.\n同时下载的文件过多，请稍后再试。", {
      status: 429,
      headers: { "Retry-After": String(RETRY_AFTER_SECONDS), "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  inFlight.set(userId, running + 1);
  try {
    return await work();
  } finally {
    const left = (inFlight.get(userId) ?? 1) - 1;
    if (left === 0) inFlight.delete(userId);
    else inFlight.set(userId, left);
  }
}
