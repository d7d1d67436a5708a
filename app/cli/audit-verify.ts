/** `npm run audit:verify`: walks the audit hash chain, then checks every anchor of its head; exits 1 naming the first problem. */
import "~/platform/check-env.server";
import { verifyAuditAnchors } from "~/features/audit/audit-anchor.server";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { disconnectDb, getDb } from "~/platform/db.server";

const chain = await verifyAuditChain(getDb());
if (!chain.ok) {
  await disconnectDb();
  const why =
    chain.break.reason === "hashMismatch"
      ? "its contents do not match its hash (edited)"
      : "it does not follow the event before it (an event was removed or inserted)";
  console.error(`Audit log BROKEN at event #${chain.break.eventId}: ${why}. ${chain.count} events before it verified.`);
  process.exit(1);
}
const anchors = await verifyAuditAnchors(getDb(), chain.count);
await disconnectDb();
if (!anchors.ok) {
  const { problem } = anchors;
  const why =
    problem.reason === "anchorFileMissing"
      ? `there is no anchor file at ${anchors.file}, although the log has events (the server writes one every minute; set AUDIT_ANCHOR_FILE if it lives elsewhere)`
      : problem.reason === "anchorUnreadable"
        ? `line ${problem.line} of ${anchors.file} is not an anchor (the file was edited)`
        : problem.reason === "anchoredEventMissing"
          ? `event #${problem.eventId}, anchored at ${problem.at}, is no longer in the database (the newest events were deleted)`
          : `event #${problem.eventId}, anchored at ${problem.at}, has a different hash than when it was anchored (the chain was rewritten)`;
  console.error(`Audit log chain intact (${chain.count} events), but its anchors do not match: ${why}.`);
  process.exit(1);
}
console.log(`Audit log intact: ${chain.count} events verified.`);
console.log(
  anchors.newest
    ? `Anchors match: ${anchors.anchors} checked in ${anchors.file}; the newest names event #${anchors.newest.eventId} at ${anchors.newest.at}.`
    : "No events to anchor yet.",
);
