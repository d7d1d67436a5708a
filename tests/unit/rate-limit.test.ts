import { describe, expect, it } from "vitest";
import { takeToken, type Bucket } from "~/platform/rate-limit";

describe("takeToken", () => {
  it("allows a burst, then refuses until tokens refill at the set rate", () => {
    const limit = { perSecond: 2, burst: 3 };
    let bucket: Bucket | undefined;
    const results: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const taken = takeToken(bucket, limit, 1000);
      bucket = taken.bucket;
      results.push(taken.allowed);
    }
    expect(results).toEqual([true, true, true, false]);
    expect(takeToken(bucket, limit, 1400).allowed).toBe(false);
    expect(takeToken(bucket, limit, 1500).allowed).toBe(true);
    expect(takeToken(bucket, limit, 60_000).bucket.tokens).toBe(2);
  });
});
