import { describe, expect, it } from "vitest";
import { afterFailure, delayAfter, lockRemainingMs, THROTTLE_POLICY, throttleKey, type ThrottleState } from "~/features/identity/login-throttle";

const t0 = new Date("2026-11-21T08:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

/** Fails `times` times, each as soon as the key may try again (plus `spacingMs`); returns the state and when the last failure was. */
function fail(times: number, kind: "email" | "ip" | "sign", spacingMs = 0): { state: ThrottleState | null; now: number } {
  let state: ThrottleState | null = null;
  let now = 0;
  for (let i = 0; i < times; i++) {
    now += lockRemainingMs(state, at(now)) + spacingMs;
    state = afterFailure(kind, state, at(now));
  }
  return { state, now };
}

describe("login throttle", () => {
  it("lets an account fail three times freely, then makes it wait longer after each failure, at most a minute", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => delayAfter("email", n))).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 16000, 60_000]);
    const { state, now } = fail(4, "email");
    expect(lockRemainingMs(state, at(now))).toBe(1000);
    expect(lockRemainingMs(state, at(now + 1000))).toBe(0);
  });

  it("never keeps an account closed for more than a minute, however many failures", () => {
    const { state, now } = fail(200, "email");
    expect(lockRemainingMs(state, at(now))).toBe(THROTTLE_POLICY.email.maxDelayMs);
    expect(lockRemainingMs(state, at(now + 60_000))).toBe(0);
  });

  it("does not count attempts made during the wait", () => {
    const { state, now } = fail(5, "email");
    expect(afterFailure("email", state, at(now + 10))).toBe(state);
  });

  it("forgets failures older than the window", () => {
    const spaced = fail(5, "email", 4 * 60 * 1000);
    expect(spaced.state?.failures).toBe(1);
    expect(lockRemainingMs(spaced.state, at(spaced.now))).toBe(0);
  });

  it("allows more free failures per IP than per account, and gives signing its own, slower count", () => {
    expect(delayAfter("ip", 10)).toBe(0);
    expect(delayAfter("ip", 11)).toBeGreaterThan(0);
    expect(delayAfter("sign", 20)).toBe(5 * 60_000);
  });

  it("normalises keys so case and spacing do not dodge the throttle", () => {
    expect(throttleKey("email", " Physician@Demo.TEST ")).toBe("email:physician@demo.test");
  });
});
