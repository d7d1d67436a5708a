import { describe, expect, it } from "vitest";
import { readingOrder, translatableStrings, translationComplete, withTranslations } from "~/features/opinions/opinion-translation";
import { deliveryProblems } from "~/features/opinions/opinion-rules";
import { emptyOpinion, type SectionBody } from "~/features/opinions/opinion-content";

const plan: SectionBody<"plan"> = {
  items: [
    {
      treatment: "Targeted therapy",
      regimen: "Osimertinib 80 mg daily",
      intent: "PALLIATIVE",
      priority: 1,
      evidence: { system: "ESCAT", level: "I-A" },
      rationale: "",
    },
    { treatment: "Radiotherapy", regimen: "", intent: "PALLIATIVE", priority: 2, evidence: { system: "NCCN", level: "2A" }, rationale: "Bone pain" },
  ],
  summary: "Start targeted therapy.",
};

describe("opinion translation", () => {
  it("lists only free-text strings, by path, never choices or codes", () => {
    expect(translatableStrings(plan, null)).toEqual([
      { path: "items[0].treatment", en: "Targeted therapy", zh: "" },
      { path: "items[0].regimen", en: "Osimertinib 80 mg daily", zh: "" },
      { path: "items[1].treatment", en: "Radiotherapy", zh: "" },
      { path: "items[1].rationale", en: "Bone pain", zh: "" },
      { path: "summary", en: "Start targeted therapy.", zh: "" },
    ]);
  });

  it("builds a translation with the English's items, choices and codes, which then passes delivery checks", () => {
    const zh = withTranslations(
      plan,
      new Map([
        ["items[0].treatment", "靶向治疗"],
        ["items[0].regimen", "奥希替尼 80 mg 每日一次"],
        ["items[1].treatment", " 放疗 "],
        ["items[1].rationale", "骨痛"],
        ["summary", "开始靶向治疗。"],
        ["items[0].intent", "CURATIVE"],
      ]),
    );
    expect(zh.items[0]).toMatchObject({ treatment: "靶向治疗", intent: "PALLIATIVE", evidence: { system: "ESCAT", level: "I-A" }, rationale: "" });
    expect(zh.items[1].treatment).toBe("放疗");
    expect(translationComplete(plan, zh)).toBe(true);
    expect(translatableStrings(plan, zh)[1]).toEqual({ path: "items[0].regimen", en: "Osimertinib 80 mg daily", zh: "奥希替尼 80 mg 每日一次" });

    const opinion = emptyOpinion([]);
    opinion.plan = { en: plan, zh, translationStatus: "REVIEWED", translatedById: "u1", translatedAt: "2026-11-22T03:00:00.000Z" };
    expect(deliveryProblems(opinion, { englishOnly: false })).toEqual({});
  });

  it("reports a translation with a missing string as incomplete", () => {
    const zh = withTranslations(plan, new Map([["summary", "开始靶向治疗。"]]));
    expect(translationComplete(plan, zh)).toBe(false);
  });
});

describe("reading order", () => {
  it("puts the reader's own language first", () => {
    expect(readingOrder("zh-CN")).toEqual(["zh-CN", "en"]);
    expect(readingOrder("zh")).toEqual(["zh-CN", "en"]);
    expect(readingOrder("en")).toEqual(["en", "zh-CN"]);
    expect(readingOrder("en-US")).toEqual(["en", "zh-CN"]);
  });
});
