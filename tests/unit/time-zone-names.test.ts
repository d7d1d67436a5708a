import { describe, expect, it } from "vitest";
import { canonicalTimeZone, parseTimeZone, timeZoneChoices, timeZoneChoiceText } from "~/platform/time-zone-names";

/** What a list filtered by typed text offers: every choice containing it, in the list's order. */
const offered = (typed: string) =>
  timeZoneChoices()
    .map(timeZoneChoiceText)
    .filter((text) => text.toLowerCase().includes(typed.toLowerCase()));

describe("time-zone choices", () => {
  it("offers every zone the runtime knows, and UTC, each once, with the zones clinicians use first", () => {
    const choices = timeZoneChoices();
    expect(choices.length).toBeGreaterThan(400);
    expect(new Set(choices).size).toBe(choices.length);
    expect(choices).toEqual(expect.arrayContaining([...Intl.supportedValuesOf("timeZone"), "UTC"]));
    expect(choices[0]).toBe("Asia/Shanghai");
  });

  it("writes each zone with its cities in English and Chinese", () => {
    expect(timeZoneChoiceText("Asia/Shanghai")).toBe("Asia/Shanghai — Beijing/Shanghai 北京/上海");
    expect(timeZoneChoiceText("America/Los_Angeles")).toBe("America/Los_Angeles — Los Angeles/San Francisco/Seattle 洛杉矶/旧金山/西雅图");
    expect(timeZoneChoiceText("America/Argentina/Buenos_Aires")).toBe("America/Argentina/Buenos_Aires — Buenos Aires");
  });

  it("finds Beijing time by its English or Chinese city name", () => {
    expect(offered("Beijing")).toEqual(["Asia/Shanghai — Beijing/Shanghai 北京/上海"]);
    expect(offered("北京")).toEqual(["Asia/Shanghai — Beijing/Shanghai 北京/上海"]);
    expect(offered("洛杉矶")[0]).toMatch(/^America\/Los_Angeles — /);
    expect(offered("houston")[0]).toMatch(/^America\/Chicago — /);
  });
});

describe("reading a typed zone", () => {
  it("takes a choice, an IANA name in any case, or one city's name in either language", () => {
    expect(parseTimeZone("Asia/Shanghai — Beijing/Shanghai 北京/上海")).toBe("Asia/Shanghai");
    expect(parseTimeZone("asia/shanghai")).toBe("Asia/Shanghai");
    expect(parseTimeZone("  Beijing ")).toBe("Asia/Shanghai");
    expect(parseTimeZone("北京")).toBe("Asia/Shanghai");
    expect(parseTimeZone("los  angeles")).toBe("America/Los_Angeles");
    expect(parseTimeZone("Sao Paulo")).toBe("America/Sao_Paulo");
    expect(parseTimeZone("UTC")).toBe("UTC");
    expect(parseTimeZone("Asia/Kolkata")).toBe(canonicalTimeZone("Asia/Kolkata"));
  });

  it("names no zone for anything else", () => {
    for (const text of ["", "   ", "—", "Atlantis", "Beijing/Shanghai", "Mars/Olympus — Olympus", "北京市"]) expect(parseTimeZone(text), text).toBeNull();
  });
});
