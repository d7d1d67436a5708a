/**
 * For end-to-end tests of opinions, on the database DATABASE_URL names (the
 * e2e server's): a Wuhan lung case the board has discussed, with its summary
 * and two questions, assigned to consultant@demo.test and a third consultant
 * (consultant3@demo.test) but not to consultant2@demo.test. Prints the case's
 * id and code, and the ids of people it must never be delivered to, as JSON.
 */
import { indexCase } from "~/features/search-reports/search.server";
import { disconnectDb, getDb } from "~/platform/db.server";
import { thirdConsultant, wuhanCaseInReview } from "./opinion-case";

const db = getDb();
const user = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).id;
const consultantIds = [await user("consultant@demo.test"), await thirdConsultant(db)];
const created = await wuhanCaseInReview(db, {
  consultantIds,
  status: "DISCUSSED",
  narratives: [
    {
      key: "clinicalHistory",
      originalText: "男，58岁，右肺上叶腺癌，EGFR 19外显子缺失，伴骨转移。",
      translationText: "Male, 58, right upper lobe adenocarcinoma, EGFR exon 19 deletion, bone metastases.",
    },
    { key: "question.01", originalText: "一线是否推荐奥希替尼单药？", translationText: "Is first-line osimertinib monotherapy recommended?" },
    { key: "question.02", originalText: "骨转移是否需要局部放疗？", translationText: "Do the bone metastases need local radiotherapy?" },
  ],
  boardSummary: "The board recommends first-line osimertinib; palliative radiotherapy for painful bone lesions.",
});
await indexCase(db, created.id);
const outsiders = { coordinator: await user("coordinator@demo.test"), physician2: await user("physician2@demo.test") };
console.log(JSON.stringify({ caseId: created.id, code: created.code, outsiders }));
await disconnectDb();
