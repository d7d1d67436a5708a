import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { createDb, getDb } from "~/platform/db.server";
import { recordAudit, verifyAuditChain } from "~/features/audit/audit.server";

const exec = promisify(execFile);
const isPostgres = () => resolveDatabaseTarget().provider === "postgresql";

/** What an attacker with database access would do: switch the guard triggers off first. */
async function withoutAppendOnlyGuard(sql: string) {
  const db = getDb();
  if (isPostgres()) {
    await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    await db.$executeRawUnsafe(sql);
    await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
  } else {
    await db.$executeRawUnsafe(`DROP TRIGGER "AuditEvent_no_update"`);
    await db.$executeRawUnsafe(`DROP TRIGGER "AuditEvent_no_delete"`);
    await db.$executeRawUnsafe(sql);
  }
}

function auditVerifyCli() {
  return exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/cli/audit-verify.ts"], { env: { ...process.env }, cwd: process.cwd() }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

describe("audit log", () => {
  it("keeps an intact chain across many writers, including a second process's connection", async () => {
    const other = createDb(resolveDatabaseTarget());
    const writes = [];
    for (let i = 0; i < 15; i++) {
      writes.push(recordAudit(getDb(), { actor: null, action: "test.write", outcome: "success", details: { i } }));
      writes.push(recordAudit(other, { actor: null, action: "test.write", outcome: "success", details: { i, other: true } }));
    }
    await Promise.all(writes);
    await other.$disconnect();
    const result = await verifyAuditChain(getDb(), 7);
    expect(result.ok).toBe(true);
    expect(result.count).toBeGreaterThanOrEqual(30);
  });

  it("refuses UPDATE and DELETE in the database itself", async () => {
    const db = getDb();
    const first = await db.auditEvent.findFirstOrThrow({ orderBy: { id: "asc" } });
    await expect(db.auditEvent.update({ where: { id: first.id }, data: { outcome: "denied" } })).rejects.toThrow();
    await expect(db.auditEvent.delete({ where: { id: first.id } })).rejects.toThrow();
    await expect(db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "outcome" = 'denied' WHERE "id" = ${first.id}`)).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.findUnique({ where: { id: first.id } })).toEqual(first);
  });

  it("npm run audit:verify passes on an intact log", async () => {
    const { code, out } = await auditVerifyCli();
    expect(out).toMatch(/Audit log intact: \d+ events verified/);
    expect(code).toBe(0);
  });

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
