/**
 * For end-to-end tests of the packet's short texts, on the database DATABASE_URL names (the e2e server's): a Wuhan
 * case under review by consultant@demo.test whose histology was typed in Chinese without a code, with a PD-L1 result
 * whose note is in Chinese and whose specimen is in English, on the agenda of a board the consultant chairs. Prints the
 * case's id and code and the board's id as JSON.
 */
import { disconnectDb, getDb } from "~/platform/db.server";
import { boardChairedBy } from "./board";
import { wuhanCaseInReview } from "./opinion-case";

const db = getDb();
const consultant = await db.user.findUniqueOrThrow({ where: { email: "consultant@demo.test" }, select: { id: true } });
const coordinator = await db.user.findUniqueOrThrow({ where: { email: "coordinator@demo.test" }, select: { id: true } });
const created = await wuhanCaseInReview(db, { consultantIds: [consultant.id] });
await db.case.update({
  where: { id: created.id },
  data: {
    icdO3Code: null,
    histology: "浸润性腺癌（腺泡为主型）",
    biomarkers: {
      create: [
        {
          position: 0,
          gene: "PD-L1",
          alterationType: "EXPRESSION",
          method: "IHC",
          resultValue: 60,
          resultUnit: "TPS",
          specimen: "FFPE block",
          note: "22C3抗体",
        },
      ],
    },
  },
});
const board = await boardChairedBy(db, {
  title: `Packet texts ${created.code}`,
  chairId: consultant.id,
  createdById: coordinator.id,
  caseIds: [created.id],
});
console.log(JSON.stringify({ ...created, sessionId: board.id }));
await disconnectDb();
