/**
 * npm run backup while uploads and saves are in flight, then npm run restore into an empty installation: every row's
 * file is there with its hash, the audit chain and its anchors verify, and nothing later than the snapshot is present.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, it } from "vitest";
import * as upload from "~/routes/cases.$caseId.attachments";
import * as newCase from "~/routes/cases.new";
import { anchorAuditHead } from "~/features/audit/audit-anchor.server";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { createDb, getDb } from "~/platform/db.server";
import { BASE, csrfFor, post, run, signIn } from "../support/remix";
import { FIRST_ENTRY } from "../support/case-packet";

const exec = promisify(execFile);
const cli = (script: string, args: string[], env: Record<string, string>) =>
  exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", `app/cli/${script}.ts`, ...args], { env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

const pdf = () => Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(2048), Buffer.from("\n%%EOF\n")]);

async function uploadAttachment(cookie: string, caseId: string) {
  const body = new FormData();
  body.set("csrf", await csrfFor(cookie));
  body.set("kind", "PATHOLOGY_REPORT");
  body.set("file", new Blob([new Uint8Array(pdf())]), "report.pdf");
  return run(upload.action, { request: new Request(`${BASE}/cases/${caseId}/attachments`, { method: "POST", body, headers: { cookie } }), params: { caseId } });
}

/** An empty installation to restore into: a new SQLite file, or a new PostgreSQL database holding a schema of the same name. */
async function emptyTarget(): Promise<{ url: string; drop: () => Promise<void> }> {
  const live = resolveDatabaseTarget();
  if (live.provider === "sqlite")
    return { url: `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "tb-restore-db-")), "restored.db")}`, drop: async () => {} };
  const name = `tb_restore_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: live.connectionString });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(live.connectionString);
  url.pathname = `/${name}`;
  url.searchParams.set("schema", live.schema);
  return {
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: live.connectionString });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await again.end();
    },
  };
}

describe("backup and restore", () => {
  it("backs up while uploads and saves are in flight, and restores a consistent installation", async () => {
    const physician = await signIn("physician@demo.test");
    const draft = async () =>
      /\/cases\/([^/]+)\/edit/.exec((await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, physician) })).headers.get("location")!)![1];
    const caseId = await draft();
    for (let i = 0; i < 3; i++) expect((await uploadAttachment(physician, caseId)).status).toBe(201);
    await anchorAuditHead(getDb());

    let busy = true;
    const traffic = (async () => {
      let done = 0;
      while (busy) {
        const id = await draft();
        expect((await uploadAttachment(physician, id)).status).toBe(201);
        done++;
      }
      return done;
    })();
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "tb-backup-")), "backup");
    const backup = await cli("backup", ["--out", out], {});
    busy = false;
    const writtenDuring = await traffic;
    expect(backup.code, backup.out).toBe(0);
    expect(writtenDuring).toBeGreaterThan(0);
    const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8"));

    const target = await emptyTarget();
    const storage = mkdtempSync(path.join(os.tmpdir(), "tb-restore-storage-"));
    const env = { DATABASE_URL: target.url, STORAGE_DIR: storage };
    try {
      const restored = await cli("restore", ["--from", out], env);
      expect(restored.code, restored.out).toBe(0);
      const db = createDb(resolveDatabaseTarget(target.url));
      try {
        const rows = [
          ...(await db.attachment.findMany({ select: { sha256: true } })),
          ...(await db.imagingInstance.findMany({ select: { sha256: true } })),
          ...(await db.inboxInstance.findMany({ select: { sha256: true } })),
        ];
        expect(new Set(rows.map((r) => r.sha256)).size).toBe(manifest.objects);
        for (const { sha256 } of rows) {
          const file = path.join(storage, "objects", sha256.slice(0, 2), sha256.slice(2, 4), sha256);
          expect(existsSync(file), sha256).toBe(true);
          expect(createHash("sha256").update(readFileSync(file)).digest("hex")).toBe(sha256);
        }
        // Nothing later than the snapshot: fewer attachments than the live installation has now, the audit log ending where the manifest says.
        expect(await db.attachment.count()).toBeLessThan(await getDb().attachment.count());
        expect((await db.auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } })).id).toBe(manifest.lastAuditEventId);
        expect((await verifyAuditChain(db)).ok).toBe(true);
      } finally {
        await db.$disconnect();
      }
      const verified = await cli("audit-verify", [], env);
      expect(verified.code, verified.out).toBe(0);
      expect(verified.out).toContain("Anchors match");

      const again = await cli("restore", ["--from", out], env);
      expect(again.code).toBe(1);
      expect(again.out).toContain("restore needs an empty installation");
    } finally {
      await target.drop();
    }
  });

  it("refuses a backup whose files do not match the manifest, and writes nothing", async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "tb-backup-")), "backup");
    expect((await cli("backup", ["--out", out], {})).code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8"));
    writeFileSync(path.join(out, manifest.database.file), "tampered");
    const target = await emptyTarget();
    try {
      const refused = await cli("restore", ["--from", out], {
        DATABASE_URL: target.url,
        STORAGE_DIR: mkdtempSync(path.join(os.tmpdir(), "tb-restore-storage-")),
      });
      expect(refused.code).toBe(1);
      expect(refused.out).toContain("does not match the manifest");
      if (target.url.startsWith("file:")) expect(existsSync(target.url.slice("file:".length))).toBe(false);
    } finally {
      await target.drop();
    }
  });
});
