import { describe, expect, it } from "vitest";
import {
  changedCare,
  changedCareDefinitely,
  OUTCOME_CHANGES,
  OutcomeReportSchema,
  outcomeReport,
  type DeliveredOutcome,
} from "~/features/opinions/outcome-report";

const outcome = (changedDiagnosis: string, changedTreatment: string) => ({ changedDiagnosis, changedTreatment });

describe("changed care", () => {
  it("counts YES or PARTLY in diagnosis or treatment; definitely only YES", () => {
    expect(changedCare(outcome("NO", "NO"))).toBe(false);
    expect(changedCare(outcome("PARTLY", "NO"))).toBe(true);
    expect(changedCare(outcome("NO", "YES"))).toBe(true);
    expect(changedCareDefinitely(outcome("PARTLY", "PARTLY"))).toBe(false);
    expect(changedCareDefinitely(outcome("YES", "NO"))).toBe(true);
  });
});

describe("the outcome report", () => {
  const cases: DeliveredOutcome[] = [
    { cancerType: "LYMPHOMA", outcome: outcome("NO", "YES") },
    { cancerType: "SOLID", outcome: outcome("YES", "YES") },
    { cancerType: "SOLID", outcome: outcome("PARTLY", "NO") },
    { cancerType: "SOLID", outcome: outcome("NO", "NO") },
    { cancerType: "SOLID", outcome: null },
    { cancerType: null, outcome: null },
  ];
  const report = outcomeReport(cases);

  it("groups by cancer type in vocabulary order, unrecorded last", () => {
    expect(report.groups.map((g) => g.cancerType)).toEqual(["SOLID", "LYMPHOMA", null]);
  });

  it("counts changed care among reported outcomes, and the response rate among delivered opinions", () => {
    expect(report.groups[0]).toEqual({
      cancerType: "SOLID",
      delivered: 4,
      reported: 3,
      awaiting: 1,
      responseRate: 0.75,
      changedCare: 2,
      changedCareDefinitely: 1,
      changedCareShare: 2 / 3,
      changedCareDefinitelyShare: 1 / 3,
      diagnosis: { YES: 1, PARTLY: 1, NO: 1 },
      treatment: { YES: 1, PARTLY: 0, NO: 2 },
    });
    expect(report.groups[2]).toMatchObject({
      delivered: 1,
      reported: 0,
      awaiting: 1,
      responseRate: 0,
      changedCareShare: null,
      changedCareDefinitelyShare: null,
    });
    expect(report.total).toMatchObject({
      cancerType: null,
      delivered: 6,
      reported: 4,
      awaiting: 2,
      changedCare: 3,
      changedCareDefinitely: 2,
      changedCareShare: 0.75,
      changedCareDefinitelyShare: 0.5,
    });
  });

  it("is empty without delivered opinions", () => {
    expect(outcomeReport([])).toMatchObject({ groups: [], total: { delivered: 0, responseRate: null, changedCareShare: null } });
  });
});

describe("the outcome report form", () => {
  it("offers yes, partly and no", () => {
    expect(OUTCOME_CHANGES).toEqual(["YES", "PARTLY", "NO"]);
  });

  it("needs both answers, and what was done once anything changed", () => {
    expect(OutcomeReportSchema.safeParse({ changedDiagnosis: "NO", changedTreatment: "NO" })).toMatchObject({ success: true, data: { actionTaken: "" } });
    const missing = OutcomeReportSchema.safeParse({ changedDiagnosis: "MAYBE" });
    expect(missing.success).toBe(false);
    expect(missing.error?.flatten().fieldErrors).toEqual({
      changedDiagnosis: ["reports:errors.changeRequired"],
      changedTreatment: ["reports:errors.changeRequired"],
    });
    const noAction = OutcomeReportSchema.safeParse({ changedDiagnosis: "NO", changedTreatment: "PARTLY", actionTaken: "   " });
    expect(noAction.error?.flatten().fieldErrors).toEqual({ actionTaken: ["reports:errors.actionTakenRequired"] });
    expect(OutcomeReportSchema.safeParse({ changedDiagnosis: "YES", changedTreatment: "NO", actionTaken: "Switched to osimertinib." }).success).toBe(true);
    const tooLong = OutcomeReportSchema.safeParse({ changedDiagnosis: "YES", changedTreatment: "NO", actionTaken: "x".repeat(4001) });
    expect(tooLong.error?.flatten().fieldErrors).toEqual({ actionTaken: ["reports:errors.actionTakenTooLong"] });
  });
});
