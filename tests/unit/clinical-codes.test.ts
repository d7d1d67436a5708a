/** The code lists a packet is coded with, the HGVS syntax check, and how a coded value reaches each reader. */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  DRUGS,
  drugCodeOf,
  drugsValue,
  histologyValue,
  MORPHOLOGY,
  morphologyCodeOf,
  siteValue,
  TOPOGRAPHY,
  topographyCodeOf,
} from "~/features/cases/clinical-codes";
import { shownLabel, shownTo } from "~/features/cases/clinical-value";
import { ICDO3_TOPOGRAPHY_EDITION } from "~/features/cases/data/icdo3-topography.generated";
import { isHgvs } from "~/features/cases/hgvs";
import glossary from "~/features/glossary/data/oncology-glossary.json";

const HAN = /\p{Script=Han}/u;

describe("the ICD-O-3 topography table", () => {
  it("is what its WHO source and the Chinese titles generate", () => {
    execFileSync("npx", ["tsx", "app/cli/generate-topography-table.ts", "--check"], { stdio: "pipe" });
    expect(ICDO3_TOPOGRAPHY_EDITION).toMatch(/^WHO ICD-O-3 \(2000\) topography, .*SHA-256 [0-9a-f]{16}/);
  });

  it("holds every site code from C00.0 to C80.9 once, with an English and a Chinese title", () => {
    expect(TOPOGRAPHY).toHaveLength(330);
    expect(new Set(TOPOGRAPHY.map((site) => site.code)).size).toBe(330);
    for (const site of TOPOGRAPHY) {
      expect(site.code).toMatch(/^C(0\d|[1-7]\d|80)\.\d$/);
      expect(site.en, site.code).toMatch(/^[A-Z][A-Za-z0-9 ,/'()-]+$/);
      expect(site.zh, site.code).toMatch(HAN);
    }
    expect(TOPOGRAPHY.find((site) => site.code === "C34.1")).toEqual({ code: "C34.1", en: "Upper lobe, lung", zh: "肺上叶" });
    expect(TOPOGRAPHY.at(-1)).toEqual({ code: "C80.9", en: "Unknown primary site", zh: "原发部位不明" });
  });

  it("gives every title to one code only, so a typed title codes unambiguously", () => {
    const titles = TOPOGRAPHY.flatMap((site) => [site.en.toLowerCase(), site.zh]);
    expect(new Set(titles).size).toBe(titles.length);
    expect(topographyCodeOf(" c34.1 ")).toBe("C34.1");
    expect(topographyCodeOf("upper lobe, LUNG")).toBe("C34.1");
    expect(topographyCodeOf("肺上叶")).toBe("C34.1");
    expect(topographyCodeOf("右肺上叶")).toBeUndefined();
    expect(topographyCodeOf("C34.7")).toBeUndefined();
  });
});

describe("the ICD-O-3 morphology list", () => {
  it("takes any morphology code, or exactly a title of the list in either language", () => {
    const titles = MORPHOLOGY.flatMap((term) => [term.en.toLowerCase(), term.zh]);
    expect(new Set(titles).size).toBe(titles.length);
    expect(morphologyCodeOf("8552/3")).toBe("8552/3");
    expect(morphologyCodeOf("腺癌，非特指")).toBe("8140/3");
    expect(morphologyCodeOf("adenocarcinoma, nos")).toBe("8140/3");
    expect(morphologyCodeOf("腺癌")).toBeUndefined();
  });
});

describe("the drug list", () => {
  it("is the glossary's drugs, each coded by its English name", () => {
    const glossaryDrugs = glossary.filter((term) => term.category === "drug");
    expect(DRUGS.map((drug) => drug.code)).toEqual(glossaryDrugs.map((term) => term.en));
    expect(DRUGS.length).toBeGreaterThanOrEqual(150);
    const names = DRUGS.flatMap((drug) => [drug.en.toLowerCase(), drug.zh]);
    expect(new Set(names).size).toBe(names.length);
  });

  it("finds a drug by either name", () => {
    expect(drugCodeOf("奥希替尼")).toBe("osimertinib");
    expect(drugCodeOf(" Osimertinib ")).toBe("osimertinib");
    expect(drugCodeOf("奥希替尼 80 mg")).toBeUndefined();
  });
});

describe("HGVS syntax", () => {
  it("accepts protein, coding and genomic changes", () => {
    for (const expression of [
      "p.Leu858Arg",
      "p.L858R",
      "p.(Leu858Arg)",
      "p.Glu746_Ala750del",
      "p.Arg213*",
      "p.Lys103fs",
      "p.Asp770_Asn771insSerValAsp",
      "p.Leu747_Pro753delinsSer",
      "c.2573T>G",
      "c.2235_2249del",
      "c.3028+1G>T",
      "c.-14C>T",
      "c.2310_2311insGGT",
      "g.55191822T>G",
    ])
      expect(isHgvs(expression), expression).toBe(true);
  });

  it("refuses shorthand and free text", () => {
    for (const text of ["L858R", "exon 19 deletion", "p.Leu858", "c.2573T>", "p.(Leu858Arg", "c.2573_2575T>G", "p.Xyz12Abc", `c.${"1".repeat(120)}A>G`])
      expect(isHgvs(text), text).toBe(false);
  });
});

describe("a coded value as each reader sees it", () => {
  it("shows the English reader the site's code and English title, the Chinese as entered one click away", () => {
    const site = siteValue("C34.1", "右肺上叶");
    expect(shownTo(site, "en", { withCode: true })).toEqual({
      first: "C34.1 Upper lobe, lung",
      firstLanguage: "en",
      untranslated: false,
      translatedBy: null,
      original: { text: "右肺上叶", language: "zh-CN", entered: true, translation: null },
    });
    expect(shownTo(site, "zh-CN", { withCode: true })?.first).toBe("C34.1 肺上叶");
  });

  it("offers the other language's titles when nothing was typed beside the codes", () => {
    expect(shownTo(drugsValue('["pemetrexed","carboplatin"]', ""), "en")).toEqual({
      first: "pemetrexed + carboplatin",
      firstLanguage: "en",
      untranslated: false,
      translatedBy: null,
      original: { text: "培美曲塞 + 卡铂", language: "zh-CN", entered: false, translation: null },
    });
  });

  it("shows uncoded text as written, marked untranslated for a reader of the other language", () => {
    expect(shownTo(histologyValue(null, "弥漫大B细胞淋巴瘤"), "en")).toEqual({
      first: "弥漫大B细胞淋巴瘤",
      firstLanguage: "zh-CN",
      untranslated: true,
      translatedBy: null,
      original: null,
    });
    expect(shownTo(histologyValue(null, "弥漫大B细胞淋巴瘤"), "zh-CN")?.untranslated).toBe(false);
    expect(shownTo(siteValue(null, "  "), "en")).toBeNull();
  });

  it("shows a morphology code beyond the list as the code alone", () => {
    expect(MORPHOLOGY.some((term) => term.code === "8552/3")).toBe(false);
    expect(shownTo(histologyValue("8552/3", null), "en", { withCode: true })?.first).toBe("8552/3");
  });

  it("shows a vocabulary label first and the reason as typed one click away", () => {
    expect(shownLabel("Disease progression", "肺内病灶增大", "en")).toMatchObject({
      first: "Disease progression",
      original: { text: "肺内病灶增大", entered: true },
    });
    expect(shownLabel(null, "肺内病灶增大", "en")).toMatchObject({ first: "肺内病灶增大", untranslated: true });
  });
});
