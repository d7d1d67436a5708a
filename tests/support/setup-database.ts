import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { disconnectDb, getDb } from "~/platform/db.server";
import { migrate } from "~/platform/migrate.server";
import { seedDemo } from "~/seed/seed.server";
import { freshDatabaseUrl } from "./test-database";

process.env.DATABASE_URL = freshDatabaseUrl();
process.env.STORAGE_DIR = mkdtempSync(path.join(os.tmpdir(), "tumorboard-storage-"));
await migrate(resolveDatabaseTarget());
await seedDemo(getDb());

afterAll(async () => {
  await disconnectDb();
});
