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

/** Drops every schema the PostgreSQL test runs created. */
export async function dropTestSchemas(): Promise<void> {
  if (!process.env.TEST_POSTGRES_URL) return;
  const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [`${TEST_SCHEMA_PREFIX}%`]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}
