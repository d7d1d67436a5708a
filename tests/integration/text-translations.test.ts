/**
 * The texts that cross sides after the board: a coordinator's return reason,
 * comments, the follow-up questions and answers of a delivered opinion, and the
 * packet's short free texts (a biomarker's note, an uncoded histology...).
 * Each is translated on its page by whoever the case's or the opinion's
 * abilities allow, shown to each reader in their language (or marked
 * untranslated), and every translation is audited. Nobody else may translate,
 * an interpreter least of all.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { TRANSITIONS } from "~/features/cases/case-lifecycle";
import { shownLabel, shownTo } from "~/features/cases/clinical-value";
import { packetTextSubject, packetTranslation } from "~/features/cases/packet-texts";
import { emptyOpinion } from "~/features/opinions/opinion-content";
import { caseQuestions, createOpinionDraft, signOpinion } from "~/features/opinions/opinion-store.server";
import { getDb } from "~/platform/db.server";
import * as assignRoute from "~/routes/cases.$caseId.assign";
import * as caseRoute from "~/routes/cases.$caseId._index";
import * as editRoute from "~/routes/cases.$caseId.edit";
import * as opinionRoute from "~/routes/cases.$caseId.opinion";
import * as newCase from "~/routes/cases.new";
import * as queue from "~/routes/queue";
import { FIRST_ENTRY, packetForm } from "../support/case-packet";
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

describe("the packet's short free texts", () => {
  const CHINESE_PACKET = packetForm({
    icdO3Code: "",
    histology: "浸润性腺癌（腺泡为主型）",
    "biomarkers[0].specimenType": "TISSUE_BIOPSY",
    "biomarkers[0].specimen": "右肺穿刺组织",
    "biomarkers[0].note": "22C3抗体",
    "treatmentLines[0].stopReason": "PROGRESSION",
    "treatmentLines[0].reasonStopped": "新发肝转移",
  });
  const version = async (caseId: string) => String((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).version);
  const save = async (caseId: string, fields: Record<string, string | string[]>) =>
    run(editRoute.action, { request: post(`/cases/${caseId}/edit`, { ...fields, version: await version(caseId) }, cookies.physician), params: { caseId } });

  /** Entered in Chinese by physician@demo.test, submitted and assigned to consultant@demo.test. */
  async function chinesePacketCase() {
    const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, cookies.physician) });
    const caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location") ?? "")![1];
    expect((await save(caseId, { ...CHINESE_PACKET, intent: "submit" })).status).toBe(302);
    const assigned = await run(assignRoute.action, {
      request: post(`/cases/${caseId}/assign`, { primaryId: ids.consultant, dueDate: "2030-01-15" }, cookies.coordinator),
      params: { caseId },
    });
    expect(assigned.status).toBe(302);
    const stored = await getDb().case.findUniqueOrThrow({ where: { id: caseId }, include: { biomarkers: true, treatmentLines: true } });
    return { caseId, code: stored.code, biomarkerId: stored.biomarkers[0].id, lineId: stored.treatmentLines[0].id };
  }
  const translations = async (caseId: string, who: Who) => (await casePage(caseId, who)).data.detail;

  it("are translated by the English consultant and read by each side in their language, in the queue too", async () => {
    const { caseId, code, biomarkerId } = await chinesePacketCase();
    const note = packetTextSubject(biomarkerId, "note");
    const before = await translations(caseId, "consultant");
    expect(shownLabel(null, before.biomarkers[0].note, "en", packetTranslation(before.packetTranslations, biomarkerId, "note"))).toMatchObject({
      first: "22C3抗体",
      untranslated: true,
    });

    expect((await caseAct(caseId, "consultant", translate(note.type, note.id, "22C3 antibody"))).status).toBe(200);
    const histology = packetTextSubject(caseId, "histology");
    expect((await caseAct(caseId, "consultant", translate(histology.type, histology.id, "Invasive adenocarcinoma, acinar predominant"))).status).toBe(200);

    const english = await translations(caseId, "consultant");
    const noteTranslation = packetTranslation(english.packetTranslations, biomarkerId, "note");
    expect(shownLabel(null, english.biomarkers[0].note, "en", noteTranslation)).toMatchObject({
      first: "22C3 antibody",
      translatedBy: { byName: "Dr. Sarah Miller" },
      original: { text: "22C3抗体", language: "zh-CN" },
    });
    expect(shownTo(english.histologyValue, "en")).toMatchObject({
      first: "Invasive adenocarcinoma, acinar predominant",
      original: { text: "浸润性腺癌（腺泡为主型）" },
    });
    // The physician reads the Chinese as written.
    const chinese = await translations(caseId, "physician");
    expect(shownTo(chinese.histologyValue, "zh-CN")).toMatchObject({ first: "浸润性腺癌（腺泡为主型）", untranslated: false, translatedBy: null });

    const list = (await run(queue.loader, { request: get(`/queue?q=${encodeURIComponent(code)}`, cookies.consultant) })).data.list;
    const row = list.rows.find((r: { id: string }) => r.id === caseId);
    expect(shownTo(row.histology, "en")).toMatchObject({ first: "Invasive adenocarcinoma, acinar predominant", translatedBy: { byName: "Dr. Sarah Miller" } });

    expect(await getDb().textTranslation.findFirstOrThrow({ where: { subjectId: note.id } })).toMatchObject({
      subjectType: "PACKET_FIELD",
      sourceLanguage: "zh-CN",
      language: "en",
      translatedById: ids.consultant,
    });
    expect((await audited(caseId)).map((e) => JSON.parse(e.details))).toMatchObject([
      { subjectType: "PACKET_FIELD", subjectId: note.id, language: "en" },
      { subjectType: "PACKET_FIELD", subjectId: histology.id, language: "en" },
    ]);
  });

  it("are translated by nobody who may not translate the case, nor as a text of another case; refusals are audited", async () => {
    const { caseId, biomarkerId } = await chinesePacketCase();
    const note = packetTextSubject(biomarkerId, "note");
    for (const who of ["physician2", "consultant2", "interpreter", "admin"] as Who[])
      expect((await caseAct(caseId, who, translate(note.type, note.id, "x"))).status, who).toBe(404);
    // This case's biomarker named from another case, a field that holds nothing, a field that is no short text.
    const { caseId: otherCase } = await chinesePacketCase();
    expect((await caseAct(otherCase, "consultant", translate(note.type, note.id, "x"))).status).toBe(404);
    expect((await caseAct(caseId, "consultant", translate("PACKET_FIELD", `${caseId}.urgencyReason`, "x"))).status).toBe(404);
    expect((await caseAct(caseId, "consultant", translate("PACKET_FIELD", `${caseId}.clinicalHistory`, "x"))).status).toBe(404);
    // Once archived the case is read-only: seen, not translated.
    await getDb().case.update({ where: { id: caseId }, data: { status: "ARCHIVED" } });
    const refused = await caseAct(caseId, "consultant", translate(note.type, note.id, "22C3 antibody"));
    expect(refused.status).toBe(403);
    expect(refused.data.result.error).toEqual({ "": ["common:translation.notAllowed"] });
    expect((await audited(caseId, "denied")).map((e) => JSON.parse(e.details))).toMatchObject([{ subjectType: "PACKET_FIELD", subjectId: note.id }]);
    expect(await getDb().textTranslation.count({ where: { caseId: { in: [caseId, otherCase] } } })).toBe(0);
  });

  it("stop counting once their original changes, and follow unchanged texts through the physician's next save", async () => {
    const { caseId, biomarkerId } = await chinesePacketCase();
    const note = packetTextSubject(biomarkerId, "note");
    const specimen = packetTextSubject(biomarkerId, "specimen");
    const histology = packetTextSubject(caseId, "histology");
    for (const [subject, text] of [
      [note, "22C3 antibody"],
      [specimen, "Right lung core biopsy"],
      [histology, "Invasive adenocarcinoma, acinar predominant"],
    ] as const)
      expect((await caseAct(caseId, "consultant", translate(subject.type, subject.id, text))).status).toBe(200);

    expect((await caseAct(caseId, "coordinator", { intent: "return", reason: "请补充PD-L1检测抗体克隆号。" })).status).toBe(302);
    const changed = { ...CHINESE_PACKET, "biomarkers[0].note": "SP263抗体", histology: "浸润性腺癌（实体为主型）", intent: "save" };
    expect((await save(caseId, changed)).status).toBe(200);

    const detail = await translations(caseId, "consultant");
    const newBiomarker = detail.biomarkers[0].id;
    expect(newBiomarker).not.toBe(biomarkerId);
    expect(shownLabel(null, detail.biomarkers[0].note, "en", packetTranslation(detail.packetTranslations, newBiomarker, "note"))).toMatchObject({
      first: "SP263抗体",
      untranslated: true,
    });
    expect(shownTo(detail.histologyValue, "en")).toMatchObject({ first: "浸润性腺癌（实体为主型）", untranslated: true, translatedBy: null });
    // The specimen, unchanged, keeps its translation on the biomarker's new row; the changed note's went with the old row.
    expect(packetTranslation(detail.packetTranslations, newBiomarker, "specimen")).toMatchObject({ text: "Right lung core biopsy" });
    expect(await getDb().textTranslation.findMany({ where: { caseId }, select: { subjectId: true }, orderBy: { subjectId: "asc" } })).toEqual(
      [{ subjectId: `${newBiomarker}.specimen` }, { subjectId: histology.id }].sort((a, b) => a.subjectId.localeCompare(b.subjectId)),
    );

    // The histology as it was is translated again as soon as it is back.
    expect((await save(caseId, { ...changed, histology: CHINESE_PACKET.histology })).status).toBe(200);
    expect(shownTo((await translations(caseId, "consultant")).histologyValue, "en")?.first).toBe("Invasive adenocarcinoma, acinar predominant");
  });
});
