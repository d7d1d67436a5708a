import { describe, expect, it } from "vitest";
import { exportRefusal, isAbroad, ledgerLevel, yearIn } from "~/features/compliance/cross-border";

const now = new Date("2026-12-04T00:00:00Z");
const contract = { crossBorderBasis: "STANDARD_CONTRACT", crossBorderReference: "SC-1", crossBorderDate: new Date("2026-01-15") };
const assessment = { crossBorderBasis: "SECURITY_ASSESSMENT", crossBorderReference: "CAC-1", crossBorderDate: new Date("2024-01-10") };
const none = { crossBorderBasis: null, crossBorderReference: null, crossBorderDate: null };

describe("cross-border export rules", () => {
  it("needs a recorded basis, and under a standard contract fewer than 10,000 individuals a year", () => {
    expect(exportRefusal({ basis: none, countedThisYear: 0, alreadyCounted: false, now })).toBe("noBasis");
    expect(exportRefusal({ basis: { ...contract, crossBorderReference: null }, countedThisYear: 0, alreadyCounted: false, now })).toBe("noBasis");
    expect(exportRefusal({ basis: contract, countedThisYear: 9_998, alreadyCounted: false, now })).toBeNull();
    expect(exportRefusal({ basis: contract, countedThisYear: 9_999, alreadyCounted: false, now })).toBe("assessmentRequired");
    expect(exportRefusal({ basis: contract, countedThisYear: 12_000, alreadyCounted: true, now })).toBeNull();
    expect(exportRefusal({ basis: none, countedThisYear: 5, alreadyCounted: true, now })).toBeNull();
  });

  it("accepts any count under a security assessment for three years from its approval", () => {
    expect(exportRefusal({ basis: assessment, countedThisYear: 50_000, alreadyCounted: false, now })).toBeNull();
    expect(exportRefusal({ basis: assessment, countedThisYear: 1, alreadyCounted: false, now: new Date("2027-01-10T00:00:00Z") })).toBe("assessmentExpired");
  });

  it("warns from 80% of the threshold and flags reaching it without an assessment", () => {
    expect(ledgerLevel(7_999, "STANDARD_CONTRACT")).toBe("ok");
    expect(ledgerLevel(8_000, "STANDARD_CONTRACT")).toBe("warning");
    expect(ledgerLevel(8_000, null)).toBe("warning");
    expect(ledgerLevel(10_000, "STANDARD_CONTRACT")).toBe("overThreshold");
    expect(ledgerLevel(10_000, "SECURITY_ASSESSMENT")).toBe("ok");
  });

  it("counts calendar years on the institution's clock, and a reader of another country (or none) as abroad", () => {
    const newYearInBeijing = new Date("2026-12-31T16:30:00Z");
    expect(yearIn("Asia/Shanghai", newYearInBeijing)).toBe(2027);
    expect(yearIn("UTC", newYearInBeijing)).toBe(2026);
    expect(isAbroad("CN", "US")).toBe(true);
    expect(isAbroad("CN", null)).toBe(true);
    expect(isAbroad("CN", "CN")).toBe(false);
  });
});
