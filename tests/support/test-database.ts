import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const TEST_SCHEMA_PREFIX = "tbtest_";

/** A new, empty database for one test file: a temporary SQLite file or a fresh PostgreSQL schema. */
export function freshDatabaseUrl(kind = process.env.TEST_DB ?? "sqlite"): string {
  const suffix = `${process.pid}_${randomBytes(4).toString("hex")}`;
  if (kind === "postgresql") {
    const base = process.env.TEST_POSTGRES_URL;
    if (!base) throw new Error("TEST_POSTGRES_URL is not set");
    const url = new URL(base);
    url.searchParams.set("schema", `${TEST_SCHEMA_PREFIX}${suffix}`);
    return url.toString();
  }
  const dir = path.join(os.tmpdir(), "tumorboard-tests");
  mkdirSync(dir, { recursive: true });
  return `file:${path.join(dir, `${suffix}.db`)}`;
}

/** True while the process that made a test schema (its pid is in the name) is still running: another test run is using it. */
function inUse(schema: string): boolean {
  const pid = Number(/^tbtest_(\d+)_/.exec(schema)?.[1]);
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Drops the schemas PostgreSQL test runs created, except those of test processes still running (a concurrent run on the same server). */
export async function dropTestSchemas(): Promise<void> {
  if (!process.env.TEST_POSTGRES_URL) return;
  const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [`${TEST_SCHEMA_PREFIX}%`]);
    for (const { nspname } of rows) if (!inUse(nspname)) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}
