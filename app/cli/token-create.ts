/**
 * Prints an API token once.
 *   npm run token:create -- --email <user> [--name "PACS bridge"] [--days 365]
 *     a DICOMweb token acting as a treating physician or coordinator;
 *   npm run token:create -- --gateway --institution <id> --email <administrator> [--name "Main PACS gateway"] [--days 365]
 *     the token of an institution's on-premise gateway (npm run gateway), issued by an administrator.
 */
import "~/platform/check-env.server";
import { parseArgs } from "node:util";
import { recordAudit } from "~/features/audit/audit.server";
import { createApiToken, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from "~/features/identity/api-tokens.server";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { disconnectDb, getDb } from "~/platform/db.server";
import { migrate } from "~/platform/migrate.server";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    gateway: { type: "boolean", default: false },
    institution: { type: "string" },
    days: { type: "string", default: String(DEFAULT_TOKEN_DAYS) },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const days = /^\d+$/.test(values.days) ? Number(values.days) : NaN;
if (!(days >= 1 && days <= MAX_TOKEN_DAYS)) fail(`--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}.`);
await migrate(resolveDatabaseTarget());
const db = getDb();
const user = values.email ? await db.user.findUnique({ where: { email: values.email.trim().toLowerCase() } }) : null;
if (!user || !user.active) fail(`No active account with email ${values.email ?? "(none given)"}.`);

let institutionId: string | undefined;
if (values.gateway) {
  if (user.role !== "ADMIN") fail("Gateway tokens are issued by an administrator: give an administrator's --email.");
  const institution = values.institution ? await db.institution.findUnique({ where: { id: values.institution } }) : null;
  if (!institution || !institution.active || institution.kind !== "TREATING")
    fail(`No active treating institution with id ${values.institution ?? "(none given)"}.`);
  institutionId = institution.id;
} else if (user.role !== "TREATING_PHYSICIAN" && user.role !== "COORDINATOR") {
  fail("DICOMweb tokens are for treating physicians and coordinators.");
}

const scope = values.gateway ? "gateway" : "dicomweb";
const name = values.name ?? (values.gateway ? "On-premise gateway" : "DICOMweb integration");
const token = await createApiToken(db, user.id, name, { scope, institutionId, days });
await recordAudit(db, {
  actor: null,
  action: "apiToken.create",
  outcome: "success",
  entityType: institutionId ? "Institution" : "User",
  entityId: institutionId ?? user.id,
  details: { name, scope, days, issuedBy: user.id, via: "cli" },
});
await disconnectDb();
console.log(`${values.gateway ? `Gateway token for institution ${institutionId}` : `Token for ${user.email}`} (${name}, ${days} days), shown once:\n${token}`);
