import { describe, expect, it } from "vitest";
import {
  agendaOverrunMinutes,
  caseStatusAfterBoard,
  counterpartZone,
  desiredInvitees,
  inviteeChanges,
  isReordering,
  moveInOrder,
  outOfHours,
  plannedStarts,
  SessionScheduleSchema,
  startOf,
} from "~/features/boards/board-schedule";
import { localDateTimeInZone, zonedLocalToUtc } from "~/platform/time-zones";

const weekday = (instant: Date, timeZone: string) => new Intl.DateTimeFormat("en-US", { weekday: "long", timeZone }).format(instant);

describe("zoned local time to UTC", () => {
  it("reads Thursday 08:00 in Beijing as Wednesday 16:00 in Los Angeles", () => {
    const start = zonedLocalToUtc("2026-11-26", "08:00", "Asia/Shanghai")!;
    expect(start.toISOString()).toBe("2026-11-26T00:00:00.000Z");
    expect(localDateTimeInZone(start, "America/Los_Angeles")).toEqual({ date: "2026-11-25", time: "16:00" });
    expect(weekday(start, "America/Los_Angeles")).toBe("Wednesday");
    expect(weekday(start, "Asia/Shanghai")).toBe("Thursday");
  });

  it("uses the offset in force on that day, not today's", () => {
    expect(zonedLocalToUtc("2026-07-09", "08:00", "America/Los_Angeles")!.toISOString()).toBe("2026-07-09T15:00:00.000Z");
    expect(zonedLocalToUtc("2026-12-10", "08:00", "America/Los_Angeles")!.toISOString()).toBe("2026-12-10T16:00:00.000Z");
    expect(zonedLocalToUtc("2026-07-09", "08:00", "Europe/London")!.toISOString()).toBe("2026-07-09T07:00:00.000Z");
  });

  it("handles the DST changes: a skipped hour moves forward, a repeated hour takes the earlier instant", () => {
    // 2027-03-14 02:30 does not exist in Los Angeles (clocks go 02:00 → 03:00): read as 03:30 PDT.
    const skipped = zonedLocalToUtc("2027-03-14", "02:30", "America/Los_Angeles")!;
    expect(skipped.toISOString()).toBe("2027-03-14T10:30:00.000Z");
    expect(localDateTimeInZone(skipped, "America/Los_Angeles").time).toBe("03:30");
    // 2026-11-01 01:30 happens twice (PDT then PST): the first one.
    expect(zonedLocalToUtc("2026-11-01", "01:30", "America/Los_Angeles")!.toISOString()).toBe("2026-11-01T08:30:00.000Z");
    expect(zonedLocalToUtc("2026-11-01", "03:00", "America/Los_Angeles")!.toISOString()).toBe("2026-11-01T11:00:00.000Z");
    expect(zonedLocalToUtc("2026-03-29", "01:30", "Europe/London")!.toISOString()).toBe("2026-03-29T01:30:00.000Z");
  });

  it("refuses malformed or impossible input", () => {
    expect(zonedLocalToUtc("2026-02-30", "08:00", "Asia/Shanghai")).toBeNull();
    expect(zonedLocalToUtc("2026-11-26", "24:00", "Asia/Shanghai")).toBeNull();
    expect(zonedLocalToUtc("26/11/2026", "08:00", "Asia/Shanghai")).toBeNull();
    expect(zonedLocalToUtc("2026-11-26", "08:00", "Mars/Olympus")).toBeNull();
  });
});

describe("the schedule form", () => {
  const valid = {
    title: "Thoracic board",
    date: "2026-11-26",
    time: "08:00",
    timeZone: "Asia/Shanghai",
    durationMinutes: 60,
    chairId: "c1",
    consultantIds: ["c2"],
  };

  it("accepts a board and gives its start as an instant", () => {
    const parsed = SessionScheduleSchema.parse(valid);
    expect(startOf(parsed).toISOString()).toBe("2026-11-26T00:00:00.000Z");
  });

  it("reads the zone from a choice of the list, an IANA name or a city in either language", () => {
    for (const timeZone of ["Asia/Shanghai — Beijing/Shanghai 北京/上海", "asia/shanghai", "Beijing", "北京", " shanghai "])
      expect(SessionScheduleSchema.parse({ ...valid, timeZone }).timeZone, timeZone).toBe("Asia/Shanghai");
    expect(SessionScheduleSchema.parse({ ...valid, timeZone: "洛杉矶" }).timeZone).toBe("America/Los_Angeles");
  });

  it("names each problem with an i18n key", () => {
    const issues = (input: Record<string, unknown>) => SessionScheduleSchema.safeParse(input).error?.issues.map((i) => [i.path.join("."), i.message]) ?? [];
    expect(issues({ ...valid, meetingProvider: "OTHER", meetingAddress: "http://meet.example.org/x" })).toEqual([
      ["meetingAddress", "sessions:errors.meetingLinkHttps"],
    ]);
    expect(issues({ ...valid, meetingProvider: "OTHER", meetingAddress: "https://meet.example.org/abc-defg" })).toEqual([]);
    expect(issues({ ...valid, date: "2026-02-30" })).toEqual([["date", "sessions:errors.dateInvalid"]]);
    expect(issues({ ...valid, durationMinutes: 5 })).toEqual([["durationMinutes", "sessions:errors.durationInvalid"]]);
    expect(issues({ ...valid, timeZone: "Atlantis" })).toEqual([["timeZone", "sessions:errors.timeZoneInvalid"]]);
    expect(issues({ ...valid, timeZone: "Mars/Olympus — Olympus 奥林匹斯" })).toEqual([["timeZone", "sessions:errors.timeZoneInvalid"]]);
    expect(issues({ ...valid, timeZone: "Asia/Shanghai".repeat(20) })).toEqual([["timeZone", "sessions:errors.timeZoneInvalid"]]);
    expect(issues({ ...valid, title: " " })).toEqual([["title", "sessions:errors.titleRequired"]]);
    expect(issues({ ...valid, time: "8am" })).toEqual([["time", "sessions:errors.timeInvalid"]]);
  });
});

describe("the other side's clock", () => {
  it("shows Beijing time beside everyone else's, and the consulting side's beside Beijing's", () => {
    expect(counterpartZone("America/Los_Angeles", ["America/Los_Angeles"])).toBe("Asia/Shanghai");
    expect(counterpartZone("Europe/London", ["America/Los_Angeles"])).toBe("Asia/Shanghai");
    expect(counterpartZone("Asia/Shanghai", ["America/New_York", "America/Los_Angeles"])).toBe("America/New_York");
    expect(counterpartZone("Asia/Shanghai", ["Asia/Shanghai", "America/Chicago"])).toBe("America/Chicago");
    expect(counterpartZone("Asia/Shanghai", ["Asia/Shanghai"])).toBeNull();
  });
});

describe("the 07:00-22:00 warning", () => {
  const consulting = [{ name: "Dr. Miller", timeZone: "America/Los_Angeles" }];
  const physicians = [
    { name: "Li Wei", timeZone: "Asia/Shanghai" },
    { name: "Chen Jing", timeZone: "Asia/Shanghai" },
  ];
  const beijing = (date: string, time: string, durationMinutes: number) => ({ startsAt: zonedLocalToUtc(date, time, "Asia/Shanghai")!, durationMinutes });

  it("is quiet for Thursday 08:00 Beijing, Wednesday 16:00 Los Angeles", () => {
    expect(outOfHours(beijing("2026-11-26", "08:00", 90), { consulting, physicians, treatingHospitalZones: [] })).toEqual([]);
  });

  it("warns the Beijing invitees of a 06:00 start", () => {
    expect(outOfHours(beijing("2026-11-26", "06:00", 60), { consulting, physicians, treatingHospitalZones: [] })).toEqual([
      { timeZone: "Asia/Shanghai", names: ["Li Wei", "Chen Jing"], treatingHospitals: false, start: "06:00", end: "07:00" },
    ]);
  });

  it("warns when the end passes 22:00 or local midnight", () => {
    // 13:00 Beijing is 21:00 in Los Angeles the day before: a 90-minute board ends at 22:30 there.
    expect(outOfHours(beijing("2026-11-26", "13:00", 90), { consulting, physicians, treatingHospitalZones: [] })).toEqual([
      { timeZone: "America/Los_Angeles", names: ["Dr. Miller"], treatingHospitals: false, start: "21:00", end: "22:30" },
    ]);
    expect(outOfHours(beijing("2026-11-26", "13:00", 60), { consulting, physicians, treatingHospitalZones: [] })).toEqual([]);
    expect(outOfHours(beijing("2026-11-26", "21:30", 180), { consulting: [], physicians: physicians.slice(0, 1), treatingHospitalZones: [] })).toEqual([
      { timeZone: "Asia/Shanghai", names: ["Li Wei"], treatingHospitals: false, start: "21:30", end: "00:30" },
    ]);
  });

  it("covers the treating hospitals' clocks before any case is on the agenda", () => {
    // Midnight in Beijing is 08:00 the day before in Los Angeles: only the treating side is out of hours.
    expect(outOfHours(beijing("2026-11-26", "00:00", 60), { consulting, physicians: [], treatingHospitalZones: ["Asia/Shanghai", "Asia/Urumqi"] })).toEqual([
      { timeZone: "Asia/Shanghai", names: [], treatingHospitals: true, start: "00:00", end: "01:00" },
      { timeZone: "Asia/Urumqi", names: [], treatingHospitals: true, start: "22:00", end: "23:00" },
    ]);
    // A consultant on Beijing time shares the warning with the hospitals.
    expect(
      outOfHours(beijing("2026-11-26", "06:30", 60), {
        consulting: [{ name: "Dr. Wang", timeZone: "Asia/Shanghai" }],
        physicians: [],
        treatingHospitalZones: ["Asia/Shanghai"],
      }),
    ).toEqual([{ timeZone: "Asia/Shanghai", names: ["Dr. Wang"], treatingHospitals: true, start: "06:30", end: "07:30" }]);
  });

  it("takes Beijing time for the treating side when no hospital's zone is known", () => {
    for (const treatingHospitalZones of [[], ["Not/AZone"]])
      expect(outOfHours(beijing("2026-11-26", "00:00", 60), { consulting, physicians: [], treatingHospitalZones })).toEqual([
        { timeZone: "Asia/Shanghai", names: [], treatingHospitals: true, start: "00:00", end: "01:00" },
      ]);
  });

  it("asks the invited physicians' own clocks once the agenda has cases, not the hospitals'", () => {
    const urumqiPhysician = [{ name: "Aygul", timeZone: "Asia/Urumqi" }];
    expect(outOfHours(beijing("2026-11-26", "08:00", 60), { consulting, physicians: urumqiPhysician, treatingHospitalZones: ["Asia/Shanghai"] })).toEqual([
      { timeZone: "Asia/Urumqi", names: ["Aygul"], treatingHospitals: false, start: "06:00", end: "07:00" },
    ]);
  });
});

describe("invitees", () => {
  it("invites the chair as chair, consultants, interpreters, and each agenda case's treating physician once", () => {
    const desired = desiredInvitees({ chairId: "c1", consultantIds: ["c1", "c2"], interpreterIds: ["i1"], physicianIds: ["p1", "p1", "p2"] });
    expect([...desired]).toEqual([
      ["i1", "INTERPRETER"],
      ["p1", "PHYSICIAN"],
      ["p2", "PHYSICIAN"],
      ["c1", "CHAIR"],
      ["c2", "CONSULTANT"],
    ]);
  });

  it("says who is newly invited, uninvited, and whose role changed", () => {
    const changes = inviteeChanges(
      [
        { userId: "c1", kind: "CHAIR" },
        { userId: "c2", kind: "CONSULTANT" },
        { userId: "p1", kind: "PHYSICIAN" },
      ],
      desiredInvitees({ chairId: "c2", consultantIds: ["c1"], interpreterIds: [], physicianIds: ["p2"] }),
    );
    expect(changes).toEqual({
      added: [{ userId: "p2", kind: "PHYSICIAN" }],
      removed: ["p1"],
      changed: [
        { userId: "c1", kind: "CONSULTANT" },
        { userId: "c2", kind: "CHAIR" },
      ],
    });
  });
});

describe("the agenda", () => {
  it("moves an item up or down and stays put at either end", () => {
    expect(moveInOrder(["a", "b", "c"], "b", "up")).toEqual(["b", "a", "c"]);
    expect(moveInOrder(["a", "b", "c"], "b", "down")).toEqual(["a", "c", "b"]);
    expect(moveInOrder(["a", "b", "c"], "a", "up")).toEqual(["a", "b", "c"]);
    expect(moveInOrder(["a", "b", "c"], "c", "down")).toEqual(["a", "b", "c"]);
    expect(moveInOrder(["a", "b"], "x", "down")).toEqual(["a", "b"]);
  });

  it("accepts a dragged order only when it names every item once", () => {
    expect(isReordering(["a", "b", "c"], ["c", "a", "b"])).toBe(true);
    expect(isReordering(["a", "b", "c"], ["c", "a"])).toBe(false);
    expect(isReordering(["a", "b", "c"], ["c", "a", "a"])).toBe(false);
    expect(isReordering(["a", "b", "c"], ["c", "a", "x"])).toBe(false);
  });

  it("plans each case after the one before, and measures an overrun", () => {
    const start = new Date("2026-11-26T00:00:00Z");
    const items = [
      { id: "a", minutes: 20 },
      { id: "b", minutes: 25 },
      { id: "c", minutes: 30 },
    ];
    expect([...plannedStarts(start, items)].map(([id, at]) => [id, at.toISOString()])).toEqual([
      ["a", "2026-11-26T00:00:00.000Z"],
      ["b", "2026-11-26T00:20:00.000Z"],
      ["c", "2026-11-26T00:45:00.000Z"],
    ]);
    expect(agendaOverrunMinutes(60, items)).toBe(15);
    expect(agendaOverrunMinutes(90, items)).toBe(0);
  });

  it("marks a case discussed when the board focused or summarised it, else sends it back to review", () => {
    expect(caseStatusAfterBoard({ discussedAt: new Date(), boardSummary: "" })).toBe("DISCUSSED");
    expect(caseStatusAfterBoard({ discussedAt: null, boardSummary: "Agree with SBRT to the adrenal lesion." })).toBe("DISCUSSED");
    expect(caseStatusAfterBoard({ discussedAt: null, boardSummary: "  " })).toBe("IN_REVIEW");
  });
});
