import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedTranslations } from "../support/translations";
import { stagingText } from "~/features/cases/case-summary-text";
import { caseSummaryText, SUMMARY_BIOMARKERS, type CaseSummaryFacts } from "~/features/opinions/exports/opinion-pdf-text";
import { textLanguage } from "~/i18n/locales";

let en: TFunction;
let zh: TFunction;
beforeAll(async () => {
  ({ en, zh } = await fixedTranslations());
});

const facts: CaseSummaryFacts = {
  code: "TB-2026-0007",
  ageAtSubmission: 64,
  sex: "FEMALE",
  cancerType: "LYMPHOMA",
  staging: JSON.stringify({ system: "LUGANO", stage: "IIE", bSymptoms: true }),
  primarySite: "Mediastinum",
  histology: "弥漫大B细胞淋巴瘤",
  siteCode: null,
  icdO3: { code: "9680/3", en: "Diffuse large B-cell lymphoma, NOS", zh: "弥漫性大B细胞淋巴瘤，非特指" },
  biomarkerCount: 1,
  biomarkers: [{ gene: "MYC", alteration: "rearrangement", method: "FISH", result: "阳性", vaf: null }],
};

describe("the case summary's words", () => {
  it("tells a free text's language by its script and words; codes, variants and numbers have none", () => {
    expect(textLanguage("右肺上叶")).toBe("zh-CN");
    expect(textLanguage("EGFR 19外显子缺失")).toBe("zh-CN");
    expect(textLanguage("Right upper lobe")).toBe("en");
    for (const neutral of ["L858R", "TPS 60%", "EGFR", "T790M / C797S", ""]) expect(textLanguage(neutral), neutral).toBeNull();
  });

  it("writes every staging system in the reader's language, and a dash for none or a broken value", () => {
    const ajcc = JSON.stringify({ system: "AJCC8", prefix: "p", t: "T1c", n: "N0", m: "M0", group: "IA3" });
    expect(stagingText(ajcc, en)).toBe("AJCC 8 pT1c N0 M0 · stage IA3");
    expect(stagingText(ajcc, zh)).toBe("AJCC第8版 pT1c N0 M0 · 分期 IA3");
    expect(stagingText(facts.staging, en)).toMatch(/^Lugano .* with B symptoms$/);
    expect(stagingText(JSON.stringify({ system: "RISS", stage: "II" }), en)).toBe("R-ISS II");
    expect(stagingText(JSON.stringify({ system: "ELN2022", risk: "ADVERSE" }), zh)).toMatch(/^ELN 2022: \S+/);
    expect(stagingText("{}", en)).toBe("—");
    expect(stagingText("not json", en)).toBe("—");
  });

  it("puts the reader's language in the value and the other language's free text in the original", () => {
    const english = caseSummaryText(facts, "en", en);
    expect(english.title).toBe("Clinical summary");
    const line = (summary: typeof english, label: string) => summary.lines.find((l) => l.label === label);
    expect(line(english, "Sex")).toEqual({ label: "Sex", value: "Female", original: null });
    expect(line(english, "Primary site")).toEqual({ label: "Primary site", value: "Mediastinum", original: null });
    expect(line(english, "Histology")).toEqual({
      label: "Histology",
      value: "9680/3 Diffuse large B-cell lymphoma, NOS",
      original: "Original (Chinese): 弥漫大B细胞淋巴瘤",
    });
    expect(english.biomarkers).toEqual([{ label: "MYC", value: "rearrangement · FISH", original: "Original (Chinese): 阳性" }]);

    const chinese = caseSummaryText(facts, "zh-CN", zh);
    expect(line(chinese, "原发部位")).toEqual({ label: "原发部位", value: "—", original: "原文（英文）：Mediastinum" });
    expect(line(chinese, "组织学类型")!.value).toBe("9680/3 弥漫性大B细胞淋巴瘤，非特指 · 弥漫大B细胞淋巴瘤");
    expect(chinese.biomarkers).toEqual([{ label: "MYC", value: "阳性 · FISH", original: "原文（英文）：rearrangement" }]);
  });

  it("gives a translated site or histology in the reader's language with the value, the original after it", () => {
    const translated = caseSummaryText({ ...facts, histologyTranslation: "Diffuse large B-cell lymphoma, germinal centre type" }, "en", en);
    expect(translated.lines.find((l) => l.label === "Histology")).toEqual({
      label: "Histology",
      value: "9680/3 Diffuse large B-cell lymphoma, NOS · Diffuse large B-cell lymphoma, germinal centre type",
      original: "Original (Chinese): 弥漫大B细胞淋巴瘤",
    });
    // A translation is of text in the other language: the Chinese reader reads the Chinese as written.
    expect(caseSummaryText({ ...facts, histologyTranslation: "x" }, "zh-CN", zh).lines.find((l) => l.label === "组织学类型")!.value).not.toContain("x");
  });

  it("lists at most SUMMARY_BIOMARKERS biomarkers and counts the rest", () => {
    const many = Array.from({ length: SUMMARY_BIOMARKERS }, () => ({ gene: "KRAS", alteration: "G12C", method: "NGS", result: null, vaf: 12.5 }));
    const summary = caseSummaryText({ ...facts, biomarkerCount: SUMMARY_BIOMARKERS + 3, biomarkers: many }, "en", en);
    expect(summary.biomarkers).toHaveLength(SUMMARY_BIOMARKERS);
    expect(summary.biomarkers[0]).toEqual({ label: "KRAS", value: "G12C · NGS · VAF 12.5%", original: null });
    expect(summary.biomarkersLeftOut).toBe(3);
  });
});
