import { resolveDatabaseTarget, type DatabaseTarget } from "./database-url.server";
import { getDb } from "./db.server";
import { migrate } from "./migrate.server";
import { demoAccountsBanner, seedDemo } from "./seed.server";
import { log } from "./logger.server";

/**
 * Demo data goes in on the first start of the embedded default database, and
 * whenever SEED_DEMO=1; never in production unless SEED_DEMO=1 says so.
 */
export async function shouldSeedDemo(target: DatabaseTarget, userCount: () => Promise<number>, env = process.env): Promise<boolean> {
  if (env.SEED_DEMO === "1") return true;
  if (env.SEED_DEMO === "0" || env.NODE_ENV === "production" || !target.isDefault) return false;
  return (await userCount()) === 0;
}

/** Brings the database up to date and seeds demo data when due. */
export async function prepareDatabase(env = process.env): Promise<void> {
  const target = resolveDatabaseTarget(env.DATABASE_URL);
  const applied = await migrate(target);
  log("info", "database ready", { provider: target.provider, appliedMigrations: applied });
  const db = getDb();
  if (await shouldSeedDemo(target, () => db.user.count(), env)) {
    const { createdAccounts } = await seedDemo(db);
    if (createdAccounts.length > 0) console.log(`\n${demoAccountsBanner()}\n`);
  }
}
