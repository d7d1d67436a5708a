import { describe, expect, it } from "vitest";
import { getDb } from "~/platform/db.server";
import { recordAudit, verifyAuditChain } from "~/features/audit/audit.server";
import { auditVerifyCli, withoutAppendOnlyGuard } from "../support/audit-tampering";

// A file of its own: the other audit tests break the chain in their own way, and each file gets its own database.
describe("audit log tampering", () => {
  it("catches a hand-edited row and names it, in the function and in npm run audit:verify", async () => {
    for (let i = 0; i < 3; i++) await recordAudit(getDb(), { actor: null, action: "test.tamper", outcome: "success", details: { i } });
    const target = await getDb().auditEvent.findFirstOrThrow({ where: { action: "test.tamper" }, orderBy: { id: "asc" } });
    await withoutAppendOnlyGuard(`UPDATE "AuditEvent" SET "outcome" = 'failure' WHERE "id" = ${target.id}`);

    const result = await verifyAuditChain(getDb());
    expect(result).toMatchObject({ ok: false, break: { eventId: target.id, reason: "hashMismatch" } });

    const { code, out } = await auditVerifyCli();
    expect(code).toBe(1);
    expect(out).toContain(`BROKEN at event #${target.id}`);
  });
});
