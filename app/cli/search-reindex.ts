/** `npm run search:reindex`: rebuilds the search documents of every case and its signed opinions (after an upgrade, or to repair the index). */
import "~/platform/check-env.server";
import { reindexAll } from "~/features/search-reports/search.server";
import { recordAudit } from "~/features/audit/audit.server";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { disconnectDb, getDb } from "~/platform/db.server";
import { migrate } from "~/platform/migrate.server";

await migrate(resolveDatabaseTarget());
const db = getDb();
const started = Date.now();
const cases = await reindexAll(db, (done, total) => {
  if (done % 500 === 0 || done === total) console.log(`${done}/${total} cases indexed`);
});
await recordAudit(db, { actor: null, action: "system.searchReindex", outcome: "success", details: { cases } });
await disconnectDb();
console.log(`Search index rebuilt: ${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
