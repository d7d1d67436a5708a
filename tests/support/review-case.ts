/** A case as the imaging tests need it: started by the demo physician, then under review by the demo consultant. */
import { getDb } from "~/platform/db.server";
import * as newCase from "~/routes/cases.new";
import { FIRST_ENTRY } from "./case-packet";
import { post, run, signIn } from "./remix";

/** A new case of physician@demo.test, in review and assigned to consultant@demo.test by coordinator@demo.test. */
export async function caseUnderReview() {
  const physician = await signIn("physician@demo.test");
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, physician) });
  const caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
  const db = getDb();
  const [consultant, coordinator] = await Promise.all(
    ["consultant@demo.test", "coordinator@demo.test"].map((email) => db.user.findUniqueOrThrow({ where: { email } })),
  );
  await db.case.update({ where: { id: caseId }, data: { status: "IN_REVIEW" } });
  await db.caseAssignment.create({ data: { caseId, consultantId: consultant.id, role: "PRIMARY", assignedById: coordinator.id } });
  return { caseId, consultant, physician };
}
