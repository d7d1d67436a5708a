import { describe, expect, it } from "vitest";
import { canonicalJson } from "~/platform/canonical-json";
import { emptyOpinion, type Section } from "~/features/opinions/opinion-content";
import { applySectionEdit, withStaleTranslation } from "~/features/opinions/opinion-edit";

describe("section version checks", () => {
  const start = { version: 3, content: { items: ["Brain MRI"] } };

  it("accepts an edit made on the current version and bumps the version", () => {
    expect(applySectionEdit(start, { baseVersion: 3, content: { items: ["Brain MRI", "PET-CT"] } })).toEqual({
      ok: true,
      next: { version: 4, content: { items: ["Brain MRI", "PET-CT"] } },
    });
  });

  it("refuses an edit made on an older version and returns both sides", () => {
    const first = applySectionEdit(start, { baseVersion: 3, content: { items: ["Brain MRI", "PET-CT"] } });
    if (!first.ok) throw new Error("first edit refused");
    const second = applySectionEdit(first.next, { baseVersion: 3, content: { items: ["Bone scan"] } });
    expect(second).toEqual({ ok: false, conflict: { theirs: { version: 4, content: { items: ["Brain MRI", "PET-CT"] } }, yours: { items: ["Bone scan"] } } });
  });

  it("refuses an edit on a version that does not exist yet", () => {
    expect(applySectionEdit(start, { baseVersion: 7, content: { items: [] } }).ok).toBe(false);
  });

  it("accepts a no-op or an identical concurrent edit without a new version", () => {
    expect(applySectionEdit(start, { baseVersion: 3, content: { items: ["Brain MRI"] } })).toEqual({ ok: true, next: start });
    const moved = { version: 5, content: { a: 1, b: "x" } };
    expect(applySectionEdit(moved, { baseVersion: 2, content: { b: "x", a: 1 } })).toEqual({ ok: true, next: moved });
  });

  it("two editors on the same base: the second never overwrites the first", () => {
    let current = start;
    const a = applySectionEdit(current, { baseVersion: 3, content: { items: ["A"] } });
    if (a.ok) current = a.next;
    const b = applySectionEdit(current, { baseVersion: 3, content: { items: ["B"] } });
    if (b.ok) current = b.next;
    expect(current).toEqual({ version: 4, content: { items: ["A"] } });
    expect(b.ok).toBe(false);
  });
});

describe("translation staleness", () => {
  const reviewed = (): Section<"workup"> => ({
    en: { items: ["Brain MRI"] },
    zh: { items: ["脑部MRI"] },
    translationStatus: "REVIEWED",
    translatedById: "t1",
    translatedAt: "2026-01-05T08:00:00.000Z",
  });

  it("sends a reviewed translation back to draft when only the English changes", () => {
    const next = { ...reviewed(), en: { items: ["Brain MRI with contrast"] } };
    expect(withStaleTranslation(reviewed(), next)).toEqual({ ...next, translationStatus: "DRAFT" });
  });

  it("keeps the status when the English is unchanged, or the translation was updated with it", () => {
    expect(withStaleTranslation(reviewed(), reviewed()).translationStatus).toBe("REVIEWED");
    const both = { ...reviewed(), en: { items: ["Brain MRI with contrast"] }, zh: { items: ["增强脑部MRI"] } };
    expect(withStaleTranslation(reviewed(), both).translationStatus).toBe("REVIEWED");
    const draft = { ...reviewed(), translationStatus: "DRAFT" as const, en: { items: ["x"] } };
    expect(withStaleTranslation(reviewed(), draft).translationStatus).toBe("DRAFT");
  });
});

describe("canonical JSON", () => {
  it("orders keys at every depth and leaves arrays in order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: undefined, b: 1 })).toBe(canonicalJson({ b: 1 }));
    expect(canonicalJson(emptyOpinion([]))).toBe(canonicalJson(JSON.parse(JSON.stringify(emptyOpinion([])))));
  });
});
