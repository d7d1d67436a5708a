/** `npm run audit:verify`: walks the audit hash chain; exits 1 naming the first bad event. */
import "~/platform/check-env.server";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { disconnectDb, getDb } from "~/platform/db.server";

const result = await verifyAuditChain(getDb());
await disconnectDb();
if (result.ok) {
  console.log(`Audit log intact: ${result.count} events verified.`);
} else {
  const why =
    result.break.reason === "hashMismatch"
      ? "its contents do not match its hash (edited)"
      : "it does not follow the event before it (an event was removed or inserted)";
  console.error(`Audit log BROKEN at event #${result.break.eventId}: ${why}. ${result.count} events before it verified.`);
  process.exit(1);
}
