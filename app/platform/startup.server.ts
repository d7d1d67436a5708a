/** Brings the database up to date at start: migrations, glossary, search index, demo data when due. */
import { demoSeedDue } from "~/seed/demo-seed-policy";
import { seedGlossary } from "~/features/glossary/glossary.server";
import { reindexAll } from "~/features/search-reports/search.server";
import { resolveDatabaseTarget } from "./database-url.server";
import { env, type RawEnv } from "./env.server";
import { getDb } from "./db.server";
import { log } from "./logger.server";
import { migrate } from "./migrate.server";
import { demoAccountsBanner, seedDemo } from "~/seed/seed.server";

/** Brings the database up to date and seeds demo data when due. */
export async function prepareDatabase(source?: RawEnv): Promise<void> {
  const target = resolveDatabaseTarget(env("DATABASE_URL", source));
  const applied = await migrate(target);
  log("info", "database ready", { provider: target.provider, appliedMigrations: applied });
  const db = getDb();
  const glossaryTerms = await seedGlossary(db);
  if (glossaryTerms > 0) log("info", "glossary loaded", { terms: glossaryTerms });
  // A database that had cases before the search index existed gets its index built once.
  if ((await db.searchDocument.count()) === 0 && (await db.case.count()) > 0) log("info", "search index built", { cases: await reindexAll(db) });
  const due = demoSeedDue({
    seedDemo: env("SEED_DEMO", source),
    nodeEnv: env("NODE_ENV", source),
    isDefaultDatabase: target.isDefault,
    hasUsers: (await db.user.count()) > 0,
  });
  if (due) {
    const { createdAccounts } = await seedDemo(db);
    if (createdAccounts.length > 0) console.log(`\n${demoAccountsBanner()}\n`);
  }
}
