/**
 * The audit log is a SHA-256 hash chain: each event's hash covers its own
 * fields and the previous event's hash, so editing or deleting any event
 * breaks every link after it.
 */
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export type AuditFields = {
  occurredAt: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  details: string;
};

export function hashAuditEvent(prevHash: string, event: AuditFields): string {
  const canonical = JSON.stringify([
    prevHash,
    event.occurredAt.toISOString(),
    event.actorId,
    event.actorRole,
    event.action,
    event.entityType,
    event.entityId,
    event.outcome,
    event.ip,
    event.userAgent,
    event.details,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

export type ChainBreak = { eventId: number; reason: "prevHashMismatch" | "hashMismatch" };

/**
 * Checks one stored event against the hash of the event before it. Returns the
 * break, or null when the link holds.
 */
export function checkChainLink(expectedPrevHash: string, stored: AuditFields & { id: number; prevHash: string; hash: string }): ChainBreak | null {
  if (stored.prevHash !== expectedPrevHash) return { eventId: stored.id, reason: "prevHashMismatch" };
  if (hashAuditEvent(stored.prevHash, stored) !== stored.hash) return { eventId: stored.id, reason: "hashMismatch" };
  return null;
}
