/** `npm run token:create -- --email <user> [--name "PACS bridge"]`: prints a DICOMweb API token once. */
import "~/platform/check-env.server";
import { parseArgs } from "node:util";
import { recordAudit } from "~/features/audit/audit.server";
import { createApiToken } from "~/features/identity/api-tokens.server";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { disconnectDb, getDb } from "~/platform/db.server";
import { migrate } from "~/platform/migrate.server";

const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string", default: "DICOMweb integration" } } });
await migrate(resolveDatabaseTarget());
const db = getDb();
const user = values.email ? await db.user.findUnique({ where: { email: values.email.trim().toLowerCase() } }) : null;
if (!user || !user.active) {
  console.error(`No active account with email ${values.email ?? "(none given)"}.`);
  process.exit(1);
}
if (user.role !== "TREATING_PHYSICIAN" && user.role !== "COORDINATOR") {
  console.error("API tokens are for treating physicians and coordinators.");
  process.exit(1);
}
const token = await createApiToken(db, user.id, values.name);
await recordAudit(db, {
  actor: null,
  action: "apiToken.create",
  outcome: "success",
  entityType: "User",
  entityId: user.id,
  details: { name: values.name, via: "cli" },
});
await disconnectDb();
console.log(`Token for ${user.email} (${values.name}), shown once:\n${token}`);
