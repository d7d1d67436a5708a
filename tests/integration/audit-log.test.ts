import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { createDb, getDb } from "~/platform/db.server";
import { recordAudit, verifyAuditChain } from "~/features/audit/audit.server";
import { anchorAuditHead, anchorFilePath, startAuditAnchoring, verifyAuditAnchors } from "~/features/audit/audit-anchor.server";
import { parseAnchors } from "~/features/audit/audit-anchor";

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
    await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS "AuditEvent_no_update"`);
    await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS "AuditEvent_no_delete"`);
    await db.$executeRawUnsafe(sql);
  }
}

const readAnchors = async () => parseAnchors(await readFile(anchorFilePath(), "utf8").catch(() => "")).anchors;

async function until(condition: () => Promise<boolean>) {
  for (let i = 0; i < 400 && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(await condition()).toBe(true);
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

  it("npm run audit:verify fails while the log has events but no anchor, and passes on an intact, anchored log", async () => {
    await rm(anchorFilePath(), { force: true });
    const unanchored = await auditVerifyCli();
    expect(unanchored.code).toBe(1);
    expect(unanchored.out).toContain("there is no anchor file");
    const anchor = await anchorAuditHead(getDb());
    const { code, out } = await auditVerifyCli();
    expect(out).toMatch(/Audit log intact: \d+ events verified/);
    expect(out).toContain(`the newest names event #${anchor!.eventId}`);
    expect(code).toBe(0);
  });

  it("anchors the head at start, on every tick and at stop, to the file and to an external sink that may be down", async () => {
    const received: { eventId: number; hash: string }[] = [];
    const sink = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push(JSON.parse(body));
        response.end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
    process.env.AUDIT_ANCHOR_URL = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/anchors`;
    const anchoring = startAuditAnchoring(50);
    try {
      await recordAudit(getDb(), { actor: null, action: "test.anchor", outcome: "success" });
      const newest = await getDb().auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
      await until(async () => (await readAnchors()).some((a) => a.eventId === newest.id));
      await until(async () => received.some((a) => a.eventId === newest.id && a.hash === newest.hash));
      sink.close();
      await recordAudit(getDb(), { actor: null, action: "test.anchor", outcome: "success" });
      await anchoring.stop();
      const last = await getDb().auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
      expect((await readAnchors()).at(-1)).toMatchObject({ eventId: last.id, hash: last.hash });
    } finally {
      delete process.env.AUDIT_ANCHOR_URL;
      sink.close();
      await anchoring.stop();
    }
  });

  it("reports deleted newest events that leave a valid chain behind, once their head was anchored", async () => {
    for (let i = 0; i < 3; i++) await recordAudit(getDb(), { actor: null, action: "test.tail", outcome: "success", details: { i } });
    const anchored = await anchorAuditHead(getDb());
    const tail = await getDb().auditEvent.findMany({ where: { action: "test.tail" }, orderBy: { id: "asc" } });
    expect(anchored?.eventId).toBe(tail[2].id);
    await withoutAppendOnlyGuard(`DELETE FROM "AuditEvent" WHERE "id" >= ${tail[1].id}`);

    expect((await verifyAuditChain(getDb())).ok).toBe(true);
    const anchors = await verifyAuditAnchors(getDb(), 1);
    expect(anchors).toMatchObject({ ok: false, problem: { reason: "anchoredEventMissing", eventId: tail[2].id } });
    const { code, out } = await auditVerifyCli();
    expect(code).toBe(1);
    expect(out).toContain(`event #${tail[2].id}`);
    expect(out).toContain("the newest events were deleted");
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
