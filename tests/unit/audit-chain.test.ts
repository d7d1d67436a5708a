import { describe, expect, it } from "vitest";
import { checkChainLink, GENESIS_HASH, hashAuditEvent, type AuditFields } from "~/features/audit/audit-chain";

const event: AuditFields = {
  occurredAt: new Date("2026-11-21T08:00:00.123Z"),
  actorId: "u1",
  actorRole: "ADMIN",
  action: "user.update",
  entityType: "User",
  entityId: "u2",
  outcome: "success",
  ip: "127.0.0.1",
  userAgent: "test",
  details: '{"changed":["role"]}',
};

describe("audit hash chain", () => {
  it("hashes deterministically and covers every field and the previous hash", () => {
    const hash = hashAuditEvent(GENESIS_HASH, event);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashAuditEvent(GENESIS_HASH, { ...event })).toBe(hash);
    for (const [key, value] of Object.entries({
      actorId: "u9",
      action: "user.create",
      outcome: "denied",
      details: "{}",
      ip: null,
      occurredAt: new Date("2026-11-21T08:00:00.124Z"),
    })) {
      expect(hashAuditEvent(GENESIS_HASH, { ...event, [key]: value }), key).not.toBe(hash);
    }
    expect(hashAuditEvent("f".repeat(64), event)).not.toBe(hash);
  });

  it("names the event whose contents or link do not fit", () => {
    const hash = hashAuditEvent(GENESIS_HASH, event);
    const stored = { ...event, id: 7, prevHash: GENESIS_HASH, hash };
    expect(checkChainLink(GENESIS_HASH, stored)).toBeNull();
    expect(checkChainLink(GENESIS_HASH, { ...stored, outcome: "denied" })).toEqual({ eventId: 7, reason: "hashMismatch" });
    expect(checkChainLink("a".repeat(64), stored)).toEqual({ eventId: 7, reason: "prevHashMismatch" });
  });
});
