import { describe, expect, it } from "vitest";
import shipped from "~/features/glossary/data/oncology-glossary.json";
import { containsTerm, findTerms, missingRenderings, termsIn, unacceptedMismatches, type GlossaryEntry } from "~/features/glossary/glossary-check";

const glossary: GlossaryEntry[] = (shipped as { en: string; zh: string; needsReview?: boolean }[]).map((term) => ({
  id: term.en,
  en: term.en,
  zh: term.zh,
  needsReview: term.needsReview ?? false,
}));
const ids = (terms: { id?: string; termId?: string }[]) => terms.map((t) => t.id ?? t.termId);

describe("finding glossary terms in an original", () => {
  it("takes the longest term at each place, so one term is not also read as the shorter term inside it", () => {
    expect(ids(findTerms("Known non-small cell lung cancer; her sister had small cell lung cancer.", "en", glossary))).toEqual([
      "non-small cell lung cancer",
      "small cell lung cancer",
    ]);
    expect(ids(termsIn("非小细胞肺癌，EGFR突变", "zh-CN", glossary))).toContain("non-small cell lung cancer");
    expect(ids(termsIn("非小细胞肺癌", "zh-CN", glossary))).not.toContain("small cell lung cancer");
  });

  it("gives each term's place in the original, for marking it", () => {
    const text = "一线奥希替尼80 mg每日一次。";
    const [occurrence] = findTerms(text, "zh-CN", glossary).filter((o) => o.termId === "osimertinib");
    expect(text.slice(occurrence.start, occurrence.end)).toBe("奥希替尼");
  });

  it("matches English whole words, ignoring case, hyphens against spaces and a plural on the last word", () => {
    expect(containsTerm("Osimertinib was started.", "osimertinib")).toBe(true);
    expect(containsTerm("Non small-cell lung cancer", "non-small cell lung cancer")).toBe(true);
    expect(containsTerm("multiple bone metastases", "bone metastasis")).toBe(true);
    expect(containsTerm("two core biopsies", "biopsy")).toBe(true);
    expect(containsTerm("preosimertinibX", "osimertinib")).toBe(false);
  });

  it("matches terms written only in capitals by case, and Chinese anywhere, full-width letters as ASCII", () => {
    expect(containsTerm("then EP for four cycles", "EP")).toBe(true);
    expect(containsTerm("we step back", "EP")).toBe(false);
    expect(containsTerm("改用ＥＰ方案化疗", "EP方案")).toBe(true);
    expect(containsTerm("EGFR突变，PD-L1阳性", "PD-L1")).toBe(true);
    expect(containsTerm("术后辅助化疗", "化疗")).toBe(true);
  });
});

describe("the glossary check of a translation", () => {
  const check = (source: string, sourceLanguage: string, target: string) =>
    ids(missingRenderings(termsIn(source, sourceLanguage, glossary), target, sourceLanguage === "zh-CN" ? "en" : "zh-CN"));

  it("catches a planted wrong Chinese name for osimertinib, and passes the glossary's", () => {
    const source = "Progression on osimertinib after 26 months.";
    expect(check(source, "en", "奥西替尼治疗26个月后进展。")).toEqual(["osimertinib"]);
    expect(check(source, "en", "奥希替尼治疗26个月后进展。")).toEqual([]);
  });

  it("renders selpercatinib as 塞普替尼 in both directions", () => {
    expect(check("RET fusion: selpercatinib first line.", "en", "RET融合：一线塞尔帕替尼。")).toContain("selpercatinib");
    expect(check("RET fusion: selpercatinib first line.", "en", "RET融合：一线塞普替尼。")).not.toContain("selpercatinib");
    expect(check("一线塞普替尼。", "zh-CN", "First-line Selpercatinib.")).toEqual([]);
  });

  it("shows but does not enforce a term whose Chinese name still needs review", () => {
    expect(termsIn("Amivantamab plus lazertinib.", "en", glossary).map((t) => [t.id, t.needsReview])).toEqual([
      ["amivantamab", true],
      ["lazertinib", true],
    ]);
    expect(check("Amivantamab plus lazertinib.", "en", "两药联合。")).toEqual([]);
  });

  it("lets a save through only when every mismatch is accepted", () => {
    const mismatches = missingRenderings(termsIn("Osimertinib plus savolitinib.", "en", glossary), "两药联合。", "zh-CN");
    expect(ids(mismatches)).toEqual(["osimertinib", "savolitinib"]);
    expect(ids(unacceptedMismatches(mismatches, ["osimertinib"]))).toEqual(["savolitinib"]);
    expect(unacceptedMismatches(mismatches, ["osimertinib", "savolitinib", "not-a-term"])).toEqual([]);
  });
});

describe("the shipped glossary", () => {
  const byEn = new Map(glossary.map((t) => [t.en, t]));

  it("has one entry per English term and no Chinese name shared by two drugs", () => {
    expect(byEn.size).toBe(glossary.length);
    const drugs = (shipped as { zh: string; category: string }[]).filter((t) => t.category === "drug").map((t) => t.zh);
    expect(drugs.filter((zh, i) => drugs.indexOf(zh) !== i)).toEqual([]);
  });

  it("has the thoracic and GI drugs of issue 18, with NMPA/CSCO names where they are certain", () => {
    expect(
      Object.fromEntries(
        [
          "adagrasib",
          "sotorasib",
          "furmonertinib",
          "aumolertinib",
          "savolitinib",
          "sunvozertinib",
          "ensartinib",
          "iruplinalkib",
          "tislelizumab",
          "toripalimab",
          "sintilimab",
          "camrelizumab",
          "serplulimab",
          "ivonescimab",
          "trastuzumab deruxtecan",
          "datopotamab deruxtecan",
          "selpercatinib",
        ].map((en) => [en, [byEn.get(en)?.zh, byEn.get(en)?.needsReview]]),
      ),
    ).toEqual({
      adagrasib: ["阿达格拉西布", false],
      sotorasib: ["索托拉西布", false],
      furmonertinib: ["伏美替尼", false],
      aumolertinib: ["阿美替尼", false],
      savolitinib: ["赛沃替尼", false],
      sunvozertinib: ["舒沃替尼", false],
      ensartinib: ["恩沙替尼", false],
      iruplinalkib: ["伊鲁阿克", false],
      tislelizumab: ["替雷利珠单抗", false],
      toripalimab: ["特瑞普利单抗", false],
      sintilimab: ["信迪利单抗", false],
      camrelizumab: ["卡瑞利珠单抗", false],
      serplulimab: ["斯鲁利单抗", false],
      ivonescimab: ["依沃西单抗", false],
      "trastuzumab deruxtecan": ["德曲妥珠单抗", false],
      "datopotamab deruxtecan": ["德达博妥单抗", false],
      selpercatinib: ["塞普替尼", false],
    });
  });

  it("flags the drugs whose Chinese name is not certain, each with a note saying why", () => {
    const flagged = (shipped as { en: string; note?: string; needsReview?: boolean }[]).filter((t) => t.needsReview);
    expect(flagged.map((t) => t.en)).toEqual(expect.arrayContaining(["taletrectinib", "amivantamab", "lazertinib", "telisotuzumab vedotin"]));
    for (const term of flagged) expect(term.note, term.en).toBeTruthy();
  });
});
