/** A token bucket: `burst` events at once, refilled at `perSecond`. Pure; the caller keeps the bucket. */
export type Bucket = { tokens: number; at: number };
export type RateLimit = { perSecond: number; burst: number };

export function takeToken(bucket: Bucket | undefined, limit: RateLimit, now: number): { allowed: boolean; bucket: Bucket } {
  const previous = bucket ?? { tokens: limit.burst, at: now };
  const tokens = Math.min(limit.burst, previous.tokens + ((now - previous.at) / 1000) * limit.perSecond);
  if (tokens < 1) return { allowed: false, bucket: { tokens, at: now } };
  return { allowed: true, bucket: { tokens: tokens - 1, at: now } };
}
