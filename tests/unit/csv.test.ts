import { describe, expect, it } from "vitest";
import { attendanceRows } from "~/features/boards/attendance";
import { toCsv } from "~/platform/csv";

describe("toCsv", () => {
  it("quotes every field, doubles quotes, and defuses what a spreadsheet would run as a formula", () => {
    expect(
      toCsv([
        ["name", "note"],
        ['Dr. "Sam" Lee', "=HYPERLINK(1)"],
        ["李伟", null],
      ]),
    ).toBe('"name","note"\r\n"Dr. ""Sam"" Lee","\'=HYPERLINK(1)"\r\n"李伟",""\r\n');
  });
});

describe("attendanceRows", () => {
  it("lists stays in order of joining, with minutes present up to leaving or, for a stay still open, the end of the session", () => {
    const rows = attendanceRows(
      [
        { name: "B", email: "b@x", role: "Consultant", joinedAt: new Date("2026-11-26T00:10:00Z"), leftAt: null },
        { name: "A", email: "a@x", role: "Consultant", joinedAt: new Date("2026-11-26T00:00:00Z"), leftAt: new Date("2026-11-26T00:30:00Z") },
      ],
      new Date("2026-11-26T01:00:00Z"),
      ["name", "email", "role", "joined", "left", "minutes"],
    );
    expect(rows.slice(1)).toEqual([
      ["A", "a@x", "Consultant", "2026-11-26T00:00:00.000Z", "2026-11-26T00:30:00.000Z", 30],
      ["B", "b@x", "Consultant", "2026-11-26T00:10:00.000Z", null, 50],
    ]);
  });
});
