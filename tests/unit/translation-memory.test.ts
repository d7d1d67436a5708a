import { describe, expect, it } from "vitest";
import {
  alignSegments,
  candidateLengths,
  FUZZY_THRESHOLD,
  isSpecific,
  isUnreviewedSuggestion,
  matchKey,
  similarity,
  splitSentences,
  suggestTranslation,
  type MemoryCandidate,
} from "~/features/glossary/translation-memory";

const segment = (id: string, sourceText: string, targetText: string, specific = isSpecific(sourceText) || isSpecific(targetText)): MemoryCandidate => ({
  id,
  sourceText,
  targetText,
  specific,
});

describe("segments", () => {
  it("splits Chinese and English into sentences, but not at a decimal point", () => {
    expect(splitSentences("咳嗽2月。CT示右肺占位！是否手术？")).toEqual(["咳嗽2月。", "CT示右肺占位！", "是否手术？"]);
    expect(splitSentences("VAF 18.5%. Started osimertinib.\nNo progression")).toEqual(["VAF 18.5%.", "Started osimertinib.", "No progression"]);
  });

  it("pairs sentences when both sides have as many, else keeps the whole narrative as one segment", () => {
    expect(alignSegments("咳嗽。是否手术？", "Cough. Surgery?")).toEqual([
      { source: "咳嗽。", target: "Cough." },
      { source: "是否手术？", target: "Surgery?" },
    ]);
    expect(alignSegments("咳嗽，CT示占位。", "Cough. CT showed a mass.")).toEqual([{ source: "咳嗽，CT示占位。", target: "Cough. CT showed a mass." }]);
  });

  it("calls a segment specific when it holds a digit (full-width too) or an identifier", () => {
    expect(isSpecific("EGFR L858R")).toBe(true);
    expect(isSpecific("近３个月")).toBe(true);
    expect(isSpecific("write to someone@example.org")).toBe(true);
    expect(isSpecific("是否需要局部放疗？")).toBe(false);
  });
});

describe("similarity", () => {
  it("is character-level, for Chinese and English alike, ignoring case, width and runs of spaces", () => {
    expect(similarity("骨转移是否需要局部放疗？", "骨转移是否需要局部放疗？")).toBe(1);
    expect(similarity("骨转移是否需要局部放疗？", "脑转移是否需要局部放疗？")).toBeCloseTo(11 / 12);
    expect(similarity("Is  SBRT indicated?", "is sbrt indicated?")).toBe(1);
    expect(matchKey("ＰＤ-Ｌ1　阳性")).toBe("pd-l1 阳性");
    expect(similarity("kitten", "sitting")).toBeCloseTo(1 - 3 / 7);
  });

  it("gives 0 below the bound it is asked for, and a candidate outside the length window can never reach the threshold", () => {
    expect(similarity("是否手术？", "下一步是否推荐赛沃替尼联合奥希替尼？", FUZZY_THRESHOLD)).toBe(0);
    const { min, max } = candidateLengths(40);
    expect(similarity("a".repeat(40), "a".repeat(min - 1))).toBeLessThan(FUZZY_THRESHOLD);
    expect(similarity("a".repeat(40), "a".repeat(max + 1))).toBeLessThan(FUZZY_THRESHOLD);
    expect(similarity("a".repeat(40), "a".repeat(min))).toBeGreaterThanOrEqual(FUZZY_THRESHOLD);
  });
});

describe("suggestions", () => {
  const memory = [
    segment("brain", "Should osimertinib be continued after oligoprogression in the brain?", "脑部寡进展后是否应继续使用奥希替尼？"),
    segment("radio", "骨转移是否需要局部放疗？", "Do the bone metastases need local radiotherapy?"),
    segment("dose", "奥希替尼80 mg每日一次。", "Osimertinib 80 mg once daily."),
  ];

  it("fills in an identical original at 100%", () => {
    expect(suggestTranslation("骨转移是否需要局部放疗？", "en", memory)).toEqual({
      text: "Do the bone metastases need local radiotherapy?",
      match: 100,
      segmentIds: ["radio"],
    });
  });

  it("offers a close original with its match, rounded down, and nothing under the threshold", () => {
    const liver = "Should osimertinib be continued after oligoprogression in the liver?";
    expect(suggestTranslation(liver, "zh-CN", memory)).toMatchObject({ text: "脑部寡进展后是否应继续使用奥希替尼？", match: 92 });
    expect(suggestTranslation("Should chemotherapy be added?", "zh-CN", memory)).toBeNull();
  });

  it("offers a segment with digits only when identical, so another case's dose or date is never carried over", () => {
    expect(suggestTranslation("奥希替尼80 mg每日一次。", "en", memory)?.match).toBe(100);
    expect(suggestTranslation("奥希替尼40 mg每日一次。", "en", memory)).toBeNull();
  });

  it("builds a narrative sentence by sentence when every sentence has a match, weighting the match by length", () => {
    const suggestion = suggestTranslation("骨转移是否需要局部放疗？\n奥希替尼80 mg每日一次。", "en", memory);
    expect(suggestion).toEqual({
      text: "Do the bone metastases need local radiotherapy? Osimertinib 80 mg once daily.",
      match: 100,
      segmentIds: ["radio", "dose"],
    });
    expect(suggestTranslation("骨转移是否需要局部放疗？另有肝转移。", "en", memory)).toBeNull();
  });

  it("keeps a suggestion unreviewed until it is edited or accepted as it is", () => {
    expect(isUnreviewedSuggestion(" Radiotherapy? ", "Radiotherapy?", false)).toBe(true);
    expect(isUnreviewedSuggestion("Radiotherapy?", "Radiotherapy?", true)).toBe(false);
    expect(isUnreviewedSuggestion("Local radiotherapy?", "Radiotherapy?", false)).toBe(false);
    expect(isUnreviewedSuggestion("Radiotherapy?", undefined, false)).toBe(false);
  });
});
