/**
 * Global setup of an integration project (TEST_DB in its env: sqlite or
 * postgresql): migrates and seeds one template database for the whole run,
 * which setup-database.ts copies for every test file, and removes it at the
 * end. Projects without a database (unit, dicom) have no global setup.
 */
import type { TestProject } from "vitest/node";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { createDb } from "~/platform/db.server";
import { migrate } from "~/platform/migrate.server";
import { seedDemo } from "~/seed/seed.server";
import { dropStaleSqliteFiles, dropTemplate, dropTestSchemas, newTemplate, sealTemplate, type DatabaseKind } from "./test-database";

export default async function setup(project: TestProject) {
  const kind = project.config.env.TEST_DB as DatabaseKind | undefined;
  if (kind !== "sqlite" && kind !== "postgresql") throw new Error(`global-setup.ts needs TEST_DB=sqlite|postgresql in the project's env, not ${kind}`);
  if (kind === "postgresql") await dropTestSchemas();
  else dropStaleSqliteFiles();

  const { template, url } = await newTemplate(kind);
  try {
    const target = resolveDatabaseTarget(url);
    await migrate(target);
    const db = createDb(target);
    try {
      await seedDemo(db);
    } finally {
      await db.$disconnect();
    }
    await sealTemplate(template);
  } catch (error) {
    await dropTemplate(template);
    throw error;
  }
  project.provide("testDatabaseTemplate", template);

  return async () => {
    await dropTemplate(template);
    if (kind === "postgresql") await dropTestSchemas();
  };
}
