import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, inject } from "vitest";
import { disconnectDb } from "~/platform/db.server";
import { copyTemplate, dropCopy } from "./test-database";

// Each test file gets its own copy of the database global-setup.ts migrated and seeded (migrations + seedDemo).
const template = inject("testDatabaseTemplate");
const url = await copyTemplate(template);
process.env.DATABASE_URL = url;
process.env.STORAGE_DIR = mkdtempSync(path.join(os.tmpdir(), "tumorboard-storage-"));

afterAll(async () => {
  await disconnectDb();
  await dropCopy(template.kind, url);
});
