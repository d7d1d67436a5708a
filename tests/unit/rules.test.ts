import { describe, expect, it } from "vitest";
import { CreateUserSchema, InstitutionSchema, UpdateUserSchema } from "~/features/identity/account-schemas";
import { institutionMismatch } from "~/features/identity/institutions";
import { safeRedirect } from "~/platform/safe-redirect";
import { sameHost } from "~/platform/same-origin";
import { isTimeZone, startOfDayInZone } from "~/platform/time-zones";

describe("safeRedirect", () => {
  it("follows only same-site paths", () => {
    expect(safeRedirect("/admin/audit?page=2", "/")).toBe("/admin/audit?page=2");
    for (const hostile of ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", null, 42]) {
      expect(safeRedirect(hostile, "/home")).toBe("/home");
    }
  });

  it("resolves the path as a browser would, so tabs, newlines and backslashes cannot lead off-site", () => {
    for (const hostile of ["/\t/evil.example/phish", "/\n/evil.example", "/\r\n/evil.example", "/\t\\evil.example", "/ /evil.example".replace(" ", "\u0009")]) {
      expect(safeRedirect(hostile, "/home")).toBe("/home");
    }
    expect(safeRedirect("/cases?status=OPEN#top", "/")).toBe("/cases?status=OPEN#top");
    expect(safeRedirect("/\r/x", "/")).toBe("/");
  });
});

describe("sameHost", () => {
  it("compares the Origin header with the Host header", () => {
    expect(sameHost("http://localhost:3000", "localhost:3000")).toBe(true);
    expect(sameHost("https://evil.example", "localhost:3000")).toBe(false);
    expect(sameHost("not a url", "localhost:3000")).toBe(false);
  });
});

describe("institution rules", () => {
  it("puts physicians in treating hospitals and consultants in consulting centres", () => {
    expect(institutionMismatch("TREATING_PHYSICIAN", { kind: "TREATING" })).toBeNull();
    expect(institutionMismatch("TREATING_PHYSICIAN", { kind: "CONSULTING" })).toBe("admin:errors.institutionKindTreating");
    expect(institutionMismatch("CONSULTANT", { kind: "TREATING" })).toBe("admin:errors.institutionKindConsulting");
    expect(institutionMismatch("CONSULTANT", null)).toBe("admin:errors.institutionRequired");
    expect(institutionMismatch("ADMIN", null)).toBeNull();
    expect(institutionMismatch("COORDINATOR", { kind: "CONSULTING" })).toBeNull();
  });
});

describe("time zones", () => {
  it("accepts IANA zones only", () => {
    expect(isTimeZone("Asia/Shanghai")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });

  it("finds the instant a local day starts, across DST", () => {
    expect(startOfDayInZone("2026-11-21", "Asia/Shanghai")?.toISOString()).toBe("2026-11-20T16:00:00.000Z");
    expect(startOfDayInZone("2026-07-01", "America/Los_Angeles")?.toISOString()).toBe("2026-07-01T07:00:00.000Z");
    expect(startOfDayInZone("2026-12-01", "America/Los_Angeles")?.toISOString()).toBe("2026-12-01T08:00:00.000Z");
    expect(startOfDayInZone("21/11/2026", "UTC")).toBeNull();
    expect(startOfDayInZone("2026-02-31", "Asia/Shanghai")).toBeNull();
  });
});

describe("account schemas", () => {
  const valid = {
    email: " New.User@Example.ORG ",
    displayName: "Dr. New",
    role: "CONSULTANT",
    specialties: ["PATHOLOGY"],
    preferredLocale: "zh-CN",
    timeZone: "America/New_York",
    active: true,
    password: "a-long-enough-password",
  };

  it("normalises email and accepts a complete account", () => {
    const parsed = CreateUserSchema.parse(valid);
    expect(parsed.email).toBe("new.user@example.org");
  });

  it("reports each problem as a translatable key", () => {
    const result = CreateUserSchema.safeParse({ ...valid, email: "nope", role: "PATIENT", timeZone: "Nowhere", password: "short", specialties: ["ASTROLOGY"] });
    expect(result.success).toBe(false);
    const messages = result.success ? [] : result.error.issues.map((i) => `${String(i.path[0])}:${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining(["email:admin:errors.emailInvalid", "timeZone:admin:errors.timeZoneInvalid", "password:admin:errors.passwordTooShort"]),
    );
    expect(messages).toEqual(expect.arrayContaining(["role:admin:errors.roleRequired", "specialties:admin:errors.specialtyInvalid"]));
  });

  it("reads an account's or an institution's time zone by its city in English or Chinese, as the session form does", () => {
    expect(CreateUserSchema.parse({ ...valid, timeZone: "北京" }).timeZone).toBe("Asia/Shanghai");
    expect(CreateUserSchema.parse({ ...valid, timeZone: "Los Angeles" }).timeZone).toBe("America/Los_Angeles");
    expect(CreateUserSchema.parse({ ...valid, timeZone: "Asia/Shanghai — Beijing/Shanghai 北京/上海" }).timeZone).toBe("Asia/Shanghai");
    const institution = InstitutionSchema.parse({ nameEn: "A", nameZh: "甲", country: "cn", timeZone: "武汉", kind: "TREATING" });
    expect(institution.timeZone).toBe("Asia/Shanghai");
  });

  it("lets an edit keep the password", () => {
    expect(UpdateUserSchema.safeParse({ ...valid, password: undefined }).success).toBe(true);
  });

  it("needs both institution names and a two-letter country", () => {
    expect(InstitutionSchema.safeParse({ nameEn: "A", nameZh: "甲", country: "cn", timeZone: "Asia/Shanghai", kind: "TREATING" }).success).toBe(true);
    const bad = InstitutionSchema.safeParse({ nameEn: "A", nameZh: "", country: "China", timeZone: "Asia/Shanghai", kind: "TREATING" });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.message)).toEqual(["admin:errors.nameZhRequired", "admin:errors.countryInvalid"]);
  });
});
