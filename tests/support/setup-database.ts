import { afterAll } from "vitest";
import { resolveDatabaseTarget } from "~/utils/database-url.server";
import { disconnectDb, getDb } from "~/utils/db.server";
import { migrate } from "~/utils/migrate.server";
import { seedDemo } from "~/utils/seed.server";
import { freshDatabaseUrl } from "./test-database";

process.env.DATABASE_URL = freshDatabaseUrl();
await migrate(resolveDatabaseTarget());
await seedDemo(getDb());

afterAll(async () => {
  await disconnectDb();
});
