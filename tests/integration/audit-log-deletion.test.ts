import { describe, expect, it } from "vitest";
import { recordAudit, verifyAuditChain } from "~/features/audit/audit.server";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { getDb } from "~/platform/db.server";

async function deleteBehindTheGuard(id: number) {
  const db = getDb();
  if (resolveDatabaseTarget().provider === "postgresql") {
    await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    await db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "id" = ${id}`);
    await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
  } else {
    await db.$executeRawUnsafe(`DROP TRIGGER "AuditEvent_no_delete"`);
    await db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "id" = ${id}`);
  }
}

describe("audit log deletion", () => {
  it("notices a deleted event at the event after it", async () => {
    const db = getDb();
    for (let i = 0; i < 3; i++) await recordAudit(db, { actor: null, action: "test.delete", outcome: "success", details: { i } });
    expect((await verifyAuditChain(db)).ok).toBe(true);
    const [, middle, last] = await db.auditEvent.findMany({ where: { action: "test.delete" }, orderBy: { id: "asc" } });
    await deleteBehindTheGuard(middle.id);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, break: { eventId: last.id, reason: "prevHashMismatch" } });
  });
});
