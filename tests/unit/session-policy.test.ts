import { describe, expect, it } from "vitest";
import { SESSION_ABSOLUTE_TIMEOUT_MS, SESSION_IDLE_TIMEOUT_MS, sessionExpiry, sessionStatus, shouldTouchSession } from "~/features/identity/session-policy";

const start = new Date("2026-11-21T08:00:00Z");
const at = (ms: number) => new Date(start.getTime() + ms);

describe("session policy", () => {
  it("ends a session after 30 idle minutes", () => {
    const session = { createdAt: start, lastSeenAt: start, expiresAt: sessionExpiry(start) };
    expect(SESSION_IDLE_TIMEOUT_MS).toBe(30 * 60 * 1000);
    expect(sessionStatus(session, at(SESSION_IDLE_TIMEOUT_MS - 1))).toBe("active");
    expect(sessionStatus(session, at(SESSION_IDLE_TIMEOUT_MS))).toBe("idle");
  });

  it("ends a session 12 hours after sign-in even when it is in constant use", () => {
    expect(SESSION_ABSOLUTE_TIMEOUT_MS).toBe(12 * 60 * 60 * 1000);
    const session = { createdAt: start, lastSeenAt: at(SESSION_ABSOLUTE_TIMEOUT_MS - 1000), expiresAt: sessionExpiry(start) };
    expect(sessionStatus(session, at(SESSION_ABSOLUTE_TIMEOUT_MS - 1))).toBe("active");
    expect(sessionStatus(session, at(SESSION_ABSOLUTE_TIMEOUT_MS))).toBe("expired");
  });

  it("writes lastSeenAt at most once a minute", () => {
    const session = { createdAt: start, lastSeenAt: start, expiresAt: sessionExpiry(start) };
    expect(shouldTouchSession(session, at(59_000))).toBe(false);
    expect(shouldTouchSession(session, at(60_000))).toBe(true);
  });
});
