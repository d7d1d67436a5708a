/**
 * For end-to-end tests of the delivery panel, on the database DATABASE_URL
 * names (the e2e server's): a Wuhan case whose opinion consultant@demo.test
 * signed with the diagnosis translated and reviewed, but the plan and the
 * answers in English only; with `--deliver`, delivered in English only to
 * physician@demo.test. Prints the case's id and code as JSON.
 */
import { TRANSITIONS } from "~/features/cases/case-lifecycle";
import { emptyOpinion } from "~/features/opinions/opinion-content";
import { caseQuestions, createOpinionDraft, deliverOpinion, setEnglishOnly, signOpinion } from "~/features/opinions/opinion-store.server";
import { disconnectDb, getDb } from "~/platform/db.server";
import { wuhanCaseInReview } from "./opinion-case";

const db = getDb();
const consultant = (await db.user.findUniqueOrThrow({ where: { email: "consultant@demo.test" } })).id;
const created = await wuhanCaseInReview(db, { consultantIds: [consultant], status: "DISCUSSED" });
const content = emptyOpinion(await caseQuestions(db, created.id));
content.diagnosis.en = { diagnosis: { agreement: "AGREE", comment: "" }, stage: { agreement: "AGREE", comment: "" }, comment: "Stage IVA." };
content.diagnosis.zh = { diagnosis: { agreement: "AGREE", comment: "" }, stage: { agreement: "AGREE", comment: "" }, comment: "IVA期。" };
content.diagnosis.translationStatus = "REVIEWED";
content.plan.en = { items: [{ treatment: "Osimertinib", regimen: "80 mg daily", intent: "PALLIATIVE", rationale: "" }], summary: "" };
content.answers.en = { items: content.answers.en.items.map((item) => ({ ...item, answer: "Yes." })) };
const draft = await createOpinionDraft(db, { caseId: created.id, version: 1, origin: "SCRATCH", content, createdById: consultant });
const sections = await db.opinionSection.findMany({ where: { opinionId: draft!.id }, select: { name: true, version: true } });
const signed = await signOpinion(db, {
  opinionId: draft!.id,
  caseId: created.id,
  userId: consultant,
  reviewedVersions: Object.fromEntries(sections.map((s) => [s.name, s.version])),
  fromStatuses: TRANSITIONS.sign.from,
  now: new Date(),
});
if (!signed.ok) throw new Error(`not signed: ${signed.reason}`);
if (process.argv.includes("--deliver")) {
  const [physician, coordinator] = await Promise.all(
    ["physician@demo.test", "coordinator@demo.test"].map(async (email) => (await db.user.findUniqueOrThrow({ where: { email } })).id),
  );
  await setEnglishOnly(db, draft!.id, true, coordinator);
  const delivered = await deliverOpinion(db, { opinionId: draft!.id, caseId: created.id, recipientIds: [physician], userId: coordinator, now: new Date() });
  if (delivered !== "delivered") throw new Error(`not delivered: ${delivered}`);
}
console.log(JSON.stringify({ caseId: created.id, code: created.code }));
await disconnectDb();
