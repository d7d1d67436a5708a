/** The database the list and search benchmarks measure: DATABASE_URL when given, else the run's own SQLite workspace, with demo data and `cases` synthetic cases. */
import { rmSync } from "node:fs";
import { seedBulkCases } from "~/seed/bulk-cases.server";
import { disconnectDb, getDb } from "~/platform/db.server";
import { prepareDatabase } from "~/platform/startup.server";
import { benchWorkspace } from "./bench-server";

export async function benchDatabase(name: string, cases: number) {
  const given = process.env.DATABASE_URL;
  const work = benchWorkspace(name);
  if (given) process.env.DATABASE_URL = given;
  await prepareDatabase();
  const db = getDb();
  await seedBulkCases(db, cases);
  return {
    db,
    total: await db.case.count(),
    database: given && !given.startsWith("file:") ? "postgresql" : "sqlite",
    close: async () => {
      await disconnectDb();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
