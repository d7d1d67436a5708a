import { describe, expect, it } from "vitest";
import { diagnosisForReader } from "~/features/cases/case-diagnosis";

const lungAdenocarcinoma = {
  primarySite: "右肺上叶",
  histology: "肺腺癌（肉瘤样成分约10%）",
  siteTerm: { code: "C34.1", en: "Malignant neoplasm of upper lobe, bronchus or lung", zh: "上叶，支气管或肺恶性肿瘤" },
  histologyTerm: { code: "8140/3", en: "Adenocarcinoma, NOS", zh: "腺癌，非特指" },
};

describe("a case's diagnosis for its reader", () => {
  it("shows a Chinese reader the site and histology as the treating side wrote them", () => {
    expect(diagnosisForReader(lungAdenocarcinoma, "zh-CN")).toEqual({
      site: { text: "右肺上叶", lang: "zh-CN" },
      histology: { text: "肺腺癌（肉瘤样成分约10%）", lang: "zh-CN" },
    });
  });

  it("gives an English reader the English names of the case's codes for text written in Chinese", () => {
    expect(diagnosisForReader(lungAdenocarcinoma, "en")).toEqual({
      site: { text: "Malignant neoplasm of upper lobe, bronchus or lung", lang: "en" },
      histology: { text: "Adenocarcinoma, NOS", lang: "en" },
    });
  });

  it("keeps text already in the reader's language, and gives a Chinese reader the Chinese names for English text", () => {
    const english = { ...lungAdenocarcinoma, primarySite: "Right upper lobe", histology: "Invasive adenocarcinoma, acinar predominant" };
    expect(diagnosisForReader(english, "en")).toEqual({
      site: { text: "Right upper lobe", lang: "en" },
      histology: { text: "Invasive adenocarcinoma, acinar predominant", lang: "en" },
    });
    expect(diagnosisForReader(english, "zh-CN")).toEqual({
      site: { text: "上叶，支气管或肺恶性肿瘤", lang: "zh-CN" },
      histology: { text: "腺癌，非特指", lang: "zh-CN" },
    });
  });

  it("shows the stored text, marked with its language, where no code translates it, and nothing for what nobody entered", () => {
    expect(diagnosisForReader({ primarySite: "左肺下叶", histology: null, siteTerm: null, histologyTerm: null }, "en")).toEqual({
      site: { text: "左肺下叶", lang: "zh-CN" },
      histology: null,
    });
    expect(diagnosisForReader({ primarySite: "  ", histology: null, siteTerm: null, histologyTerm: lungAdenocarcinoma.histologyTerm }, "en")).toEqual({
      site: null,
      histology: { text: "Adenocarcinoma, NOS", lang: "en" },
    });
  });

  it("gives each reader the translation of what was written in the other language, before the codes' names", () => {
    const translated = {
      ...lungAdenocarcinoma,
      histologyTerm: null,
      siteTranslation: "Right upper lobe",
      histologyTranslation: "Lung adenocarcinoma (about 10% sarcomatoid)",
    };
    expect(diagnosisForReader(translated, "en")).toEqual({
      site: { text: "Right upper lobe", lang: "en" },
      histology: { text: "Lung adenocarcinoma (about 10% sarcomatoid)", lang: "en" },
    });
    expect(diagnosisForReader(translated, "zh-CN").histology).toEqual({ text: "肺腺癌（肉瘤样成分约10%）", lang: "zh-CN" });
  });
});
