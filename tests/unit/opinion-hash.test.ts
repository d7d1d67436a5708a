import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { draftFromBoard, emptyOpinion, type OpinionContent } from "~/features/opinions/opinion-content";
import { opinionContentHash } from "~/features/opinions/opinion-hash";

const questions = [{ key: "question.01", text: "是否推荐赛沃替尼？" }];

/** The same object with keys inserted in reverse order at every depth. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    ) as T;
  return value;
}

describe("opinion content hash", () => {
  const draft = draftFromBoard(["Savolitinib first line."], questions);

  it("is a SHA-256 hex digest", () => {
    expect(opinionContentHash(draft)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("does not depend on key order", () => {
    const reordered = reversedKeys(draft);
    expect(Object.keys(reordered)[0]).toBe("answers");
    expect(opinionContentHash(reordered)).toBe(opinionContentHash(draft));
  });

  it("survives a round trip through stored JSON", () => {
    expect(opinionContentHash(JSON.parse(JSON.stringify(draft)) as OpinionContent)).toBe(opinionContentHash(draft));
  });

  it("changes with any change of content, in either language", () => {
    const base = opinionContentHash(draft);
    const changed = structuredClone(draft);
    changed.answers.en.items[0].answer = "Yes.";
    expect(opinionContentHash(changed)).not.toBe(base);
    const translated = structuredClone(draft);
    translated.plan.zh = { items: [], summary: "一线赛沃替尼。" };
    expect(opinionContentHash(translated)).not.toBe(base);
    expect(opinionContentHash(emptyOpinion(questions))).not.toBe(base);
  });

  it("is computed over the canonical JSON text", () => {
    const o = emptyOpinion([]);
    const expected = createHash("sha256")
      .update(
        '{"answers":{"en":{"items":[]},"translatedAt":null,"translatedById":null,"translationStatus":"NONE","zh":null},' +
          '"diagnosis":{"en":{"comment":"","diagnosis":{"comment":""},"stage":{"comment":""}},"translatedAt":null,"translatedById":null,"translationStatus":"NONE","zh":null},' +
          '"dissent":{"en":{"items":[]},"translatedAt":null,"translatedById":null,"translationStatus":"NONE","zh":null},' +
          '"plan":{"en":{"items":[],"summary":""},"translatedAt":null,"translatedById":null,"translationStatus":"NONE","zh":null},' +
          '"references":{"en":{"items":[]},"translatedAt":null,"translatedById":null,"translationStatus":"NONE","zh":null},' +
          '"trials":{"en":{"items":[]},"translatedAt":null,"translatedById":null,"translationStatus":"NONE","zh":null},' +
          '"workup":{"en":{"items":[]},"translatedAt":null,"translatedById":null,"translationStatus":"NONE","zh":null}}',
      )
      .digest("hex");
    expect(opinionContentHash(o)).toBe(expected);
  });
});
