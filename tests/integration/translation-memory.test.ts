/**
 * The translation editor's server side: the glossary check refuses a save that misses a glossary rendering (keeping
 * the text) until each term is accepted, recording who and when; reviewed translations go into the translation
 * memory, which suggests them, with their match, only within the institution and the translator's own cases.
 */
import { describe, expect, it } from "vitest";
import * as caseRoute from "~/routes/cases.$caseId._index";
import { getDb } from "~/platform/db.server";
import { wuhanCaseInReview } from "../support/opinion-case";
import { get, post, run, signIn } from "../support/remix";

const person = async (email: string) => (await getDb().user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id;
const termId = async (en: string) => (await getDb().glossaryTerm.findUniqueOrThrow({ where: { en } })).id;

function translate(caseId: string, cookie: string, fields: Record<string, string | string[]>) {
  return run(caseRoute.action, { request: post(`/cases/${caseId}`, { intent: "translate", status: "REVIEWED", ...fields }, cookie), params: { caseId } });
}

async function aidOf(caseId: string, cookie: string, key: string) {
  const page = await run(caseRoute.loader, { request: get(`/cases/${caseId}`, cookie), params: { caseId } });
  expect(page.status).toBe(200);
  return page.data.translationAids[key];
}

const narrative = (caseId: string, key: string) => getDb().narrativeField.findUniqueOrThrow({ where: { caseId_key: { caseId, key } } });

describe("the glossary check of a translation", () => {
  it("refuses a planted wrong drug name, keeping the text and saving nothing, until the term is accepted anyway", async () => {
    const coordinator = await signIn("coordinator@demo.test");
    const source = "Progression on osimertinib after 26 months; RET fusion found, selpercatinib is proposed.";
    const { id: caseId } = await wuhanCaseInReview(getDb(), {
      consultantIds: [await person("consultant@demo.test")],
      narratives: [{ key: "clinicalHistory", originalLanguage: "en", originalText: source }],
    });
    const aid = await aidOf(caseId, coordinator, "clinicalHistory");
    expect(aid.terms.map((t: { en: string; zh: string }) => [t.en, t.zh])).toEqual(
      expect.arrayContaining([
        ["osimertinib", "奥希替尼"],
        ["selpercatinib", "塞普替尼"],
      ]),
    );
    expect(source.slice(aid.occurrences[0].start, aid.occurrences[0].end)).toBe("osimertinib");

    const planted = "奥西替尼治疗26个月后进展；发现RET融合，建议塞普替尼。";
    const refused = await translate(caseId, coordinator, { key: "clinicalHistory", text: planted });
    expect(refused.status).toBe(400);
    expect(refused.data.error).toBe("cases:translation.glossaryMismatch");
    expect(refused.data.result.initialValue.text).toBe(planted);
    expect(await narrative(caseId, "clinicalHistory")).toMatchObject({ translationText: null, translationStatus: "NONE" });

    const unrelated = await translate(caseId, coordinator, { key: "clinicalHistory", text: planted, acceptTerm: [await termId("selpercatinib")] });
    expect(unrelated.data.error).toBe("cases:translation.glossaryMismatch");

    const osimertinib = await termId("osimertinib");
    const saved = await translate(caseId, coordinator, { key: "clinicalHistory", text: planted, acceptTerm: [osimertinib, await termId("savolitinib")] });
    expect(saved.status).toBe(200);
    expect(saved.data.error).toBeNull();
    expect(await narrative(caseId, "clinicalHistory")).toMatchObject({ translationText: planted, translationStatus: "REVIEWED" });
    const acceptances = await getDb().glossaryTermAcceptance.findMany({ where: { caseId } });
    expect(acceptances).toEqual([
      expect.objectContaining({ narrativeKey: "clinicalHistory", termId: osimertinib, acceptedById: await person("coordinator@demo.test") }),
    ]);
    expect(Date.now() - acceptances[0].acceptedAt.getTime()).toBeLessThan(60_000);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { entityId: caseId, action: "case.translate" } });
    expect(JSON.parse(audit.details)).toMatchObject({ key: "clinicalHistory", status: "REVIEWED", acceptedTerms: ["osimertinib"] });

    const after = await aidOf(caseId, coordinator, "clinicalHistory");
    expect(after.accepted).toEqual([{ termId: osimertinib, by: "Emily Zhang 张艾米", at: acceptances[0].acceptedAt }]);
  });

  it("saves the glossary's rendering without any acceptance", async () => {
    const coordinator = await signIn("coordinator@demo.test");
    const { id: caseId } = await wuhanCaseInReview(getDb(), {
      consultantIds: [],
      narratives: [{ key: "question.01", originalText: "下一步是否推荐塞普替尼？" }],
    });
    const saved = await translate(caseId, coordinator, { key: "question.01", text: "Is selpercatinib recommended next?", status: "DRAFT" });
    expect(saved.data.error).toBeNull();
    expect(await getDb().glossaryTermAcceptance.count({ where: { caseId } })).toBe(0);
  });
});

describe("the translation memory", () => {
  const brain = "脑转移目前稳定，是否需要局部放疗？";
  const liver = "肝转移目前稳定，是否需要局部放疗？";
  const english = "The brain metastases are stable: is local radiotherapy needed?";

  it("keeps reviewed translations sentence by sentence, and drafts not at all", async () => {
    const coordinator = await signIn("coordinator@demo.test");
    const { id: caseId } = await wuhanCaseInReview(getDb(), {
      consultantIds: [],
      narratives: [
        { key: "clinicalHistory", originalText: "右肺上叶腺癌。骨转移。" },
        { key: "question.01", originalText: brain },
      ],
    });
    expect((await translate(caseId, coordinator, { key: "question.01", text: english, status: "DRAFT" })).data.error).toBeNull();
    expect(await getDb().translationMemorySegment.count({ where: { caseId } })).toBe(0);

    const history = "Right upper lobe adenocarcinoma. Bone metastasis.";
    expect((await translate(caseId, coordinator, { key: "clinicalHistory", text: history })).data.error).toBeNull();
    const segments = await getDb().translationMemorySegment.findMany({ where: { caseId }, orderBy: { sourceText: "asc" } });
    expect(segments.map((s) => [s.sourceLanguage, s.sourceText, s.targetText, s.specific])).toEqual([
      ["zh-CN", "右肺上叶腺癌。", "Right upper lobe adenocarcinoma.", false],
      ["zh-CN", "骨转移。", "Bone metastasis.", false],
    ]);
  });

  it("suggests a close match with its percentage to a translator who may read the source case at the same institution, and audits the read", async () => {
    const coordinator = await signIn("coordinator@demo.test");
    const consultant = await signIn("consultant@demo.test");
    const source = await wuhanCaseInReview(getDb(), { consultantIds: [], narratives: [{ key: "question.01", originalText: brain }] });
    expect((await translate(source.id, coordinator, { key: "question.01", text: english })).data.error).toBeNull();

    const target = await wuhanCaseInReview(getDb(), {
      consultantIds: [await person("consultant@demo.test")],
      narratives: [{ key: "question.01", originalText: liver }],
    });
    expect((await aidOf(target.id, coordinator, "question.01")).suggestion).toEqual({ text: english, match: 94 });
    const read = await getDb().auditEvent.findFirstOrThrow({ where: { entityId: source.id, action: "case.translationMemory" } });
    expect(JSON.parse(read.details)).toMatchObject({ forCaseId: target.id, narrativeKey: "question.01" });

    // The consultant translates the target case but may not read the source case: nothing from it.
    expect((await aidOf(target.id, consultant, "question.01")).suggestion).toBeNull();

    // Another hospital's case with the very same text gets nothing from Wuhan.
    const hangzhou = await wuhanCaseInReview(getDb(), {
      consultantIds: [],
      institutionId: "demo-hangzhou",
      narratives: [{ key: "question.01", originalText: brain }],
    });
    expect((await aidOf(hangzhou.id, coordinator, "question.01")).suggestion).toBeNull();
  });

  it("offers a segment with digits only for an identical original", async () => {
    const coordinator = await signIn("coordinator@demo.test");
    const dated = "2024年5月确诊左肺下叶腺癌。";
    const source = await wuhanCaseInReview(getDb(), { consultantIds: [], narratives: [{ key: "clinicalHistory", originalText: dated }] });
    expect(
      (await translate(source.id, coordinator, { key: "clinicalHistory", text: "Left lower lobe adenocarcinoma diagnosed in May 2024." })).data.error,
    ).toBeNull();

    const close = await wuhanCaseInReview(getDb(), {
      consultantIds: [],
      narratives: [{ key: "clinicalHistory", originalText: "2024年6月确诊左肺下叶腺癌。" }],
    });
    expect((await aidOf(close.id, coordinator, "clinicalHistory")).suggestion).toBeNull();
    const same = await wuhanCaseInReview(getDb(), { consultantIds: [], narratives: [{ key: "clinicalHistory", originalText: dated }] });
    expect((await aidOf(same.id, coordinator, "clinicalHistory")).suggestion).toEqual({
      text: "Left lower lobe adenocarcinoma diagnosed in May 2024.",
      match: 100,
    });
  });

  it("saves an unchanged suggestion only once the translator accepts it as it is", async () => {
    const coordinator = await signIn("coordinator@demo.test");
    const fields = { key: "question.01", text: english, memorySuggestion: english };
    const { id: caseId } = await wuhanCaseInReview(getDb(), { consultantIds: [], narratives: [{ key: "question.01", originalText: brain }] });
    const unchecked = await translate(caseId, coordinator, fields);
    expect(unchecked.status).toBe(400);
    expect(unchecked.data.result.error.text).toEqual(["cases:translation.memoryUnchecked"]);
    expect((await narrative(caseId, "question.01")).translationText).toBeNull();
    expect((await translate(caseId, coordinator, { ...fields, memorySuggestionAccepted: "on" })).data.error).toBeNull();
    expect((await translate(caseId, coordinator, { ...fields, text: `${english} Yes.` })).data.error).toBeNull();
  });
});

describe("the short texts that cross sides (a comment here)", () => {
  const QUESTION = "奥希替尼耐药后是否考虑塞普替尼？";
  const comment = async (caseId: string, physician: string) => {
    const posted = await run(caseRoute.action, {
      request: post(`/cases/${caseId}`, { intent: "comment", body: QUESTION, language: "zh-CN" }, physician),
      params: { caseId },
    });
    expect(posted.status).toBe(200);
    return (await getDb().caseComment.findFirstOrThrow({ where: { caseId } })).id;
  };
  const translateText = (caseId: string, cookie: string, commentId: string, fields: Record<string, string | string[]>) =>
    run(caseRoute.action, {
      request: post(
        `/cases/${caseId}`,
        { intent: "translateText", subjectType: "COMMENT", subjectId: commentId, key: `COMMENT:${commentId}`, ...fields },
        cookie,
      ),
      params: { caseId },
    });
  const textAidOf = async (caseId: string, cookie: string, commentId: string) =>
    (await run(caseRoute.loader, { request: get(`/cases/${caseId}`, cookie), params: { caseId } })).data.textTranslationAids[`COMMENT:${commentId}`];

  it("are checked against the glossary as narratives are, and their translations are suggested by the memory", async () => {
    const [physician, consultant] = await Promise.all([signIn("physician@demo.test"), signIn("consultant@demo.test")]);
    const consultantIds = [await person("consultant@demo.test")];
    const { id: caseId } = await wuhanCaseInReview(getDb(), { consultantIds });
    const commentId = await comment(caseId, physician);
    const aid = await textAidOf(caseId, consultant, commentId);
    expect(aid.terms.map((t: { en: string }) => t.en)).toEqual(expect.arrayContaining(["osimertinib", "selpercatinib"]));
    expect(aid.suggestion).toBeNull();

    const planted = "After resistance to osimertinib, should savolitinib be considered?";
    const refused = await translateText(caseId, consultant, commentId, { text: planted });
    expect(refused.status).toBe(400);
    expect(refused.data.error).toBe("cases:translation.glossaryMismatch");
    expect(await getDb().textTranslation.count({ where: { caseId } })).toBe(0);

    const selpercatinib = await termId("selpercatinib");
    expect((await translateText(caseId, consultant, commentId, { text: planted, acceptTerm: [selpercatinib] })).status).toBe(200);
    expect(await getDb().textTranslation.findFirstOrThrow({ where: { caseId } })).toMatchObject({ text: planted, language: "en" });
    expect(await getDb().glossaryTermAcceptance.findMany({ where: { caseId } })).toEqual([
      expect.objectContaining({ narrativeKey: `COMMENT:${commentId}`, termId: selpercatinib, acceptedById: consultantIds[0] }),
    ]);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { entityId: caseId, action: "case.translateText" } });
    expect(JSON.parse(audit.details)).toMatchObject({ subjectType: "COMMENT", acceptedTerms: ["selpercatinib"], memorySegments: 1 });
    expect((await textAidOf(caseId, consultant, commentId)).accepted).toEqual([expect.objectContaining({ termId: selpercatinib, by: "Dr. Sarah Miller" })]);

    // The same question on another case of the hospital: the editor starts from the earlier translation, a 100 % match.
    const { id: otherCase } = await wuhanCaseInReview(getDb(), { consultantIds });
    const otherComment = await comment(otherCase, physician);
    expect((await textAidOf(otherCase, consultant, otherComment)).suggestion).toEqual({ text: planted, match: 100 });
    // Saved unchanged, the suggestion must have been checked.
    const unchecked = await translateText(otherCase, consultant, otherComment, { text: planted, memorySuggestion: planted, acceptTerm: [selpercatinib] });
    expect(unchecked.status).toBe(400);
    expect(unchecked.data.result.error).toEqual({ text: ["cases:translation.memoryUnchecked"] });
  });

  it("save the glossary's rendering without any acceptance", async () => {
    const [physician, consultant] = await Promise.all([signIn("physician@demo.test"), signIn("consultant@demo.test")]);
    const { id: caseId } = await wuhanCaseInReview(getDb(), { consultantIds: [await person("consultant@demo.test")] });
    const commentId = await comment(caseId, physician);
    const saved = await translateText(caseId, consultant, commentId, { text: "After resistance to osimertinib, should selpercatinib be considered?" });
    expect(saved.status).toBe(200);
    expect(await getDb().glossaryTermAcceptance.count({ where: { caseId } })).toBe(0);
  });
});
