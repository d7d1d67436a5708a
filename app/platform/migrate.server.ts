/**
 * Applies the committed SQL migrations under prisma/migrations/<provider>/.
 * `prisma migrate` needs a schema-engine binary that cannot be downloaded here,
 * so this small runner does the job: one transaction per migration, a record
 * of every applied migration with its checksum, and a refusal to start when an
 * applied migration's file has changed or disappeared. On PostgreSQL an
 * advisory lock serialises servers that start at the same time; on SQLite
 * BEGIN IMMEDIATE does the same.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { postgresPoolConfig, type DatabaseTarget } from "./database-url.server";

const MIGRATIONS_ROOT = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));
const MIGRATION_TABLE = "_tumorboard_migrations";
const ADVISORY_LOCK_KEY = 7_345_001;

export type Migration = { name: string; sql: string; checksum: string };
type AppliedMigration = { name: string; checksum: string };

export class MigrationMismatchError extends Error {}

export function loadMigrations(provider: DatabaseTarget["provider"], root = MIGRATIONS_ROOT): Migration[] {
  const dir = path.join(root, provider);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8").replace(/\r\n/g, "\n");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Pure check: which migrations are pending, or why the database does not match the code. */
export function planMigrations(available: Migration[], applied: AppliedMigration[]): Migration[] {
  const byName = new Map(available.map((m) => [m.name, m]));
  for (const done of applied) {
    const file = byName.get(done.name);
    if (!file) throw new MigrationMismatchError(`Migration ${done.name} is applied to the database but missing from prisma/migrations`);
    if (file.checksum !== done.checksum) {
      throw new MigrationMismatchError(`Migration ${done.name} was changed after it was applied (checksum mismatch); add a new migration instead`);
    }
  }
  const appliedNames = new Set(applied.map((m) => m.name));
  return available.filter((m) => !appliedNames.has(m.name));
}

export async function migrate(target: DatabaseTarget, migrations = loadMigrations(target.provider)): Promise<string[]> {
  return target.provider === "sqlite" ? migrateSqlite(target.filePath, migrations) : migratePostgres(target, migrations);
}

function migrateSqlite(filePath: string, migrations: Migration[]): string[] {
  mkdirSync(path.dirname(filePath), { recursive: true });
  const db = new Database(filePath);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 10000");
    db.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATION_TABLE}" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`);
    const appliedNow: string[] = [];
    for (;;) {
      db.exec("BEGIN IMMEDIATE");
      try {
        const applied = db.prepare(`SELECT "name", "checksum" FROM "${MIGRATION_TABLE}"`).all() as AppliedMigration[];
        const [next] = planMigrations(migrations, applied);
        if (!next) {
          db.exec("COMMIT");
          return appliedNow;
        }
        db.exec(next.sql);
        db.prepare(`INSERT INTO "${MIGRATION_TABLE}" ("name", "checksum", "appliedAt") VALUES (?, ?, ?)`).run(
          next.name,
          next.checksum,
          new Date().toISOString(),
        );
        db.exec("COMMIT");
        appliedNow.push(next.name);
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw error;
      }
    }
  } finally {
    db.close();
  }
}

async function migratePostgres(target: Extract<DatabaseTarget, { provider: "postgresql" }>, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client(postgresPoolConfig(target));
  await client.connect();
  try {
    // Lock first: CREATE SCHEMA IF NOT EXISTS itself races between two starters.
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS "${MIGRATION_TABLE}" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL)`,
      );
      const { rows } = await client.query<AppliedMigration>(`SELECT "name", "checksum" FROM "${MIGRATION_TABLE}"`);
      const appliedNow: string[] = [];
      for (const next of planMigrations(migrations, rows)) {
        await client.query("BEGIN");
        try {
          await client.query(next.sql);
          await client.query(`INSERT INTO "${MIGRATION_TABLE}" ("name", "checksum", "appliedAt") VALUES ($1, $2, now())`, [next.name, next.checksum]);
          await client.query("COMMIT");
          appliedNow.push(next.name);
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
      }
      return appliedNow;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
