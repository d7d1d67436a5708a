/**
 * For end-to-end tests of notifications, on the database DATABASE_URL names
 * (the e2e server's): a Wuhan case submitted by physician@demo.test and not
 * yet triaged. Prints the case's id and code as JSON.
 */
import { disconnectDb, getDb } from "~/platform/db.server";
import { wuhanCaseInReview } from "./opinion-case";

const created = await wuhanCaseInReview(getDb(), { consultantIds: [], status: "SUBMITTED" });
console.log(JSON.stringify(created));
await disconnectDb();
