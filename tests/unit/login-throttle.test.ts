import { describe, expect, it } from "vitest";
import { afterFailure, lockRemainingMs, THROTTLE_POLICY, throttleKey, type ThrottleState } from "~/features/identity/login-throttle";

const t0 = new Date("2026-11-21T08:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

function fail(times: number, kind: "email" | "ip", spacingMs = 1000): ThrottleState | null {
  let state: ThrottleState | null = null;
  for (let i = 0; i < times; i++) state = afterFailure(kind, state, at(i * spacingMs));
  return state;
}

describe("login throttle", () => {
  it("locks an account after 5 failures within 15 minutes, for 15 minutes", () => {
    const four = fail(4, "email");
    expect(lockRemainingMs(four, at(4000))).toBe(0);
    const five = fail(5, "email");
    expect(lockRemainingMs(five, at(4000))).toBe(THROTTLE_POLICY.email.lockMs);
    expect(lockRemainingMs(five, at(4000 + THROTTLE_POLICY.email.lockMs))).toBe(0);
  });

  it("forgets failures older than the window", () => {
    const spaced = fail(5, "email", 4 * 60 * 1000);
    expect(spaced?.failures).toBe(1);
    expect(lockRemainingMs(spaced, at(16 * 60 * 1000))).toBe(0);
  });

  it("allows more failures per IP than per account", () => {
    expect(lockRemainingMs(fail(19, "ip"), at(19_000))).toBe(0);
    expect(lockRemainingMs(fail(20, "ip"), at(19_000))).toBeGreaterThan(0);
  });

  it("starts counting again after a lock has run out", () => {
    const locked = fail(5, "email");
    const after = afterFailure("email", locked, at(THROTTLE_POLICY.email.lockMs + 10_000));
    expect(after).toMatchObject({ failures: 1, lockedUntil: null });
  });

  it("normalises keys so case and spacing do not dodge the throttle", () => {
    expect(throttleKey("email", " Physician@Demo.TEST ")).toBe("email:physician@demo.test");
  });
});
