/**
 * Sign-in throttling policy. Failures are counted per account (email) and per
 * client IP within a window; past the limit the key is locked for a while.
 * The same rule applies whether or not the email belongs to an account, so
 * the throttle does not reveal which addresses exist.
 */
export type ThrottleKind = "email" | "ip";
export type ThrottleState = { failures: number; windowStartedAt: Date; lockedUntil: Date | null };

export const THROTTLE_POLICY: Record<ThrottleKind, { maxFailures: number; windowMs: number; lockMs: number }> = {
  email: { maxFailures: 5, windowMs: 15 * 60 * 1000, lockMs: 15 * 60 * 1000 },
  ip: { maxFailures: 20, windowMs: 15 * 60 * 1000, lockMs: 15 * 60 * 1000 },
};

export function throttleKey(kind: ThrottleKind, value: string): string {
  return `${kind}:${value.trim().toLowerCase()}`;
}

/** Milliseconds until the key may try again, or 0 when it is not locked. */
export function lockRemainingMs(state: ThrottleState | null, now: Date): number {
  if (!state?.lockedUntil) return 0;
  return Math.max(0, state.lockedUntil.getTime() - now.getTime());
}

export function afterFailure(kind: ThrottleKind, state: ThrottleState | null, now: Date): ThrottleState {
  if (state && lockRemainingMs(state, now) > 0) return state;
  const policy = THROTTLE_POLICY[kind];
  const windowOpen = state !== null && state.lockedUntil === null && now.getTime() - state.windowStartedAt.getTime() < policy.windowMs;
  const failures = windowOpen ? state.failures + 1 : 1;
  const windowStartedAt = windowOpen ? state.windowStartedAt : now;
  const lockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : null;
  return { failures, windowStartedAt, lockedUntil };
}
