import { describe, expect, it } from "vitest";
import { SessionScheduleSchema } from "~/features/boards/board-schedule";
import { MEETING_PROVIDER_LABEL_KEYS, MEETING_PROVIDERS, meetingFormDefaults, meetingJoin, readMeeting } from "~/features/boards/meeting";
import { fixedTranslations } from "../support/translations";

const read = (provider: string, address: string, passcode = "") => readMeeting({ provider, address, passcode });
const problems = (provider: string, address: string, passcode = "") => read(provider, address, passcode).problems.map((p) => [p.field, p.key]);
const joinOf = (provider: string, address: string, passcode = "") => {
  const { meeting } = read(provider, address, passcode);
  return meeting && meetingJoin({ provider: meeting.provider, link: meeting.link, meetingId: meeting.meetingId, passcode: meeting.passcode });
};

describe("the call's templates", () => {
  it("builds each tool's join link from its meeting ID", () => {
    expect(joinOf("ZOOM", "123 4567 8901")).toEqual({ provider: "ZOOM", href: "https://zoom.us/j/12345678901", meetingId: "12345678901", passcode: null });
    expect(joinOf("ZOOM", "123-456-789", "xY7 ")?.passcode).toBe("xY7");
    expect(joinOf("TEAMS", "2195 4785 1234", "aB&c=d")?.href).toBe("https://teams.microsoft.com/meet/219547851234?p=aB%26c%3Dd");
    expect(joinOf("JITSI", "thoracic-board_2")?.href).toBe("https://meet.jit.si/thoracic-board_2");
  });

  it("takes an invitation link on the tool's own hosts and their subdomains, as given", () => {
    expect(joinOf("ZOOM", "https://us02web.zoom.us/j/87654321012?pwd=Abc.1")?.href).toBe("https://us02web.zoom.us/j/87654321012?pwd=Abc.1");
    expect(joinOf("ZOOM", "https://zoom.com.cn/j/123456789")?.href).toBe("https://zoom.com.cn/j/123456789");
    expect(joinOf("TEAMS", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0")?.meetingId).toBeNull();
    expect(joinOf("TENCENT", "https://meeting.tencent.com/dm/AbCdEf12")?.href).toBe("https://meeting.tencent.com/dm/AbCdEf12");
    expect(joinOf("TENCENT", "https://voovmeeting.com/dm/AbCdEf12")?.provider).toBe("TENCENT");
    expect(joinOf("OTHER", "https://jitsi.hospital.example.cn/board")?.href).toBe("https://jitsi.hospital.example.cn/board");
  });

  it("refuses links that are not https, carry credentials, or sit on another host, with the tool named", () => {
    expect(problems("ZOOM", "http://zoom.us/j/123456789")).toEqual([["meetingAddress", "sessions:errors.meetingLinkHttps"]]);
    expect(problems("OTHER", "javascript:alert(1)")).toEqual([["meetingAddress", "sessions:errors.meetingLinkHttps"]]);
    expect(problems("JITSI", "https://user:pw@meet.jit.si/room")).toEqual([["meetingAddress", "sessions:errors.meetingLinkHttps"]]);
    expect(problems("ZOOM", "https://zoom.us.evil.example/j/123456789")).toEqual([["meetingAddress", "sessions:errors.meetingLinkHost.ZOOM"]]);
    expect(problems("ZOOM", "https://evilzoom.us/j/123456789")).toEqual([["meetingAddress", "sessions:errors.meetingLinkHost.ZOOM"]]);
    expect(problems("TEAMS", "https://evil.example/?teams.microsoft.com")).toEqual([["meetingAddress", "sessions:errors.meetingLinkHost.TEAMS"]]);
    expect(problems("JITSI", "meet.jit.si/room")).toEqual([["meetingAddress", "sessions:errors.meetingLinkInvalid"]]);
  });

  it("refuses IDs a tool does not have, Teams by ID without its passcode, and over-long or odd values", () => {
    expect(problems("ZOOM", "12345")).toEqual([["meetingAddress", "sessions:errors.meetingIdInvalid.ZOOM"]]);
    expect(problems("TENCENT", "123 456 789")).toEqual([["meetingAddress", "sessions:errors.meetingIdInvalid.TENCENT"]]);
    expect(problems("OTHER", "board-room")).toEqual([["meetingAddress", "sessions:errors.meetingIdInvalid.OTHER"]]);
    expect(problems("JITSI", "a b")).toEqual([["meetingAddress", "sessions:errors.meetingIdInvalid.JITSI"]]);
    expect(problems("TEAMS", "219547851234")).toEqual([["meetingPasscode", "sessions:errors.meetingPasscodeRequired.TEAMS"]]);
    expect(problems("ZOOM", "123456789", "pass word")).toEqual([["meetingPasscode", "sessions:errors.meetingPasscodeInvalid"]]);
    expect(problems("ZOOM", "123456789", "x".repeat(33))).toEqual([["meetingPasscode", "sessions:errors.meetingPasscodeInvalid"]]);
    expect(problems("OTHER", `https://meet.example.org/${"a".repeat(500)}`)).toEqual([["meetingAddress", "sessions:errors.meetingAddressTooLong"]]);
    expect(problems("ZOOM", "")).toEqual([["meetingAddress", "sessions:errors.meetingAddressRequired.ZOOM"]]);
    expect(problems("SKYPE", "https://join.skype.com/x")).toEqual([["meetingProvider", "sessions:errors.meetingProviderInvalid"]]);
    expect(problems("", "https://meet.jit.si/room")).toEqual([["meetingProvider", "sessions:errors.meetingProviderRequired"]]);
    expect(read("", "", "")).toEqual({ meeting: null, problems: [] });
  });

  it("keeps cases out of the call: no case code in the link, room name or passcode", () => {
    expect(problems("JITSI", "TB-2026-0042")).toEqual([["meetingAddress", "sessions:errors.meetingNamesCase"]]);
    expect(problems("OTHER", "https://meet.example.org/board-tb-2026-0042")).toEqual([["meetingAddress", "sessions:errors.meetingNamesCase"]]);
    expect(problems("ZOOM", "123456789", "TB-2026-0042")).toEqual([["meetingPasscode", "sessions:errors.meetingNamesCase"]]);
  });

  it("shows nothing for a stored call the rules no longer accept, and fills the form back as stored", () => {
    expect(meetingJoin({ provider: "ZOOM", link: "https://evil.example/j/1", meetingId: null, passcode: null })).toBeNull();
    expect(meetingJoin({ provider: null, link: "https://meet.jit.si/room", meetingId: null, passcode: null })).toBeNull();
    expect(meetingFormDefaults({ provider: "ZOOM", link: null, meetingId: "123456789", passcode: "x1" })).toEqual({
      meetingProvider: "ZOOM",
      meetingAddress: "123456789",
      meetingPasscode: "x1",
    });
  });

  it("puts each problem on its field of the schedule form", () => {
    const base = { title: "Board", date: "2026-11-26", time: "08:00", timeZone: "Asia/Shanghai", durationMinutes: 60, chairId: "c1" };
    const issues = (input: Record<string, unknown>) => SessionScheduleSchema.safeParse(input).error?.issues.map((i) => [i.path.join("."), i.message]) ?? [];
    expect(issues({ ...base, meetingProvider: "ZOOM", meetingAddress: "https://meet.jit.si/x" })).toEqual([
      ["meetingAddress", "sessions:errors.meetingLinkHost.ZOOM"],
    ]);
    expect(issues({ ...base, meetingProvider: "TEAMS", meetingAddress: "219547851234", meetingPasscode: "Ab1" })).toEqual([]);
    expect(issues({ ...base, meetingAddress: "x".repeat(501) }).map(([field]) => field)).toContain("meetingAddress");
  });

  it("names every tool and every tool's errors in both languages", async () => {
    const keys = MEETING_PROVIDERS.flatMap((provider) => [
      MEETING_PROVIDER_LABEL_KEYS[provider],
      `sessions:errors.meetingLinkHost.${provider}`,
      `sessions:errors.meetingIdInvalid.${provider}`,
      `sessions:errors.meetingAddressRequired.${provider}`,
    ]);
    const { en, zh } = await fixedTranslations();
    for (const t of [en, zh]) expect(keys.filter((key) => t(key) === key || t(key) === key.replace(/^\w+:/, ""))).toEqual([]);
    expect(zh("sessions:meeting.joinWith", { provider: zh(MEETING_PROVIDER_LABEL_KEYS.TENCENT) })).toBe("加入腾讯会议");
  });
});
