/**
 * Password throttling policy: progressive delay, never a long lock. Failures are counted per account (email), per client
 * IP and, for the signing password, per signer, separately; after a few free failures each further one makes the key wait
 * longer before it may try again (1 s, 2 s, 4 s ... at most a minute; five for signing). An attempt during the wait is not
 * checked at all. Once the wait is over, the right password works: nobody can keep an account closed for long by
 * failing on purpose, and guessing stays slow. The same rule applies whether or not the email belongs to an account, so
 * the throttle does not reveal which addresses exist. Failures older than the window are forgotten.
 */
export type ThrottleKind = "email" | "ip" | "sign" | "mfa";
export type ThrottleState = { failures: number; windowStartedAt: Date; lockedUntil: Date | null };

type Policy = { freeFailures: number; firstDelayMs: number; maxDelayMs: number; windowMs: number };
const FIFTEEN_MINUTES = 15 * 60 * 1000;

export const THROTTLE_POLICY: Record<ThrottleKind, Policy> = {
  email: { freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 60_000, windowMs: FIFTEEN_MINUTES },
  ip: { freeFailures: 10, firstDelayMs: 1000, maxDelayMs: 60_000, windowMs: FIFTEEN_MINUTES },
  sign: { freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 5 * 60_000, windowMs: FIFTEEN_MINUTES },
  // Six digits are guessable only by many tries: wrong codes slow down quickly.
  mfa: { freeFailures: 3, firstDelayMs: 2000, maxDelayMs: 5 * 60_000, windowMs: FIFTEEN_MINUTES },
};

export function throttleKey(kind: ThrottleKind, value: string): string {
  return `${kind}:${value.trim().toLowerCase()}`;
}

/** Milliseconds until the key may try again, or 0 when it may try now. */
export function lockRemainingMs(state: ThrottleState | null, now: Date): number {
  if (!state?.lockedUntil) return 0;
  return Math.max(0, state.lockedUntil.getTime() - now.getTime());
}

/** The wait after the n-th failure in a window. */
export function delayAfter(kind: ThrottleKind, failures: number): number {
  const policy = THROTTLE_POLICY[kind];
  const beyond = failures - policy.freeFailures;
  return beyond <= 0 ? 0 : Math.min(policy.firstDelayMs * 2 ** Math.min(beyond - 1, 30), policy.maxDelayMs);
}

export function afterFailure(kind: ThrottleKind, state: ThrottleState | null, now: Date): ThrottleState {
  if (state && lockRemainingMs(state, now) > 0) return state;
  const windowOpen = state !== null && now.getTime() - state.windowStartedAt.getTime() < THROTTLE_POLICY[kind].windowMs;
  const failures = windowOpen ? state.failures + 1 : 1;
  const windowStartedAt = windowOpen ? state.windowStartedAt : now;
  const delay = delayAfter(kind, failures);
  return { failures, windowStartedAt, lockedUntil: delay > 0 ? new Date(now.getTime() + delay) : null };
}
