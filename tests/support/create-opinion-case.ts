/**
 * For end-to-end tests of opinions, on the database DATABASE_URL names (the
 * e2e server's): a Wuhan lung case the board has discussed, with its summary
 * and two questions, assigned to consultant@demo.test and a third consultant
 * (consultant3@demo.test, created here) but not to consultant2@demo.test.
 * Prints the case's id and code, and the ids of people it must never be
 * delivered to, as JSON.
 */
import { nextCaseCode } from "~/models/case.server";
import { indexCase } from "~/models/search.server";
import { disconnectDb, getDb } from "~/utils/db.server";
import { hashPassword } from "~/utils/password.server";
import { DEMO_PASSWORD } from "../e2e/fixtures";

const db = getDb();
const user = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).id;
const [physician, consultant, coordinator] = await Promise.all(["physician@demo.test", "consultant@demo.test", "coordinator@demo.test"].map(user));
const consultant3 =
  (await db.user.findUnique({ where: { email: "consultant3@demo.test" } }))?.id ??
  (
    await db.user.create({
      data: { email: "consultant3@demo.test", displayName: "Dr. Maria Lopez", passwordHash: await hashPassword(DEMO_PASSWORD), role: "CONSULTANT", institutionId: "demo-pacific", timeZone: "America/New_York", preferredLocale: "en" },
    })
  ).id;

const submittedAt = new Date(Date.now() - 6 * 86_400_000);
const created = await db.case.create({
  data: {
    code: await nextCaseCode(db),
    institutionId: "demo-wuhan",
    createdById: physician,
    status: "DISCUSSED",
    ageAtSubmission: 58,
    sex: "MALE",
    cancerType: "SOLID",
    primarySite: "Right upper lobe",
    histology: "Adenocarcinoma",
    icd10Code: "C34.1",
    submittedAt,
    dueAt: new Date(submittedAt.getTime() + 7 * 86_400_000),
    narratives: {
      create: [
        { key: "clinicalHistory", originalLanguage: "zh-CN", originalText: "男，58岁，右肺上叶腺癌，EGFR 19外显子缺失，伴骨转移。", translationText: "Male, 58, right upper lobe adenocarcinoma, EGFR exon 19 deletion, bone metastases.", translationStatus: "REVIEWED" },
        { key: "question.01", originalLanguage: "zh-CN", originalText: "一线是否推荐奥希替尼单药？", translationText: "Is first-line osimertinib monotherapy recommended?", translationStatus: "REVIEWED" },
        { key: "question.02", originalLanguage: "zh-CN", originalText: "骨转移是否需要局部放疗？", translationText: "Do the bone metastases need local radiotherapy?", translationStatus: "REVIEWED" },
      ],
    },
    assignments: { create: [{ consultantId: consultant, role: "PRIMARY", assignedById: coordinator }, { consultantId: consultant3, role: "SECONDARY", assignedById: coordinator }] },
  },
});
await db.boardSession.create({
  data: {
    title: "Thoracic board (opinion e2e)",
    startsAt: new Date(Date.now() - 2 * 86_400_000),
    durationMinutes: 60,
    timeZone: "Asia/Shanghai",
    chairId: consultant,
    createdById: coordinator,
    status: "ENDED",
    startedAt: new Date(Date.now() - 2 * 86_400_000),
    endedAt: new Date(Date.now() - 2 * 86_400_000 + 3_600_000),
    invitees: { create: [{ userId: consultant, kind: "CHAIR" }, { userId: consultant3, kind: "CONSULTANT" }] },
    agenda: { create: [{ caseId: created.id, position: 0, boardSummary: "The board recommends first-line osimertinib; palliative radiotherapy for painful bone lesions.", summaryById: consultant, discussedAt: new Date() }] },
  },
});
await indexCase(db, created.id);
const outsiders = { coordinator, physician2: await user("physician2@demo.test") };
console.log(JSON.stringify({ caseId: created.id, code: created.code, outsiders }));
await disconnectDb();
