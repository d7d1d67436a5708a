/**
 * Backup and restore of an installation: a consistent snapshot of the database (SQLite's online backup API; pg_dump
 * inside an exported snapshot on PostgreSQL) together with the stored objects and slide pyramids the snapshot refers
 * to and the audit anchors up to its newest event, with a manifest of hashes. Restore goes only into an empty
 * installation and checks every hash before it writes anything.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { parseAnchors, formatAnchor } from "~/features/audit/audit-anchor";
import { postgresPoolConfig, type DatabaseTarget } from "./database-url.server";
import { migrate } from "./migrate.server";
import { syncDirectory, writeFileDurably } from "./storage.server";

const run = promisify(execFile);

export const MANIFEST_FILE = "manifest.json";
const FORMAT = "tumorboard-backup/1";

/** Every table whose rows name a stored object by its hash. */
const OBJECT_REFERENCES = ["Attachment", "ImagingInstance", "InboxInstance"] as const;

export type BackupFile = { path: string; sha256: string; size: number };
export type BackupManifest = {
  format: typeof FORMAT;
  createdAt: string;
  database: { provider: DatabaseTarget["provider"]; file: string; schema?: string };
  lastAuditEventId: number | null;
  objects: number;
  slides: number;
  files: BackupFile[];
};

export class BackupError extends Error {}

type Installation = { target: DatabaseTarget; storageDir: string; anchorFile: string };
type SnapshotFacts = { objects: string[]; slides: string[]; lastAuditEventId: number | null };

const objectRelative = (sha256: string) => path.join("objects", sha256.slice(0, 2), sha256.slice(2, 4), sha256);

async function hashFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const referencedObjectsSql = OBJECT_REFERENCES.map((table) => `SELECT "sha256" FROM "${table}"`).join(" UNION ");
const READY_SLIDES_SQL = `SELECT "id" FROM "Slide" WHERE "status" = 'READY'`;
const LAST_AUDIT_SQL = `SELECT MAX("id") AS "id" FROM "AuditEvent"`;

async function snapshotSqlite(filePath: string, dest: string): Promise<SnapshotFacts> {
  const live = new Database(filePath, { fileMustExist: true });
  try {
    await live.backup(dest);
  } finally {
    live.close();
  }
  const snapshot = new Database(dest, { readonly: true });
  try {
    return {
      objects: (snapshot.prepare(referencedObjectsSql).all() as { sha256: string }[]).map((r) => r.sha256),
      slides: (snapshot.prepare(READY_SLIDES_SQL).all() as { id: string }[]).map((r) => r.id),
      lastAuditEventId: (snapshot.prepare(LAST_AUDIT_SQL).get() as { id: number | null }).id,
    };
  } finally {
    snapshot.close();
  }
}

async function snapshotPostgres(target: Extract<DatabaseTarget, { provider: "postgresql" }>, dest: string): Promise<SnapshotFacts> {
  const client = new pg.Client(postgresPoolConfig(target));
  await client.connect();
  try {
    // pg_dump reads the very snapshot these queries see, so the dump and the list of files agree.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const snapshotId = (await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows[0].id;
    const facts: SnapshotFacts = {
      objects: (await client.query<{ sha256: string }>(referencedObjectsSql)).rows.map((r) => r.sha256),
      slides: (await client.query<{ id: string }>(READY_SLIDES_SQL)).rows.map((r) => r.id),
      lastAuditEventId: (await client.query<{ id: number | null }>(LAST_AUDIT_SQL)).rows[0].id,
    };
    await run(
      "pg_dump",
      ["--format=custom", "--no-owner", "--no-acl", `--snapshot=${snapshotId}`, `--schema=${target.schema}`, "--file", dest, target.connectionString],
      {
        maxBuffer: 16 << 20,
      },
    );
    await client.query("COMMIT");
    return facts;
  } finally {
    await client.end();
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

/** Writes a backup of the installation into `outDir` (which must not exist or be empty). */
export async function createBackup({ target, storageDir, anchorFile }: Installation, outDir: string, now = new Date()): Promise<BackupManifest> {
  if (existsSync(outDir) && (await readdir(outDir)).length > 0) throw new BackupError(`${outDir} is not empty`);
  await mkdir(outDir, { recursive: true });
  const databaseFile = target.provider === "sqlite" ? "database.sqlite" : "database.pgdump";
  const facts =
    target.provider === "sqlite"
      ? await snapshotSqlite(target.filePath, path.join(outDir, databaseFile))
      : await snapshotPostgres(target, path.join(outDir, databaseFile));

  const files: BackupFile[] = [];
  const keep = async (relative: string, source: string) => {
    const dest = path.join(outDir, relative);
    await mkdir(path.dirname(dest), { recursive: true });
    await copyFile(source, dest);
    files.push({ path: relative, sha256: await hashFile(dest), size: (await stat(dest)).size });
  };
  files.push({ path: databaseFile, sha256: await hashFile(path.join(outDir, databaseFile)), size: (await stat(path.join(outDir, databaseFile))).size });
  const objects = [...new Set(facts.objects)];
  for (const sha256 of objects) {
    const source = path.join(storageDir, objectRelative(sha256));
    if (!existsSync(source)) throw new BackupError(`stored object ${sha256} is missing from ${storageDir}`);
    await keep(objectRelative(sha256), source);
    if (files.at(-1)!.sha256 !== sha256) throw new BackupError(`stored object ${sha256} does not match its hash`);
  }
  for (const slideId of facts.slides) {
    for (const file of await filesUnder(path.join(storageDir, "slides", slideId))) await keep(path.relative(storageDir, file), file);
  }
  // Anchors written after the snapshot name events the snapshot does not hold.
  if (existsSync(anchorFile) && facts.lastAuditEventId !== null) {
    const { anchors } = parseAnchors(await readFile(anchorFile, "utf8"));
    const kept = anchors.filter((a) => a.eventId <= facts.lastAuditEventId!);
    await writeFile(path.join(outDir, "audit-anchors.jsonl"), kept.map(formatAnchor).join(""));
    files.push({
      path: "audit-anchors.jsonl",
      sha256: await hashFile(path.join(outDir, "audit-anchors.jsonl")),
      size: (await stat(path.join(outDir, "audit-anchors.jsonl"))).size,
    });
  }
  const manifest: BackupManifest = {
    format: FORMAT,
    createdAt: now.toISOString(),
    database: { provider: target.provider, file: databaseFile, ...(target.provider === "postgresql" ? { schema: target.schema } : {}) },
    lastAuditEventId: facts.lastAuditEventId,
    objects: objects.length,
    slides: facts.slides.length,
    files,
  };
  await writeFileDurably(path.join(outDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

async function installationIsEmpty({ target, storageDir }: Installation): Promise<string | null> {
  if ((await filesUnder(path.join(storageDir, "objects"))).length > 0) return `${storageDir} already holds stored files`;
  if (target.provider === "sqlite") {
    if (!existsSync(target.filePath)) return null;
    const db = new Database(target.filePath, { readonly: true });
    try {
      const tables = db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'User'`).get() as { n: number };
      if (tables.n === 0) return null;
      return (db.prepare(`SELECT COUNT(*) AS n FROM "User"`).get() as { n: number }).n > 0 ? `${target.filePath} already holds accounts` : null;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client(postgresPoolConfig(target));
  await client.connect();
  try {
    const tables = await client.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1 LIMIT 1`, [target.schema]);
    return tables.rowCount ? `schema ${target.schema} already holds tables` : null;
  } finally {
    await client.end();
  }
}

/** Brings a backup back into an empty installation; every file's hash is checked before anything is written. */
export async function restoreBackup(installation: Installation, fromDir: string): Promise<BackupManifest> {
  const { target, storageDir, anchorFile } = installation;
  const manifest = JSON.parse(await readFile(path.join(fromDir, MANIFEST_FILE), "utf8")) as BackupManifest;
  if (manifest.format !== FORMAT) throw new BackupError(`${fromDir} is not a backup this version can read`);
  if (manifest.database.provider !== target.provider)
    throw new BackupError(`the backup is of a ${manifest.database.provider} database; DATABASE_URL names ${target.provider}`);
  if (target.provider === "postgresql" && manifest.database.schema !== target.schema)
    throw new BackupError(`the backup is of schema ${manifest.database.schema}; restore it into a schema of that name (in an empty database)`);
  for (const file of manifest.files) {
    const source = path.join(fromDir, file.path);
    if (!existsSync(source) || (await hashFile(source)) !== file.sha256) throw new BackupError(`${file.path} is missing or does not match the manifest`);
  }
  const notEmpty = await installationIsEmpty(installation);
  if (notEmpty) throw new BackupError(`restore needs an empty installation: ${notEmpty}`);

  const databaseSource = path.join(fromDir, manifest.database.file);
  if (target.provider === "sqlite") {
    await mkdir(path.dirname(target.filePath), { recursive: true });
    await copyFile(databaseSource, target.filePath);
    await syncDirectory(path.dirname(target.filePath));
  } else {
    await run("pg_restore", ["--no-owner", "--no-acl", "--exit-on-error", "--dbname", target.connectionString, databaseSource], { maxBuffer: 16 << 20 });
  }
  for (const file of manifest.files) {
    if (file.path === manifest.database.file || file.path === "audit-anchors.jsonl") continue;
    const dest = path.join(storageDir, file.path);
    await mkdir(path.dirname(dest), { recursive: true });
    await copyFile(path.join(fromDir, file.path), dest);
  }
  if (manifest.files.some((f) => f.path === "audit-anchors.jsonl")) {
    await mkdir(path.dirname(anchorFile), { recursive: true });
    await copyFile(path.join(fromDir, "audit-anchors.jsonl"), anchorFile);
  }
  // A backup made by an older version is brought up to this one's schema.
  await migrate(target);
  return manifest;
}
