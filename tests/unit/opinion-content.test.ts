import { describe, expect, it } from "vitest";
import {
  draftFromBoard,
  emptyOpinion,
  isTrialId,
  OpinionContentSchema,
  PlanItemSchema,
  questionsOf,
  SECTION_SCHEMAS,
  TrialOptionSchema,
  type OpinionContent,
} from "~/features/opinions/opinion-content";
import { deliveryProblems, signingProblems } from "~/features/opinions/opinion-rules";
import { withReviewedCopies } from "../support/opinion-content";

const questions = [
  { key: "question.01", text: "下一步是否推荐赛沃替尼？" },
  { key: "question.02", text: "是否需要再次活检？" },
];
const narratives = [{ key: "clinicalHistory", text: "2025年3月因咳嗽就诊" }, ...questions];

/** A complete opinion, ready to sign, with reviewed Chinese translations. */
function complete(): OpinionContent {
  const o = emptyOpinion(questions);
  o.diagnosis.en = { diagnosis: { agreement: "AGREE", comment: "" }, stage: { agreement: "DISAGREE", comment: "Brain MRI shows M1c." }, comment: "" };
  o.plan.en = {
    summary: "",
    items: [
      {
        treatment: "Targeted therapy",
        regimen: "savolitinib 600 mg daily",
        intent: "PALLIATIVE",
        priority: 1,
        evidence: { system: "ESCAT", level: "I-B" },
        rationale: "",
      },
    ],
  };
  o.workup.en = { items: ["Brain MRI"] };
  o.trials.en = { items: [{ description: "MET inhibitor trial", registryId: "NCT04923945" }] };
  o.references.en = { items: [{ source: "NCCN", version: "2025.v3", section: "NSCL-J" }] };
  o.dissent.en = { items: [] };
  o.answers.en = {
    items: [
      { questionKey: "question.01", answer: "Yes." },
      { questionKey: "question.02", answer: "Not now." },
    ],
  };
  withReviewedCopies(o);
  o.plan.zh!.items[0].treatment = "靶向治疗";
  o.answers.zh!.items[0].answer = "是。";
  return OpinionContentSchema.parse(o);
}

describe("opinion content schema", () => {
  it("parses a complete opinion and keeps it unchanged", () => {
    const o = complete();
    expect(OpinionContentSchema.parse(o)).toEqual(o);
  });

  it("accepts NCT and ChiCTR ids and rejects others", () => {
    for (const id of ["NCT04923945", "ChiCTR2000012345", "ChiCTR-IOR-15006789"]) expect(isTrialId(id), id).toBe(true);
    for (const id of ["NCT1234567", "NCT123456789", "nct04923945", "ChiCTR200001234", "CTR2000012345", "NCT04923945 "]) expect(isTrialId(id), id).toBe(false);
    expect(TrialOptionSchema.safeParse({ description: "x", registryId: "NCT123" }).error?.issues[0].message).toBe("opinions:errors.trialIdInvalid");
    expect(TrialOptionSchema.parse({ description: "x", registryId: " ChiCTR2000012345 " }).registryId).toBe("ChiCTR2000012345");
    expect(TrialOptionSchema.parse({ description: "free text only" }).registryId).toBe("");
  });

  it("checks the evidence level against its system", () => {
    const item = (evidence: unknown) => PlanItemSchema.safeParse({ treatment: "x", evidence });
    expect(item({ system: "ESCAT", level: "I-A" }).success).toBe(true);
    expect(item({ system: "ESCAT", level: "X" }).success).toBe(true);
    expect(item({ system: "NCCN", level: "2A" }).success).toBe(true);
    expect(item({ system: "NCCN", level: "I-A" }).error?.issues[0].message).toBe("opinions:errors.evidenceLevelInvalid");
    expect(item({ system: "ESCAT", level: "2A" }).error?.issues[0].message).toBe("opinions:errors.evidenceLevelInvalid");
    expect(item({ system: "GRADE", level: "1" }).success).toBe(false);
  });

  it("rejects unknown intents, agreements, guideline sources and translation statuses", () => {
    expect(PlanItemSchema.safeParse({ treatment: "x", intent: "ADJUVANT" }).error?.issues[0].message).toBe("opinions:errors.notInList");
    expect(SECTION_SCHEMAS.diagnosis.safeParse({ en: { diagnosis: { agreement: "MAYBE" }, stage: {} } }).success).toBe(false);
    expect(SECTION_SCHEMAS.references.safeParse({ en: { items: [{ source: "ASCO", version: "1", section: "2" }] } }).success).toBe(false);
    expect(SECTION_SCHEMAS.workup.safeParse({ en: { items: [] }, translationStatus: "DONE" }).success).toBe(false);
    expect(SECTION_SCHEMAS.workup.parse({ en: { items: [] } })).toEqual({
      en: { items: [] },
      zh: null,
      translationStatus: "NONE",
      translatedById: null,
      translatedAt: null,
    });
  });

  it("only answers questions keyed like the case narratives", () => {
    expect(SECTION_SCHEMAS.answers.safeParse({ en: { items: [{ questionKey: "clinicalHistory", answer: "x" }] } }).success).toBe(false);
  });
});

describe("drafts", () => {
  it("keeps only the questions among the narratives", () => {
    expect(questionsOf(narratives)).toEqual(questions);
  });

  it("starts from scratch with an empty answer slot per question", () => {
    const o = emptyOpinion(narratives);
    expect(o.answers.en.items).toEqual([
      { questionKey: "question.01", answer: "" },
      { questionKey: "question.02", answer: "" },
    ]);
    expect(o.plan.en.items).toEqual([]);
    expect(OpinionContentSchema.safeParse(o).success).toBe(true);
  });

  it("seeds the plan and the diagnosis comment from the board summaries", () => {
    const o = draftFromBoard(["  MET exon 14: savolitinib first line. ", "", "Repeat brain MRI."], narratives);
    expect(o.plan.en.summary).toBe("MET exon 14: savolitinib first line.\n\nRepeat brain MRI.");
    expect(o.diagnosis.en.comment).toBe(o.plan.en.summary);
    expect(o.answers.en.items.map((a) => a.questionKey)).toEqual(["question.01", "question.02"]);
    expect(o.answers.en.items.every((a) => a.answer === "")).toBe(true);
    expect(OpinionContentSchema.safeParse(o).success).toBe(true);
    // the draft is not signable as it stands
    expect(Object.keys(signingProblems(o, questions))).toEqual(
      expect.arrayContaining(["diagnosis.diagnosis.agreement", "diagnosis.stage.agreement", "plan.items", "answers.question.01", "answers.question.02"]),
    );
  });

  it("with no summary, starts empty", () => {
    expect(draftFromBoard([], questions)).toEqual(emptyOpinion(questions));
  });
});

describe("signing problems", () => {
  it("has none for a complete opinion", () => {
    expect(signingProblems(complete(), questions)).toEqual({});
  });

  it("requires every question answered", () => {
    const o = complete();
    o.answers.en.items[1].answer = "   ";
    expect(signingProblems(o, questions)).toEqual({ "answers.question.02": ["opinions:errors.answerRequired"] });
    o.answers.en.items = [o.answers.en.items[0]];
    expect(signingProblems(o, questions)).toEqual({ "answers.question.02": ["opinions:errors.answerRequired"] });
    expect(signingProblems(o, [...questions, { key: "question.03", text: "?" }])).toEqual({
      "answers.question.02": ["opinions:errors.answerRequired"],
      "answers.question.03": ["opinions:errors.answerRequired"],
    });
  });

  it("flags answers to questions the case does not ask, and double answers", () => {
    const o = complete();
    o.answers.en.items.push({ questionKey: "question.09", answer: "?" }, { questionKey: "question.01", answer: "Again." });
    expect(signingProblems(o, questions)).toEqual({
      "answers.question.09": ["opinions:errors.answerUnknownQuestion"],
      "answers.question.01": ["opinions:errors.answerDuplicate"],
    });
  });

  it("requires at least one plan item, each with a treatment, an intent and an evidence level", () => {
    const o = complete();
    o.plan.en.items.push({ treatment: "", regimen: "", rationale: "" });
    expect(signingProblems(o, questions)).toEqual({
      "plan.items[1].treatment": ["opinions:errors.treatmentRequired"],
      "plan.items[1].intent": ["opinions:errors.intentRequired"],
      "plan.items[1].evidence": ["opinions:errors.evidenceRequired"],
    });
    o.plan.en.items = [];
    expect(signingProblems(o, questions)).toEqual({ "plan.items": ["opinions:errors.planRequired"] });
  });

  it("requires a choice on diagnosis and stage, and a comment unless agreeing", () => {
    const o = complete();
    o.diagnosis.en.stage.comment = "";
    expect(signingProblems(o, questions)).toEqual({ "diagnosis.stage.comment": ["opinions:errors.commentRequired"] });
    o.diagnosis.en.stage = { agreement: "AGREE", comment: "" };
    o.diagnosis.en.diagnosis = { agreement: "NEED_MORE_INFORMATION", comment: "" };
    expect(signingProblems(o, questions)).toEqual({ "diagnosis.diagnosis.comment": ["opinions:errors.commentRequired"] });
    o.diagnosis.en.diagnosis = { agreement: undefined, comment: "something" };
    expect(signingProblems(o, questions)).toEqual({ "diagnosis.diagnosis.agreement": ["opinions:errors.agreementRequired"] });
  });

  it("flags empty rows and incomplete guideline references", () => {
    const o = complete();
    o.workup.en.items.push(" ");
    o.trials.en.items.push({ description: "", registryId: "" });
    o.references.en.items.push({ source: "CSCO", version: "", section: "" });
    o.dissent.en.items.push("");
    expect(signingProblems(o, questions)).toEqual({
      "workup.items[1]": ["opinions:errors.itemEmpty"],
      "trials.items[1]": ["opinions:errors.itemEmpty"],
      "references.items[1].version": ["opinions:errors.guidelineVersionRequired"],
      "references.items[1].section": ["opinions:errors.guidelineSectionRequired"],
      "dissent.items[0]": ["opinions:errors.itemEmpty"],
    });
    // a trial given only by its registry id is fine
    o.trials.en.items[1].registryId = "ChiCTR2000012345";
    expect(signingProblems(o, questions)["trials.items[1]"]).toBeUndefined();
  });
});

describe("delivery problems", () => {
  it("has none when every section's translation is reviewed", () => {
    expect(deliveryProblems(complete(), { englishOnly: false })).toEqual({});
  });

  it("needs every section reviewed unless the coordinator chose English only", () => {
    const o = complete();
    o.plan.translationStatus = "DRAFT";
    o.trials.zh = null;
    o.trials.translationStatus = "NONE";
    o.dissent.translationStatus = "NONE";
    expect(deliveryProblems(o, { englishOnly: false })).toEqual({
      plan: ["opinions:errors.translationNotReviewed"],
      trials: ["opinions:errors.translationMissing"],
    });
    expect(deliveryProblems(o, { englishOnly: true })).toEqual({});
  });

  it("needs no translation of a section without English text, and every string of a reviewed one", () => {
    expect(deliveryProblems(emptyOpinion(questions), { englishOnly: false })).toEqual({});
    const o = complete();
    o.plan.zh!.items[0].regimen = "";
    expect(deliveryProblems(o, { englishOnly: false })).toEqual({ plan: ["opinions:errors.translationIncomplete"] });
  });

  it("refuses a reviewed translation whose items, choices or codes differ from the English", () => {
    const o = complete();
    o.plan.zh!.items[0].evidence = { system: "NCCN", level: "1" };
    o.trials.zh!.items.push({ description: "另一项试验", registryId: "" });
    o.diagnosis.zh!.stage.agreement = "AGREE";
    expect(deliveryProblems(o, { englishOnly: false })).toEqual({
      diagnosis: ["opinions:errors.translationMismatch"],
      plan: ["opinions:errors.translationMismatch"],
      trials: ["opinions:errors.translationMismatch"],
    });
  });
});
