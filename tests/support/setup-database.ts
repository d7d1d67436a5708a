import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, inject } from "vitest";
import { stopBurnedInOcr } from "~/features/imaging/burned-in/burned-in-ocr.server";
import { disconnectDb } from "~/platform/db.server";
import { copyTemplate, dropCopy } from "./test-database";

// Test files share a worker process (isolate: false), so each starts from the environment the worker began with:
// a variable one file set (a size limit, PUBLIC_URL, SMTP_URL...) never reaches the next.
const started = globalThis as typeof globalThis & { __testBaselineEnv?: Record<string, string | undefined> };
started.__testBaselineEnv ??= { ...process.env };
for (const name of Object.keys(process.env)) if (!(name in started.__testBaselineEnv)) delete process.env[name];
Object.assign(process.env, started.__testBaselineEnv);

// Each test file gets its own copy of the database global-setup.ts migrated and seeded (migrations + seedDemo).
const template = inject("testDatabaseTemplate");
const url = await copyTemplate(template);
process.env.DATABASE_URL = url;
process.env.STORAGE_DIR = mkdtempSync(path.join(os.tmpdir(), "tumorboard-storage-"));

afterAll(async () => {
  // Background OCR of this file's flagged images stops with its database.
  stopBurnedInOcr();
  await disconnectDb();
  await dropCopy(template.kind, url);
});
