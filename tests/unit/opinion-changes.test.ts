import { describe, expect, it } from "vitest";
import { opinionChanges } from "~/features/opinions/opinion-changes";
import { emptyOpinion } from "~/features/opinions/opinion-content";

describe("what an amendment changed", () => {
  it("lists each changed field with both values, in English and Chinese", () => {
    const before = emptyOpinion([{ key: "question.01", text: "Q?" }]);
    before.plan.en.items = [
      { treatment: "Targeted therapy", regimen: "Osimertinib 80 mg daily", intent: "PALLIATIVE", evidence: { system: "ESCAT", level: "I-A" }, rationale: "" },
    ];
    before.plan.zh = { items: [{ ...before.plan.en.items[0], treatment: "靶向治疗", regimen: "奥希替尼 80 mg 每日一次" }], summary: "" };
    const after = structuredClone(before);
    after.plan.en.items[0].regimen = "Osimertinib 40 mg daily";
    after.plan.en.items[0].evidence = { system: "NCCN", level: "1" };
    after.plan.zh!.items[0].regimen = "奥希替尼 40 mg 每日一次";
    after.workup.en.items = ["Brain MRI"];
    expect(opinionChanges(before, after)).toEqual([
      { section: "plan", language: "en", path: "items[0].regimen", before: "Osimertinib 80 mg daily", after: "Osimertinib 40 mg daily" },
      { section: "plan", language: "en", path: "items[0].evidence", before: "ESCAT I-A", after: "NCCN 1" },
      { section: "plan", language: "zh", path: "items[0].regimen", before: "奥希替尼 80 mg 每日一次", after: "奥希替尼 40 mg 每日一次" },
      { section: "workup", language: "en", path: "items[0]", before: "", after: "Brain MRI" },
    ]);
    expect(opinionChanges(before, structuredClone(before))).toEqual([]);
  });
});
