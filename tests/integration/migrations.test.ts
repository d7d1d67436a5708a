import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { postgresPoolConfig, resolveDatabaseTarget, type DatabaseTarget } from "~/platform/database-url.server";
import { loadMigrations, migrate, MigrationMismatchError } from "~/platform/migrate.server";
import { freshDatabaseUrl } from "../support/test-database";

const migrationsRoot = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));

async function columnsOf(target: DatabaseTarget, table: string): Promise<string[]> {
  if (target.provider === "sqlite") {
    const db = new Database(target.filePath, { readonly: true });
    try {
      return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client(postgresPoolConfig(target));
  await client.connect();
  try {
    const { rows } = await client.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2",
      [target.schema, table],
    );
    return rows.map((r) => r.column_name);
  } finally {
    await client.end();
  }
}

/** Model name -> scalar field names, read from the schema that generates the clients. */
function scalarColumnsBySchemaModel(): Map<string, string[]> {
  const schema = readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");
  const scalar = /^(String|Int|BigInt|Float|Decimal|Boolean|DateTime|Json|Bytes)\??$/;
  const models = new Map<string, string[]>();
  for (const [, name, body] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const fields = body
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter(([field, type]) => field && !field.startsWith("@@") && !field.startsWith("//") && type && scalar.test(type))
      .map(([field]) => field);
    models.set(name, fields);
  }
  return models;
}

/** Columns a database keeps beside the data model only for its own indexes; the application never reads or writes them. */
const INDEX_ONLY_COLUMNS: Record<string, Record<string, string[]>> = { postgresql: { SearchDocument: ["tokensTsv"] } };

describe("migration runner", () => {
  it("creates every table and column of the Prisma data model", async () => {
    const target = resolveDatabaseTarget();
    const models = scalarColumnsBySchemaModel();
    expect(models.size).toBeGreaterThanOrEqual(6);
    for (const [model, expected] of models) {
      const indexOnly = INDEX_ONLY_COLUMNS[target.provider]?.[model] ?? [];
      expect((await columnsOf(target, model)).sort(), model).toEqual([...expected, ...indexOnly].sort());
    }
  });

  it("is idempotent", async () => {
    expect(await migrate(resolveDatabaseTarget())).toEqual([]);
  });

  it("lets two servers start at once without applying anything twice", async () => {
    const target = resolveDatabaseTarget(freshDatabaseUrl());
    const [a, b] = await Promise.all([migrate(target), migrate(target)]);
    expect([...a, ...b].sort()).toEqual(loadMigrations(target.provider).map((m) => m.name));
  });

  it("refuses to start when an applied migration's file has changed", async () => {
    const target = resolveDatabaseTarget(freshDatabaseUrl());
    const copy = mkdtempSync(path.join(os.tmpdir(), "tb-migrations-"));
    cpSync(migrationsRoot, copy, { recursive: true });
    await migrate(target, loadMigrations(target.provider, copy));
    const file = path.join(copy, target.provider, "0001_foundation", "migration.sql");
    writeFileSync(file, "-- edited after release\n", { flag: "a" });
    await expect(migrate(target, loadMigrations(target.provider, copy))).rejects.toThrow(MigrationMismatchError);
  });

  it("rolls back a migration that fails half-way", async () => {
    const target = resolveDatabaseTarget(freshDatabaseUrl());
    const good = loadMigrations(target.provider);
    const broken = { name: "9999_broken", sql: 'CREATE TABLE "Half" ("id" INTEGER);\nTHIS IS NOT SQL;', checksum: "x" };
    await expect(migrate(target, [...good, broken])).rejects.toThrow();
    expect(await columnsOf(target, "Half")).toEqual([]);
    expect(await migrate(target, good)).toEqual([]);
  });
});
