/** `npm run seed:bulk -- --cases 10000`: synthetic cases for measuring lists on the configured database. */
import "~/platform/check-env.server";
import { parseArgs } from "node:util";
import { disconnectDb, getDb } from "~/platform/db.server";
import { seedBulkCases } from "~/seed/bulk-cases.server";
import { prepareDatabase } from "~/platform/startup.server";

const { values } = parseArgs({ options: { cases: { type: "string", default: "10000" } } });
const count = Number(values.cases);
if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
  console.error("--cases must be a whole number from 1 to 1000000");
  process.exit(1);
}
await prepareDatabase();
const started = performance.now();
await seedBulkCases(getDb(), count);
console.log(`Created ${count} cases in ${Math.round(performance.now() - started)} ms. Total cases: ${await getDb().case.count()}.`);
await disconnectDb();
