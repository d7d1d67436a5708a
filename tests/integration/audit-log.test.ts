import { readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { createDb, getDb } from "~/platform/db.server";
import { recordAudit, verifyAuditChain } from "~/features/audit/audit.server";
import { anchorAuditHead, anchorFilePath, startAuditAnchoring, verifyAuditAnchors } from "~/features/audit/audit-anchor.server";
import { parseAnchors } from "~/features/audit/audit-anchor";
import { auditVerifyCli, withoutAppendOnlyGuard } from "../support/audit-tampering";

const readAnchors = async () => parseAnchors(await readFile(anchorFilePath(), "utf8").catch(() => "")).anchors;

async function until(condition: () => Promise<boolean>) {
  for (let i = 0; i < 400 && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(await condition()).toBe(true);
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

    // The running server still links its next event to the deleted head, so the chain itself shows the gap too.
    await recordAudit(getDb(), { actor: null, action: "test.after-deletion", outcome: "success" });
    const next = await getDb().auditEvent.findFirstOrThrow({ where: { action: "test.after-deletion" } });
    expect(await verifyAuditChain(getDb())).toMatchObject({ ok: false, break: { eventId: next.id, reason: "prevHashMismatch" } });
  });
});
