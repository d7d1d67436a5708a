import { describe, expect, it } from "vitest";
import { chunkTokens, fts5Query, indexTokens, searchTerms, snippetOf, tsQuery } from "~/features/search-reports/search-tokens";

describe("index tokens", () => {
  it("keeps Latin words and gene and trial identifiers whole, lower-cased, without diacritics or width forms", () => {
    expect(indexTokens("EGFR L858R, NCT01234567; Café ＥＧＦＲ naïve")).toEqual(["egfr", "l858r", "nct01234567", "cafe", "egfr", "naive"]);
  });

  it("splits at punctuation, which both engines also treat as a separator", () => {
    expect(indexTokens("PD-L1 c.2573T>G 5.2cm")).toEqual(["pd", "l1", "c", "2573t", "g", "5", "2cm"]);
  });

  it("turns a CJK run into overlapping bigrams and its last character", () => {
    expect(indexTokens("肺腺癌")).toEqual(["肺腺", "腺癌", "癌"]);
    expect(indexTokens("肺")).toEqual(["肺"]);
    expect(indexTokens("右肺上叶，肺癌")).toEqual(["右肺", "肺上", "上叶", "叶", "肺癌", "癌"]);
  });

  it("separates Latin and CJK written without spaces", () => {
    expect(indexTokens("EGFR突变阳性")).toEqual(["egfr", "突变", "变阳", "阳性", "性"]);
    expect(indexTokens("奥希替尼80mg")).toEqual(["奥希", "希替", "替尼", "尼", "80mg"]);
  });

  it("caps very long words", () => {
    expect(indexTokens("a".repeat(500))[0]).toHaveLength(64);
  });
});

describe("query terms", () => {
  it("makes each Latin word a prefix and each CJK run a phrase of its bigrams", () => {
    expect(searchTerms("osimer 肺腺癌").map(({ tokens, prefix }) => ({ tokens, prefix }))).toEqual([
      { tokens: ["osimer"], prefix: true },
      { tokens: ["肺腺", "腺癌"], prefix: false },
    ]);
  });

  it("matches a two-character term as one exact token and one character as a prefix", () => {
    expect(searchTerms("肺癌")).toMatchObject([{ tokens: ["肺癌"], prefix: false }]);
    expect(searchTerms("癌")).toMatchObject([{ tokens: ["癌"], prefix: true }]);
  });

  it("keeps words joined by punctuation together as a phrase", () => {
    expect(searchTerms("PD-L1 egfr")).toMatchObject([
      { tokens: ["pd", "l1"], prefix: true },
      { tokens: ["egfr"], prefix: true },
    ]);
  });

  it("finds every query term among the index tokens of the same text", () => {
    const text = "患者右肺上叶腺癌，EGFR L858R 阳性，予奥希替尼 (osimertinib) 治疗";
    const tokens = indexTokens(text).join(" ");
    for (const term of searchTerms("上叶腺癌 L858R 奥希 osimer")) {
      const phrase = term.tokens.join(" ");
      expect(
        term.prefix
          ? tokens.split(" ").some((t, i, all) =>
              all
                .slice(i, i + term.tokens.length)
                .join(" ")
                .startsWith(phrase),
            )
          : ` ${tokens} `.includes(` ${phrase} `),
        phrase,
      ).toBe(true);
    }
  });

  it("has nothing to search for in punctuation alone", () => {
    expect(searchTerms(` "*:-()^ `)).toEqual([]);
    expect(fts5Query(searchTerms("**"))).toBeNull();
    expect(tsQuery(searchTerms("&|!"))).toBeNull();
  });

  it("renders FTS5 and tsquery syntax that user input cannot break", () => {
    const terms = searchTerms(`egfr" OR NEAR(x* -y :z 'a' 肺癌症 癌 PD-L1`);
    expect(fts5Query(terms)).toBe(`"egfr" * AND "or" * AND "near x" * AND "y" * AND "z" * AND "a" * AND "肺癌 癌症" AND "癌" * AND "pd l1" *`);
    expect(tsQuery(terms)).toBe(`'egfr':* & 'or':* & ('near' <-> 'x':*) & 'y':* & 'z':* & 'a':* & ('肺癌' <-> '癌症') & '癌':* & ('pd' <-> 'l1':*)`);
  });

  it("drops repeated terms and limits how many are searched", () => {
    expect(searchTerms("egfr EGFR egfr")).toHaveLength(1);
    expect(searchTerms(Array.from({ length: 40 }, (_, i) => `w${i}`).join(" "))).toHaveLength(12);
  });
});

describe("chunks", () => {
  it("keeps a short list whole and cuts a long one with an overlap", () => {
    expect(chunkTokens(["a", "b"], 3, 1)).toEqual([["a", "b"]]);
    expect(chunkTokens(["a", "b", "c", "d", "e"], 3, 1)).toEqual([
      ["a", "b", "c"],
      ["c", "d", "e"],
    ]);
  });
});

describe("snippets", () => {
  it("cuts out the first occurrence of a term with some context", () => {
    const snippet = snippetOf(["无关文字", "患者诊断为肺癌，予化疗。"], searchTerms("肺癌"), 3);
    expect(snippet).toEqual({ before: "…诊断为", match: "肺癌", after: "，予化…" });
  });

  it("matches a Latin prefix at the start of a word only, folding case and diacritics", () => {
    expect(snippetOf(["Started Osimertinib 80 mg"], searchTerms("osimer"), 100)).toEqual({ before: "Started ", match: "Osimertinib", after: " 80 mg" });
    expect(snippetOf(["nonosimertinib"], searchTerms("osimer"))).toBeNull();
    expect(snippetOf(["Naïve patient"], searchTerms("naive"))?.match).toBe("Naïve");
  });
});
