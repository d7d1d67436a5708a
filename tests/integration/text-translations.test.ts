/**
 * The texts that cross sides after the board: a coordinator's return reason,
 * comments, and the follow-up questions and answers of a delivered opinion.
 * Each is translated on its page by whoever the case's or the opinion's
 * abilities allow, shown to each reader in their language (or marked
 * untranslated), and every translation is audited. Nobody else may translate,
 * an interpreter least of all.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { TRANSITIONS } from "~/features/cases/case-lifecycle";
import { emptyOpinion } from "~/features/opinions/opinion-content";
import { caseQuestions, createOpinionDraft, signOpinion } from "~/features/opinions/opinion-store.server";
import { getDb } from "~/platform/db.server";
import * as caseRoute from "~/routes/cases.$caseId._index";
import * as editRoute from "~/routes/cases.$caseId.edit";
import * as opinionRoute from "~/routes/cases.$caseId.opinion";
import { wuhanCaseInReview } from "../support/opinion-case";
import { get, post, run, signIn } from "../support/remix";

type Who = "physician" | "physician2" | "consultant" | "consultant2" | "coordinator" | "interpreter" | "admin";
const cookies = {} as Record<Who, string>;
const ids = {} as Record<Who, string>;

beforeAll(async () => {
  for (const who of ["physician", "physician2", "consultant", "consultant2", "coordinator", "interpreter", "admin"] as Who[]) {
    const email = `${who}@demo.test`;
    ids[who] = (await getDb().user.findUniqueOrThrow({ where: { email } })).id;
    cookies[who] = await signIn(email);
  }
});

const casePage = (caseId: string, who: Who) => run(caseRoute.loader, { request: get(`/cases/${caseId}`, cookies[who]), params: { caseId } });
const caseAct = (caseId: string, who: Who, fields: Record<string, string>) =>
  run(caseRoute.action, { request: post(`/cases/${caseId}`, fields, cookies[who]), params: { caseId } });
const opinionPage = (caseId: string, who: Who) => run(opinionRoute.loader, { request: get(`/cases/${caseId}/opinion`, cookies[who]), params: { caseId } });
const opinionAct = (caseId: string, who: Who, fields: Record<string, string>) =>
  run(opinionRoute.action, { request: post(`/cases/${caseId}/opinion`, fields, cookies[who]), params: { caseId } });
const translate = (subjectType: string, subjectId: string, text: string) => ({
  intent: "translateText",
  subjectType,
  subjectId,
  text,
  key: `${subjectType}:${subjectId}`,
});
const audited = (caseId: string, outcome = "success") =>
  getDb().auditEvent.findMany({ where: { action: "case.translateText", entityId: caseId, outcome }, orderBy: { id: "asc" } });

describe("a return's reason", () => {
  it("reaches the physician marked untranslated, then in Chinese once translated, the English original kept", async () => {
    const { id: caseId } = await wuhanCaseInReview(getDb(), { consultantIds: [ids.consultant], status: "SUBMITTED" });
    const returned = await caseAct(caseId, "coordinator", { intent: "return", reason: "Please add the pathology report." });
    expect(returned.status).toBe(302);
    const before = await casePage(caseId, "physician");
    expect(before.data.returnReason.text).toEqual({ original: "Please add the pathology report.", originalLanguage: "en", translation: null });
    const subjectId = before.data.returnReason.subject.id;

    const empty = await caseAct(caseId, "coordinator", translate("RETURN_REASON", subjectId, "   "));
    expect(empty.status).toBe(400);
    expect(empty.data.result.error).toEqual({ text: ["common:translation.textRequired"] });
    expect(await getDb().textTranslation.count({ where: { caseId } })).toBe(0);

    expect((await caseAct(caseId, "coordinator", translate("RETURN_REASON", subjectId, "请补充病理报告。"))).status).toBe(200);
    const after = await casePage(caseId, "physician");
    expect(after.data.returnReason.text).toMatchObject({
      original: "Please add the pathology report.",
      originalLanguage: "en",
      translation: { text: "请补充病理报告。", byName: "Emily Zhang 张艾米" },
    });
    // The case's history shows the reason, translated the same way.
    const history = (transitions: { id: string; reasonText: unknown }[]) => transitions.find((t) => t.id === subjectId)?.reasonText;
    expect(history(after.data.detail.transitions)).toEqual(after.data.returnReason.text);
    // The packet editor, where the physician acts on the reason, shows it the same way.
    const editor = await run(editRoute.loader, { request: get(`/cases/${caseId}/edit`, cookies.physician), params: { caseId } });
    expect(editor.data.returnReason).toMatchObject({ originalLanguage: "en", translation: { text: "请补充病理报告。" } });
    expect(await getDb().textTranslation.findFirstOrThrow({ where: { caseId } })).toMatchObject({
      subjectType: "RETURN_REASON",
      sourceLanguage: "en",
      sourceDeclared: false,
      language: "zh-CN",
      translatedById: ids.coordinator,
    });
    expect((await audited(caseId)).map((e) => JSON.parse(e.details))).toMatchObject([{ subjectType: "RETURN_REASON", subjectId, language: "zh-CN" }]);
  });

  it("is translated only by those who see the case, and only as a text of that case", async () => {
    const { id: caseId } = await wuhanCaseInReview(getDb(), { consultantIds: [ids.consultant], status: "SUBMITTED" });
    await caseAct(caseId, "coordinator", { intent: "return", reason: "Please add the pathology report." });
    const subjectId = (await casePage(caseId, "physician")).data.returnReason.subject.id;
    for (const who of ["physician2", "interpreter", "admin", "consultant2"] as Who[])
      expect((await caseAct(caseId, who, translate("RETURN_REASON", subjectId, "x"))).status, who).toBe(404);
    // Another case's transition named from this case's page is no text of it.
    const { id: otherCase } = await wuhanCaseInReview(getDb(), { consultantIds: [ids.consultant], status: "SUBMITTED" });
    expect((await caseAct(otherCase, "physician", translate("RETURN_REASON", subjectId, "x"))).status).toBe(404);
    expect((await caseAct(caseId, "physician", translate("COMMENT", subjectId, "x"))).status).toBe(404);
    expect(await getDb().textTranslation.count({ where: { subjectId } })).toBe(0);
  });
});

describe("comments", () => {
  it("keeps the language the writer declared and shows its translation to the other side", async () => {
    const { id: caseId } = await wuhanCaseInReview(getDb(), { consultantIds: [ids.consultant] });
    expect((await caseAct(caseId, "physician", { intent: "comment", body: "EGFR 19外显子缺失，已用奥希替尼。", language: "zh-CN" })).status).toBe(200);
    const comment = await getDb().caseComment.findFirstOrThrow({ where: { caseId } });
    expect((await casePage(caseId, "consultant")).data.detail.comments[0].text).toMatchObject({ originalLanguage: "zh-CN", translation: null });
    expect((await caseAct(caseId, "consultant", translate("COMMENT", comment.id, "EGFR exon 19 deletion, on osimertinib."))).status).toBe(200);
    const read = (await casePage(caseId, "consultant")).data.detail.comments[0].text;
    expect(read).toMatchObject({ originalLanguage: "zh-CN", translation: { text: "EGFR exon 19 deletion, on osimertinib.", byName: "Dr. Sarah Miller" } });
    expect(await getDb().textTranslation.findFirstOrThrow({ where: { subjectId: comment.id } })).toMatchObject({ sourceDeclared: true, language: "en" });
  });
});

/** A Wuhan case whose opinion consultant@demo.test signed and the coordinator delivered to physician@demo.test. */
async function deliveredOpinionCase() {
  const db = getDb();
  const created = await wuhanCaseInReview(db, { consultantIds: [ids.consultant], status: "DISCUSSED" });
  const content = emptyOpinion(await caseQuestions(db, created.id));
  content.diagnosis.en = { diagnosis: { agreement: "AGREE", comment: "" }, stage: { agreement: "AGREE", comment: "" }, comment: "Stage IVA." };
  const draft = await createOpinionDraft(db, { caseId: created.id, version: 1, origin: "SCRATCH", content, createdById: ids.consultant });
  const sections = await db.opinionSection.findMany({ where: { opinionId: draft!.id }, select: { name: true, version: true } });
  const signed = await signOpinion(db, {
    opinionId: draft!.id,
    caseId: created.id,
    userId: ids.consultant,
    reviewedVersions: Object.fromEntries(sections.map((s) => [s.name, s.version])),
    fromStatuses: TRANSITIONS.sign.from,
    now: new Date(),
  });
  if (!signed.ok) throw new Error(`not signed: ${signed.reason}`);
  await db.opinion.update({
    where: { id: draft!.id },
    data: { status: "DELIVERED", deliveredAt: new Date(), deliveredById: ids.coordinator, recipients: { create: [{ userId: ids.physician }] } },
  });
  await db.case.update({ where: { id: created.id }, data: { status: "DELIVERED" } });
  return { caseId: created.id, opinionId: draft!.id };
}

describe("follow-up questions and answers", () => {
  it("are translated by either side: the physician's question into English, the consultant's answer into Chinese", async () => {
    const { caseId, opinionId } = await deliveredOpinionCase();
    expect((await opinionAct(caseId, "physician", { intent: "ask", opinionId, question: "SBRT剂量是否可以调整为40 Gy？" })).status).toBe(200);
    const followUp = await getDb().opinionFollowUp.findFirstOrThrow({ where: { opinionId } });
    const answered = await opinionAct(caseId, "consultant", { intent: "answer", opinionId, followUpId: followUp.id, answer: "Yes, 40 Gy in 5 fractions." });
    expect(answered.status).toBe(200);

    const untranslated = (await opinionPage(caseId, "consultant")).data.versions[0].followUps[0];
    expect(untranslated.questionText).toEqual({ original: "SBRT剂量是否可以调整为40 Gy？", originalLanguage: "zh-CN", translation: null });

    expect((await opinionAct(caseId, "consultant", translate("FOLLOW_UP_QUESTION", followUp.id, "Can the SBRT dose be 40 Gy?"))).status).toBe(200);
    expect((await opinionAct(caseId, "physician", translate("FOLLOW_UP_ANSWER", followUp.id, "可以，40 Gy分5次。"))).status).toBe(200);
    const consultantReads = (await opinionPage(caseId, "consultant")).data.versions[0].followUps[0];
    expect(consultantReads.questionText.translation).toMatchObject({ text: "Can the SBRT dose be 40 Gy?", byName: "Dr. Sarah Miller" });
    const physicianReads = (await opinionPage(caseId, "physician")).data.versions[0].followUps[0];
    expect(physicianReads.answerText).toMatchObject({ originalLanguage: "en", translation: { text: "可以，40 Gy分5次。", byName: "李伟 Li Wei" } });
    expect((await audited(caseId)).map((e) => JSON.parse(e.details).subjectType)).toEqual(["FOLLOW_UP_QUESTION", "FOLLOW_UP_ANSWER"]);
  });

  it("are translated by nobody outside the opinion, and not once the case is archived", async () => {
    const { caseId, opinionId } = await deliveredOpinionCase();
    await opinionAct(caseId, "physician", { intent: "ask", opinionId, question: "SBRT剂量是否可以调整为40 Gy？" });
    const followUp = await getDb().opinionFollowUp.findFirstOrThrow({ where: { opinionId } });
    const attempt = translate("FOLLOW_UP_QUESTION", followUp.id, "x");
    for (const who of ["physician2", "consultant2", "interpreter", "admin"] as Who[]) expect((await opinionAct(caseId, who, attempt)).status, who).toBe(404);
    // An answer that does not exist yet is nothing to translate.
    expect((await opinionAct(caseId, "physician", translate("FOLLOW_UP_ANSWER", followUp.id, "x"))).status).toBe(404);
    await getDb().case.update({ where: { id: caseId }, data: { status: "ARCHIVED" } });
    expect((await opinionAct(caseId, "consultant", attempt)).status).toBe(403);
    expect(await getDb().textTranslation.count({ where: { caseId } })).toBe(0);
  });
});
