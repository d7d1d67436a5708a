import { describe, expect, it } from "vitest";
import type { CaseStatus } from "~/features/cases/case-lifecycle";
import {
  addMonths,
  daysToDelivery,
  defaultPeriod,
  median,
  monthInZone,
  parsePeriod,
  periodBounds,
  turnaroundCsv,
  turnaroundReport,
  type TurnaroundCase,
} from "~/features/search-reports/turnaround-report";

const SHANGHAI = "Asia/Shanghai";
const now = new Date("2031-03-20T04:00:00Z");
let n = 0;
const row = (
  status: CaseStatus,
  submittedAt: string,
  firstDeliveredAt: string | null,
  dueAt: string | null = null,
  extra: Partial<TurnaroundCase> = {},
): TurnaroundCase => {
  n++;
  return {
    caseId: `case-${n}`,
    code: `TB-2031-${String(n).padStart(4, "0")}`,
    status,
    cancerType: "SOLID",
    institution: "Wuhan",
    submittedAt: new Date(submittedAt),
    dueAt: dueAt ? new Date(dueAt) : null,
    firstDeliveredAt: firstDeliveredAt ? new Date(firstDeliveredAt) : null,
    ...extra,
  };
};

describe("days to delivery", () => {
  it("counts fractional days to one decimal", () => {
    expect(daysToDelivery(new Date("2031-01-01T00:00:00Z"), new Date("2031-01-03T12:00:00Z"))).toBe(2.5);
    expect(daysToDelivery(new Date("2031-01-01T00:00:00Z"), new Date("2031-01-01T05:00:00Z"))).toBe(0.2);
    expect(daysToDelivery(new Date("2031-01-01T00:00:00Z"), new Date("2031-01-08T00:00:00Z"))).toBe(7);
  });
});

describe("median", () => {
  it("takes the middle value of an odd count and the mean of the two middle values of an even count", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([3.1, 3.4])).toBe(3.25);
    expect(median([])).toBeNull();
  });
});

describe("months in a time zone", () => {
  it("puts an instant in the month of the zone's clock", () => {
    // 2031-01-31 20:00 UTC is already 1 February in Shanghai, still 31 January in Los Angeles.
    expect(monthInZone(new Date("2031-01-31T20:00:00Z"), SHANGHAI)).toBe("2031-02");
    expect(monthInZone(new Date("2031-01-31T20:00:00Z"), "America/Los_Angeles")).toBe("2031-01");
  });

  it("adds months across years and bounds a period in the zone", () => {
    expect(addMonths("2031-01", -1)).toBe("2030-12");
    expect(addMonths("2030-12", 1)).toBe("2031-01");
    expect(addMonths("2031-03", -11)).toBe("2030-04");
    expect(defaultPeriod(now, SHANGHAI)).toEqual({ from: "2030-04", to: "2031-03" });
    expect(periodBounds({ from: "2031-01", to: "2031-02" }, SHANGHAI)).toEqual({
      start: new Date("2030-12-31T16:00:00Z"),
      end: new Date("2031-02-28T16:00:00Z"),
    });
  });
});

describe("the period filter", () => {
  it("accepts two months, fills in blanks, and explains what is wrong in i18n keys", () => {
    expect(parsePeriod({ from: "2031-01", to: "2031-02" }, now, SHANGHAI)).toEqual({ ok: true, period: { from: "2031-01", to: "2031-02" } });
    expect(parsePeriod({}, now, SHANGHAI)).toEqual({ ok: true, period: { from: "2030-04", to: "2031-03" } });
    expect(parsePeriod({ from: "", to: "2030-06" }, now, SHANGHAI)).toEqual({ ok: true, period: { from: "2029-07", to: "2030-06" } });
    expect(parsePeriod({ from: "2031-06" }, now, SHANGHAI)).toEqual({ ok: true, period: { from: "2031-06", to: "2031-06" } });
    expect(parsePeriod({ from: "2031-13", to: "March" }, now, SHANGHAI)).toEqual({
      ok: false,
      errors: { from: ["reports:errors.monthInvalid"], to: ["reports:errors.monthInvalid"] },
    });
    expect(parsePeriod({ from: "2031-03", to: "2031-01" }, now, SHANGHAI)).toEqual({ ok: false, errors: { to: ["reports:errors.periodReversed"] } });
    expect(parsePeriod({ from: "2031-13", to: "2031-01" }, now, SHANGHAI)).toEqual({ ok: false, errors: { from: ["reports:errors.monthInvalid"] } });
  });
});

describe("the turnaround report", () => {
  const january = [
    row("DELIVERED", "2031-01-01T00:00:00Z", "2031-01-03T00:00:00Z"), // 2
    row("ACKNOWLEDGED", "2031-01-02T00:00:00Z", "2031-01-10T00:00:00Z"), // 8
    row("ARCHIVED", "2031-01-05T00:00:00Z", "2031-01-09T12:00:00Z"), // 4.5
  ];
  const february = [
    row("DELIVERED", "2031-01-20T00:00:00Z", "2031-02-02T00:00:00Z"), // 13
    row("OPINION_SIGNED", "2031-01-25T00:00:00Z", "2031-02-03T00:00:00Z", "2031-02-20T00:00:00Z"), // 9, open again (an amendment), overdue
  ];
  const beforePeriod = row("DELIVERED", "2030-11-01T00:00:00Z", "2030-12-01T00:00:00Z");
  const overdue = row("IN_REVIEW", "2031-02-01T00:00:00Z", null, "2031-03-01T00:00:00Z");
  const notDue = row("IN_REVIEW", "2031-03-10T00:00:00Z", null, "2031-04-01T00:00:00Z");
  const noDue = row("SUBMITTED", "2031-03-15T00:00:00Z", null);
  const withdrawn = row("WITHDRAWN", "2031-01-01T00:00:00Z", null, "2031-01-05T00:00:00Z");
  const cases = [...january, ...february, beforePeriod, overdue, notDue, noDue, withdrawn];
  const report = turnaroundReport(cases, { now, timeZone: SHANGHAI, period: { from: "2031-01", to: "2031-03" } });

  it("lists the cases first delivered in the period with their days, by delivery", () => {
    expect(report.delivered.map((c) => [c.code, c.days, c.month])).toEqual([
      [january[0].code, 2, "2031-01"],
      [january[2].code, 4.5, "2031-01"],
      [january[1].code, 8, "2031-01"],
      [february[0].code, 13, "2031-02"],
      [february[1].code, 9, "2031-02"],
    ]);
  });

  it("takes the median per month of delivery: odd and even counts", () => {
    expect(report.monthlyMedians).toEqual([
      { month: "2031-01", count: 3, medianDays: 4.5 },
      { month: "2031-02", count: 2, medianDays: 11 },
    ]);
  });

  it("groups open cases by every open state and flags the overdue ones", () => {
    const byStatus = Object.fromEntries(report.open.map((g) => [g.status, g]));
    expect(report.open.map((g) => g.status)).toEqual(["SUBMITTED", "RETURNED", "TRIAGED", "IN_REVIEW", "SCHEDULED", "DISCUSSED", "OPINION_SIGNED"]);
    expect(byStatus.IN_REVIEW).toMatchObject({ count: 2, overdueCount: 1 });
    expect(byStatus.IN_REVIEW.cases.map((c) => [c.code, c.overdue, c.daysOpen])).toEqual([
      [overdue.code, true, 47],
      [notDue.code, false, 10],
    ]);
    expect(byStatus.OPINION_SIGNED).toMatchObject({ count: 1, overdueCount: 1 });
    expect(byStatus.SUBMITTED).toMatchObject({ count: 1, overdueCount: 0 });
    expect(byStatus.RETURNED).toMatchObject({ count: 0, overdueCount: 0, cases: [] });
    expect(report.open.flatMap((g) => g.cases).map((c) => c.code)).not.toContain(withdrawn.code);
  });

  it("reports only open cases without a period", () => {
    const openOnly = turnaroundReport(cases, { now, timeZone: SHANGHAI, period: null });
    expect(openOnly.delivered).toEqual([]);
    expect(openOnly.monthlyMedians).toEqual([]);
    expect(openOnly.open.reduce((sum, g) => sum + g.count, 0)).toBe(4);
  });

  it("writes the CSV: delivered in the period and open cases, local times, days, overdue; formulas defused", () => {
    const formula = row("SUBMITTED", "2031-03-16T00:00:00Z", null, null, { institution: '=HYPERLINK("x")', cancerType: null });
    const csv = turnaroundCsv([...cases, formula], {
      now,
      timeZone: SHANGHAI,
      period: { from: "2031-02", to: "2031-03" },
      labels: {
        headers: ["code", "institution", "cancer type", "status", "submitted", "first delivered", "days", "overdue"],
        status: (s) => s.toLowerCase(),
        cancerType: (c) => c ?? "n/a",
        overdue: "OVERDUE",
      },
    });
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe('"code","institution","cancer type","status","submitted","first delivered","days","overdue"');
    expect(lines.slice(1, -1)).toEqual([
      `"${february[0].code}","Wuhan","SOLID","delivered","2031-01-20 08:00","2031-02-02 08:00","13",""`,
      `"${february[1].code}","Wuhan","SOLID","opinion_signed","2031-01-25 08:00","2031-02-03 08:00","9","OVERDUE"`,
      `"${overdue.code}","Wuhan","SOLID","in_review","2031-02-01 08:00","","","OVERDUE"`,
      `"${notDue.code}","Wuhan","SOLID","in_review","2031-03-10 08:00","","",""`,
      `"${noDue.code}","Wuhan","SOLID","submitted","2031-03-15 08:00","","",""`,
      `"${formula.code}","'=HYPERLINK(""x"")","n/a","submitted","2031-03-16 08:00","","",""`,
    ]);
    expect(lines.at(-1)).toBe("");
  });
});
