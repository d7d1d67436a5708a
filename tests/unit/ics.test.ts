import { describe, expect, it } from "vitest";
import { buildIcs, escapeText, foldLine } from "~/features/boards/ics";

const event = {
  uid: "cm123@tumorboard",
  sequence: 2,
  stampedAt: new Date("2026-11-22T01:02:03.456Z"),
  startsAt: new Date("2026-11-26T00:00:00Z"),
  endsAt: new Date("2026-11-26T01:30:00Z"),
  summary: "Thoracic board; EGFR, MET",
  description: "Tumor board session.\nDetails: https://board.example.org/sessions/cm123",
  location: "https://meet.example.org/abc",
  url: "https://board.example.org/sessions/cm123",
  cancelled: false,
};

/** Undoes RFC 5545 folding. */
const unfold = (text: string) => text.replace(/\r\n /g, "");

describe("iCalendar", () => {
  it("publishes one event in UTC with its UID and SEQUENCE, every line ending in CRLF", () => {
    const ics = buildIcs(event);
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(
      ics
        .split("\r\n")
        .filter((l) => l && !l.startsWith(" "))
        .map((l) => l.split(":")[0]),
    ).toEqual([
      "BEGIN",
      "VERSION",
      "PRODID",
      "CALSCALE",
      "METHOD",
      "BEGIN",
      "UID",
      "SEQUENCE",
      "DTSTAMP",
      "DTSTART",
      "DTEND",
      "SUMMARY",
      "DESCRIPTION",
      "LOCATION",
      "URL",
      "STATUS",
      "TRANSP",
      "END",
      "END",
    ]);
    const lines = unfold(ics).split("\r\n");
    expect(lines).toContain("METHOD:PUBLISH");
    expect(lines).toContain("UID:cm123@tumorboard");
    expect(lines).toContain("SEQUENCE:2");
    expect(lines).toContain("DTSTAMP:20261122T010203Z");
    expect(lines).toContain("DTSTART:20261126T000000Z");
    expect(lines).toContain("DTEND:20261126T013000Z");
    expect(lines).toContain("SUMMARY:Thoracic board\\; EGFR\\, MET");
    expect(lines).toContain("DESCRIPTION:Tumor board session.\\nDetails: https://board.example.org/sessions/cm123");
    expect(lines).toContain("STATUS:CONFIRMED");
    expect(ics).not.toMatch(/[^\r]\n/);
  });

  it("marks a cancelled session", () => {
    expect(unfold(buildIcs({ ...event, cancelled: true, sequence: 3 })).split("\r\n")).toEqual(expect.arrayContaining(["STATUS:CANCELLED", "SEQUENCE:3"]));
  });

  it("escapes backslashes, semicolons, commas and line breaks in text", () => {
    expect(escapeText("a\\b;c,d\r\ne\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
  });

  it("folds long lines at 75 octets without splitting a UTF-8 character", () => {
    const line = "SUMMARY:" + "肺癌多学科会诊".repeat(12);
    const folded = foldLine(line);
    const parts = folded.split("\r\n");
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(75);
    for (const part of parts.slice(1)) expect(part.startsWith(" ")).toBe(true);
    expect(folded.replace(/\r\n /g, "")).toBe(line);
    expect(Buffer.from(folded, "utf8").toString("utf8")).toBe(folded);
    expect(foldLine("SHORT:line")).toBe("SHORT:line");
    expect(foldLine("X:" + "a".repeat(73))).toBe("X:" + "a".repeat(73));
    expect(foldLine("X:" + "a".repeat(74)).split("\r\n")).toEqual(["X:" + "a".repeat(73), " a"]);
  });
});
