/** The database the list and search benchmarks measure: DATABASE_URL, or a fresh SQLite file, with demo data and `cases` synthetic cases. */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { seedBulkCases } from "~/utils/bulk-cases.server";
import { disconnectDb, getDb } from "~/utils/db.server";
import { prepareDatabase } from "~/utils/startup.server";

export async function benchDatabase(cases: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tb-bench-"));
  if (!process.env.DATABASE_URL) process.env.DATABASE_URL = `file:${path.join(dir, "bench.db")}`;
  process.env.SEED_DEMO = "1";
  process.env.LOG_LEVEL = "error";
  await prepareDatabase();
  const db = getDb();
  await seedBulkCases(db, cases);
  return {
    db,
    total: await db.case.count(),
    database: process.env.DATABASE_URL.startsWith("file:") ? "sqlite" : "postgresql",
    close: async () => {
      await disconnectDb();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
