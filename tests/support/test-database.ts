import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

export const TEST_SCHEMA_PREFIX = "tbtest_";
/** Databases (PostgreSQL) and files (SQLite) of test runs: a template built once per run and a copy of it per test file. */
const TEMPLATE_PREFIX = "tbtpl_";
const COPY_PREFIX = "tbtest_";
/** Schema of the migrated data inside each PostgreSQL template and copy. */
const COPY_SCHEMA = "tumorboard";
const SQLITE_DIR = path.join(os.tmpdir(), "tumorboard-tests");

export type DatabaseKind = "sqlite" | "postgresql";

/** What globalSetup hands each test file of a project: the migrated and seeded template to copy. */
export type TestDatabaseTemplate = {
  kind: DatabaseKind;
  /** SQLite: the template's file path. PostgreSQL: the template database's name. */
  template: string;
  /** Name prefix of this run's copies, with the pid of the Vitest process that owns them. */
  copyPrefix: string;
};

declare module "vitest" {
  export interface ProvidedContext {
    testDatabaseTemplate: TestDatabaseTemplate;
  }
}

const suffix = (pid = process.pid) => `${pid}_${randomBytes(4).toString("hex")}`;

/** A new, empty database for one test file: a temporary SQLite file or a fresh PostgreSQL schema. */
export function freshDatabaseUrl(kind = process.env.TEST_DB ?? "sqlite"): string {
  if (kind === "postgresql") {
    const url = new URL(adminUrl());
    url.searchParams.set("schema", `${TEST_SCHEMA_PREFIX}${suffix()}`);
    return url.toString();
  }
  mkdirSync(SQLITE_DIR, { recursive: true });
  return `file:${path.join(SQLITE_DIR, `${suffix()}.db`)}`;
}

function adminUrl(): string {
  const base = process.env.TEST_POSTGRES_URL;
  if (!base) throw new Error("TEST_POSTGRES_URL is not set");
  return base;
}

/** The URL of database `name` on the TEST_POSTGRES_URL server, with `schema` first on the search path. */
function postgresUrl(name: string, schema = COPY_SCHEMA): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  url.searchParams.set("schema", schema);
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** True while the process whose pid is in a test database's, schema's or file's name is still running: another test run is using it. */
function inUse(name: string): boolean {
  const pid = Number(/^(?:tbtest_|tbtpl_)(\d+)_/.exec(name)?.[1]);
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Where a template is built before it is migrated and seeded (by the caller,
 * with the app's own migrate() and seedDemo()): a new SQLite file, or a new
 * PostgreSQL database from template0.
 */
export async function newTemplate(kind: DatabaseKind): Promise<{ template: TestDatabaseTemplate; url: string }> {
  const copyPrefix = `${COPY_PREFIX}${process.pid}_`;
  if (kind === "sqlite") {
    mkdirSync(SQLITE_DIR, { recursive: true });
    const file = path.join(SQLITE_DIR, `${TEMPLATE_PREFIX}${suffix()}.db`);
    return { template: { kind, template: file, copyPrefix }, url: `file:${file}` };
  }
  const name = `${TEMPLATE_PREFIX}${suffix()}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE template0`));
  return { template: { kind, template: name, copyPrefix }, url: postgresUrl(name) };
}

/**
 * Makes a built template safe to copy once every connection to it is closed.
 * SQLite: checkpoints the write-ahead log into the file (so one file copy is
 * the whole database) and refuses if a log or other connection remains.
 * PostgreSQL: marks the database as a template that takes no connections, so
 * nothing (autovacuum included) can block or alter a CREATE DATABASE ... TEMPLATE.
 */
export async function sealTemplate({ kind, template }: TestDatabaseTemplate): Promise<void> {
  if (kind === "sqlite") {
    const db = new Database(template);
    try {
      const [result] = db.pragma("wal_checkpoint(TRUNCATE)") as { busy: number; log: number; checkpointed: number }[];
      if (result.busy !== 0) throw new Error(`the SQLite template ${template} is still in use`);
    } finally {
      db.close();
    }
    const wal = `${template}-wal`;
    if (existsSync(wal) && statSync(wal).size > 0) throw new Error(`the SQLite template ${template} still has a write-ahead log`);
    return;
  }
  await withAdmin(async (client) => {
    await client.query(`ALTER DATABASE "${template}" WITH ALLOW_CONNECTIONS false IS_TEMPLATE true`);
    // A server process outlives its client's disconnect by a moment: wait for those of the build to exit.
    for (const until = Date.now() + 10_000; ;) {
      const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [template]);
      if (rows[0].n === 0) break;
      if (Date.now() > until) throw new Error(`the PostgreSQL template ${template} still has ${rows[0].n} connection(s)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

/** A copy of the template for one test file, with exactly the template's content; returns its DATABASE_URL. */
export async function copyTemplate({ kind, template, copyPrefix }: TestDatabaseTemplate): Promise<string> {
  const name = `${copyPrefix}${randomBytes(4).toString("hex")}`;
  if (kind === "sqlite") {
    const file = path.join(SQLITE_DIR, `${name}.db`);
    copyFileSync(template, file);
    return `file:${file}`;
  }
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return postgresUrl(name);
}

/** Removes one copy made by copyTemplate, once its test file is done with it. */
export async function dropCopy(kind: DatabaseKind, url: string): Promise<void> {
  if (kind === "sqlite") {
    const file = url.slice("file:".length);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    return;
  }
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name.startsWith(COPY_PREFIX)) throw new Error(`not a test database: ${name}`);
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Drops a template and any copies of it still left (named with this run's prefix). */
export async function dropTemplate({ kind, template, copyPrefix }: TestDatabaseTemplate): Promise<void> {
  if (kind === "sqlite") {
    for (const f of readdirSync(SQLITE_DIR))
      if (f.startsWith(copyPrefix) || f.startsWith(path.basename(template))) rmSync(path.join(SQLITE_DIR, f), { force: true });
    return;
  }
  await withAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [copyPrefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await dropPostgresTemplate(client, template);
  });
}

async function dropPostgresTemplate(client: pg.Client, name: string) {
  await client.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE false`);
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Removes SQLite templates and copies left by test runs that are no longer running (a run killed half-way). */
export function dropStaleSqliteFiles(): void {
  if (!existsSync(SQLITE_DIR)) return;
  for (const f of readdirSync(SQLITE_DIR)) if (/^(tbtpl_|tbtest_)\d+_/.test(f) && !inUse(f)) rmSync(path.join(SQLITE_DIR, f), { force: true });
}

/**
 * Drops the schemas, template databases and copies that PostgreSQL test runs
 * created, except those of test processes still running (a concurrent run on
 * the same server).
 */
export async function dropTestSchemas(): Promise<void> {
  if (!process.env.TEST_POSTGRES_URL) return;
  await withAdmin(async (client) => {
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [`${TEST_SCHEMA_PREFIX}%`]);
    for (const { nspname } of rows) if (!inUse(nspname)) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
    const databases = await client.query<{ datname: string; datistemplate: boolean }>(
      "SELECT datname, datistemplate FROM pg_database WHERE starts_with(datname, $1) OR starts_with(datname, $2)",
      [COPY_PREFIX, TEMPLATE_PREFIX],
    );
    for (const { datname } of databases.rows) {
      if (inUse(datname) || !/^(tbtest_|tbtpl_)\d+_[0-9a-f]+$/.test(datname)) continue;
      await dropPostgresTemplate(client, datname);
    }
  });
}
