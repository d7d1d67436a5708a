import { describe, expect, it } from "vitest";
import { carriedTranslation, detectLanguage, otherLanguage, readerLanguage, readingFor, translationText } from "~/features/translation/translated-text";

const translation = { text: "Is local therapy advised?", byName: "王芳 Wang Fang", at: "2026-11-26T08:00:00.000Z" };

describe("a text that crosses sides", () => {
  it("detects Chinese by any Han character, and otherwise takes the text as English", () => {
    expect(detectLanguage("是否建议局部治疗？")).toBe("zh-CN");
    expect(detectLanguage("EGFR 19 外显子缺失")).toBe("zh-CN");
    expect(detectLanguage("EGFR exon 19 deletion")).toBe("en");
    expect(detectLanguage("")).toBe("en");
  });

  it("translates into the other language, and reads an interface language as the text language it reads", () => {
    expect(otherLanguage("zh-CN")).toBe("en");
    expect(otherLanguage("en")).toBe("zh-CN");
    expect(readerLanguage("zh-CN")).toBe("zh-CN");
    expect(readerLanguage("zh")).toBe("zh-CN");
    expect(readerLanguage("en")).toBe("en");
    expect(readerLanguage("en-US")).toBe("en");
  });

  it("shows a reader the original in their language, else the translation, else the original marked untranslated", () => {
    expect(readingFor({ originalLanguage: "zh-CN", translation: null }, "zh-CN")).toBe("original");
    expect(readingFor({ originalLanguage: "zh-CN", translation }, "zh-CN")).toBe("original");
    expect(readingFor({ originalLanguage: "zh-CN", translation }, "en")).toBe("translation");
    expect(readingFor({ originalLanguage: "zh-CN", translation: null }, "en")).toBe("untranslated");
    expect(readingFor({ originalLanguage: "en", translation: null }, "zh-CN")).toBe("untranslated");
  });

  it("takes a translation's text trimmed, refusing an empty or an overlong one with a localized reason", () => {
    expect(translationText().parse("  译文 ")).toBe("译文");
    expect(translationText().safeParse("   ").error?.issues[0].message).toBe("common:translation.textRequired");
    expect(translationText(5).safeParse("toolong").error?.issues[0].message).toBe("common:translation.tooLong");
  });

  it("keeps a translation with its original when saved again; one whose original changed goes back to draft", () => {
    const at = new Date("2026-11-26T08:00:00Z");
    const reviewed = { translationText: "History", translationStatus: "REVIEWED", translatedById: "u1", translatedAt: at };
    expect(carriedTranslation(reviewed, reviewed)).toEqual(reviewed);
    expect(carriedTranslation(undefined, reviewed)).toEqual({ ...reviewed, translationStatus: "DRAFT" });
    expect(carriedTranslation(undefined, { ...reviewed, translationStatus: "DRAFT" })).toEqual({ ...reviewed, translationStatus: "DRAFT" });
    const none = { translationText: null, translationStatus: "NONE", translatedById: null, translatedAt: null };
    expect(carriedTranslation(undefined, none)).toEqual(none);
    expect(carriedTranslation(undefined, undefined)).toEqual(none);
  });
});
