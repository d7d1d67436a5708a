import { beforeAll, describe, expect, it } from "vitest";
import * as assignRoute from "~/routes/cases.$caseId.assign";
import * as caseRoute from "~/routes/cases.$caseId._index";
import * as calendarRoute from "~/routes/sessions.$sessionId.calendar[.ics]";
import * as sessionRoute from "~/routes/sessions.$sessionId._index";
import * as editRoute from "~/routes/sessions.$sessionId.edit";
import * as sessionsList from "~/routes/sessions._index";
import * as newSession from "~/routes/sessions.new";
import { getDb } from "~/platform/db.server";
import { get, post, run, signIn } from "../support/remix";

type Ids = Record<"physician" | "physician2" | "consultant" | "consultant2" | "coordinator", string>;
const ids = {} as Ids;
const cookies = {} as Record<keyof Ids, string>;
let wuhanTriaged: { id: string; code: string };
let wuhanInReview: { id: string; code: string };
let hangzhou: { id: string; code: string };

// Thursday 2030-11-28 08:00 in Beijing is Wednesday 2030-11-27 16:00 in Los Angeles.
const board = (overrides: Record<string, string | string[]> = {}) => ({
  title: "Thoracic tumor board",
  date: "2030-11-28",
  time: "08:00",
  timeZone: "Asia/Shanghai",
  durationMinutes: "90",
  chairId: ids.consultant,
  consultantIds: [ids.consultant2],
  meetingProvider: "JITSI",
  meetingAddress: "https://meet.jit.si/thoracic-board",
  ...overrides,
});

beforeAll(async () => {
  const db = getDb();
  for (const [key, email] of Object.entries({
    physician: "physician@demo.test",
    physician2: "physician2@demo.test",
    consultant: "consultant@demo.test",
    consultant2: "consultant2@demo.test",
    coordinator: "coordinator@demo.test",
  }) as [keyof Ids, string][]) {
    ids[key] = (await db.user.findUniqueOrThrow({ where: { email } })).id;
    cookies[key] = await signIn(email);
  }
  const demo = async (institutionId: string, status: string) =>
    db.case.findFirstOrThrow({ where: { institutionId, status }, select: { id: true, code: true } });
  wuhanTriaged = await demo("demo-wuhan", "TRIAGED");
  wuhanInReview = await demo("demo-wuhan", "IN_REVIEW");
  hangzhou = await demo("demo-hangzhou", "SUBMITTED");
  const triaged = await run(assignRoute.action, {
    request: post(`/cases/${hangzhou.id}/assign`, { primaryId: ids.consultant, dueDate: "2031-01-15" }, cookies.coordinator),
    params: { caseId: hangzhou.id },
  });
  expect(triaged.status).toBe(302);
});

async function schedule(fields: Record<string, string | string[]> = board()) {
  const created = await run(newSession.action, { request: post("/sessions/new", fields, cookies.coordinator) });
  expect(created.status, JSON.stringify(created.data)).toBe(302);
  return /\/sessions\/([^/]+)$/.exec(created.headers.get("location")!)![1];
}

const act = (sessionId: string, fields: Record<string, string | string[]>, cookie = cookies.coordinator) =>
  run(sessionRoute.action, { request: post(`/sessions/${sessionId}`, fields, cookie), params: { sessionId } });
const view = (sessionId: string, cookie: string) => run(sessionRoute.loader, { request: get(`/sessions/${sessionId}`, cookie), params: { sessionId } });
const caseStatus = async (caseId: string) => (await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).status;
const invitees = async (sessionId: string) =>
  Object.fromEntries((await getDb().sessionInvitee.findMany({ where: { sessionId } })).map((i) => [i.userId, i.kind]));
const notificationsOf = (userId: string, sessionId: string) =>
  getDb().notification.findMany({ where: { userId, sessionId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });

describe("scheduling a board", () => {
  it("stores a start entered in Beijing time in UTC and invites the chair and consultants", async () => {
    const sessionId = await schedule();
    const stored = await getDb().boardSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(stored).toMatchObject({
      startsAt: new Date("2030-11-28T00:00:00Z"),
      durationMinutes: 90,
      timeZone: "Asia/Shanghai",
      status: "SCHEDULED",
      icsSequence: 0,
    });
    expect(await invitees(sessionId)).toEqual({ [ids.consultant]: "CHAIR", [ids.consultant2]: "CONSULTANT" });
    expect((await notificationsOf(ids.consultant2, sessionId)).map((n) => n.kind)).toEqual(["sessionInvitation"]);
    expect(JSON.parse((await notificationsOf(ids.consultant2, sessionId))[0].params)).toEqual({
      title: "Thoracic tumor board",
      startsAt: "2030-11-28T00:00:00.000Z",
    });
    expect(await getDb().auditEvent.count({ where: { action: "session.create", entityId: sessionId } })).toBe(1);

    const page = await view(sessionId, cookies.consultant);
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ viewerZone: "America/Los_Angeles", otherZone: "Asia/Shanghai", warnings: [] });
    const physicianList = await run(sessionsList.loader, { request: get("/sessions", cookies.physician) });
    expect(physicianList.data.upcoming.map((s: { id: string }) => s.id)).not.toContain(sessionId);
  });

  it("refuses a start in the past, an http video link, a link off the meeting tool's hosts and a chair who is not a consultant, in the user's words", async () => {
    const past = await run(newSession.action, { request: post("/sessions/new", board({ date: "2020-01-09" }), cookies.coordinator) });
    expect(past.status).toBe(400);
    expect(past.data.result.error).toEqual({ date: ["sessions:errors.inPast"] });
    const http = await run(newSession.action, { request: post("/sessions/new", board({ meetingAddress: "http://meet.jit.si/x" }), cookies.coordinator) });
    expect(http.data.result.error).toEqual({ meetingAddress: ["sessions:errors.meetingLinkHttps"] });
    const offHost = await run(newSession.action, {
      request: post("/sessions/new", board({ meetingProvider: "ZOOM", meetingAddress: "https://zoom.us.example.org/j/123456789" }), cookies.coordinator),
    });
    expect(offHost.status).toBe(400);
    expect(offHost.data.result.error).toEqual({ meetingAddress: ["sessions:errors.meetingLinkHost.ZOOM"] });
    const chair = await run(newSession.action, { request: post("/sessions/new", board({ chairId: ids.physician }), cookies.coordinator) });
    expect(chair.data.result.error).toEqual({ chairId: ["sessions:errors.chairInvalid"] });
  });

  it("reads the zone as picked from the list or typed as a city in either language, and refuses an unknown one keeping the rest of the form", async () => {
    const zoneOf = async (sessionId: string) => (await getDb().boardSession.findUniqueOrThrow({ where: { id: sessionId } })).timeZone;
    const beijing = await schedule(board({ timeZone: "北京" }));
    expect(await zoneOf(beijing)).toBe("Asia/Shanghai");
    const losAngeles = await schedule(board({ time: "16:00", timeZone: "America/Los_Angeles — Los Angeles/San Francisco/Seattle 洛杉矶/旧金山/西雅图" }));
    expect(await getDb().boardSession.findUniqueOrThrow({ where: { id: losAngeles } })).toMatchObject({
      timeZone: "America/Los_Angeles",
      startsAt: new Date("2030-11-29T00:00:00Z"),
    });

    const unknown = await run(newSession.action, { request: post("/sessions/new", board({ timeZone: "Atlantis" }), cookies.coordinator) });
    expect(unknown.status).toBe(400);
    expect(unknown.data.result.error).toEqual({ timeZone: ["sessions:errors.timeZoneInvalid"] });
    expect(unknown.data.result.initialValue).toMatchObject({
      title: "Thoracic tumor board",
      date: "2030-11-28",
      time: "08:00",
      timeZone: "Atlantis",
      chairId: ids.consultant,
      consultantIds: ids.consultant2,
      meetingProvider: "JITSI",
      meetingAddress: "https://meet.jit.si/thoracic-board",
    });
  });

  it("lets only coordinators schedule; others get an audited refusal that does not reveal the session", async () => {
    const sessionId = await schedule();
    expect((await run(newSession.action, { request: post("/sessions/new", board(), cookies.consultant) })).status).toBe(403);
    expect((await run(newSession.loader, { request: get("/sessions/new", cookies.physician) })).status).toBe(403);
    const edit = await run(editRoute.loader, { request: get(`/sessions/${sessionId}/edit`, cookies.consultant), params: { sessionId } });
    expect(edit.status).toBe(404);
    expect((await act(sessionId, { intent: "addCase", caseId: wuhanTriaged.id }, cookies.consultant)).status).toBe(404);
    expect((await view(sessionId, cookies.physician)).status).toBe(404);
    expect((await view("no-such-session", cookies.coordinator)).status).toBe(404);
    const denials = await getDb().auditEvent.findMany({ where: { action: "access.denied", actorId: ids.physician } });
    expect(denials.some((d) => JSON.parse(d.details).sessionId === sessionId)).toBe(true);
  });
});

describe("the agenda", () => {
  let sessionId: string;

  it("schedules each case, invites its treating physician for it, and tells the others the agenda changed", async () => {
    sessionId = await schedule();
    expect((await act(sessionId, { intent: "addCase", caseId: wuhanTriaged.id })).status).toBe(200);
    expect(await caseStatus(wuhanTriaged.id)).toBe("SCHEDULED");
    expect(await getDb().caseTransition.findFirst({ where: { caseId: wuhanTriaged.id, toStatus: "SCHEDULED" } })).toMatchObject({
      fromStatus: "TRIAGED",
      action: "schedule",
      actorId: ids.coordinator,
    });
    expect(await getDb().auditEvent.count({ where: { action: "case.schedule", entityId: wuhanTriaged.id } })).toBe(1);
    expect(await invitees(sessionId)).toMatchObject({ [ids.physician]: "PHYSICIAN" });
    expect((await notificationsOf(ids.physician, sessionId)).map((n) => n.kind)).toEqual(["sessionInvitation"]);

    await getDb().notification.updateMany({ where: { userId: ids.consultant2 }, data: { readAt: new Date() } });
    expect((await act(sessionId, { intent: "addCase", caseId: wuhanInReview.id })).status).toBe(200);
    expect((await act(sessionId, { intent: "addCase", caseId: hangzhou.id })).status).toBe(200);
    expect(await invitees(sessionId)).toEqual({
      [ids.consultant]: "CHAIR",
      [ids.consultant2]: "CONSULTANT",
      [ids.physician]: "PHYSICIAN",
      [ids.physician2]: "PHYSICIAN",
    });
    // Two changes while the first notice is unread: one notice; and none on top of an unread invitation.
    expect((await notificationsOf(ids.consultant2, sessionId)).map((n) => n.kind)).toEqual(["sessionInvitation", "sessionAgendaChanged"]);
    expect((await notificationsOf(ids.physician, sessionId)).map((n) => n.kind)).toEqual(["sessionInvitation"]);

    const again = await act(sessionId, { intent: "addCase", caseId: wuhanTriaged.id });
    expect(again.status).toBe(400);
    expect(again.data.error).toBe("sessions:errors.caseNotSchedulable");
  });

  it("shows a treating physician only their own institution's cases, and nobody of another hospital", async () => {
    const mine = await view(sessionId, cookies.physician2);
    expect(mine.status).toBe(200);
    expect(mine.data.agenda.map((a: { code: string }) => a.code)).toEqual([hangzhou.code]);
    expect(mine.data.partialAgenda).toBe(true);
    const everything = JSON.stringify(mine.data);
    expect(everything).not.toContain(wuhanTriaged.code);
    expect(everything).not.toContain(wuhanInReview.code);
    expect(everything).not.toContain(ids.physician);
    expect(mine.data.otherZone).toBe("America/Los_Angeles");

    const wuhan = await view(sessionId, cookies.physician);
    expect(wuhan.data.agenda.map((a: { code: string }) => a.code)).toEqual([wuhanTriaged.code, wuhanInReview.code]);
    expect(JSON.stringify(wuhan.data)).not.toContain(hangzhou.code);

    const chair = await view(sessionId, cookies.consultant);
    expect(chair.data.agenda.map((a: { code: string }) => a.code)).toEqual([wuhanTriaged.code, wuhanInReview.code, hangzhou.code]);
    // Invited to the board, a consultant may read every case on its agenda, assigned or not.
    const unassigned = await run(caseRoute.loader, { request: get(`/cases/${wuhanInReview.id}`, cookies.consultant), params: { caseId: wuhanInReview.id } });
    expect(unassigned.status).toBe(200);
  });

  it("shows each case's diagnosis as stored, with its codes' names in both languages and its translation for readers of the other one", async () => {
    const stored = await getDb().case.findUniqueOrThrow({ where: { id: wuhanTriaged.id }, select: { primarySite: true, histology: true } });
    for (const cookie of [cookies.physician, cookies.consultant, cookies.coordinator]) {
      const page = await view(sessionId, cookie);
      expect(page.data.agenda.find((item: { caseId: string }) => item.caseId === wuhanTriaged.id).diagnosis).toEqual({
        primarySite: stored.primarySite,
        histology: stored.histology,
        siteTerm: { code: "C34.3", en: "Lower lobe, lung", zh: "肺下叶" },
        histologyTerm: { code: "8551/3", en: "Acinar adenocarcinoma", zh: "腺泡型腺癌" },
        siteTranslation: null,
        histologyTranslation: null,
      });
    }
    // Once someone translates the histology as written, the agenda carries the translation.
    const translated = await run(caseRoute.action, {
      request: post(
        `/cases/${wuhanTriaged.id}`,
        {
          intent: "translateText",
          subjectType: "PACKET_FIELD",
          subjectId: `${wuhanTriaged.id}.histology`,
          text: "Invasive adenocarcinoma, acinar predominant",
        },
        cookies.consultant,
      ),
      params: { caseId: wuhanTriaged.id },
    });
    expect(translated.status).toBe(200);
    const page = await view(sessionId, cookies.coordinator);
    expect(page.data.agenda.find((item: { caseId: string }) => item.caseId === wuhanTriaged.id).diagnosis).toMatchObject({
      histologyTranslation: "Invasive adenocarcinoma, acinar predominant",
    });
  });

  it("reorders by move buttons and by a dragged order, and sets minutes per case", async () => {
    const itemIds = async () => (await getDb().agendaItem.findMany({ where: { sessionId }, orderBy: { position: "asc" } })).map((i) => i.caseId);
    const item = async (caseId: string) => (await getDb().agendaItem.findFirstOrThrow({ where: { sessionId, caseId } })).id;

    expect((await act(sessionId, { intent: "moveDown", itemId: await item(wuhanTriaged.id) })).status).toBe(200);
    expect(await itemIds()).toEqual([wuhanInReview.id, wuhanTriaged.id, hangzhou.id]);
    expect((await act(sessionId, { intent: "moveUp", itemId: await item(hangzhou.id) })).status).toBe(200);
    expect(await itemIds()).toEqual([wuhanInReview.id, hangzhou.id, wuhanTriaged.id]);

    const dragged = [await item(wuhanTriaged.id), await item(wuhanInReview.id), await item(hangzhou.id)];
    expect((await act(sessionId, { intent: "reorder", order: dragged })).status).toBe(200);
    expect(await itemIds()).toEqual([wuhanTriaged.id, wuhanInReview.id, hangzhou.id]);
    expect((await act(sessionId, { intent: "reorder", order: dragged.slice(0, 2) })).status).toBe(400);

    expect((await act(sessionId, { intent: "setMinutes", itemId: await item(hangzhou.id), minutes: "25" })).status).toBe(200);
    expect((await getDb().agendaItem.findUniqueOrThrow({ where: { id: await item(hangzhou.id) } })).minutes).toBe(25);
    expect((await act(sessionId, { intent: "setMinutes", itemId: await item(hangzhou.id), minutes: "500" })).data.error).toBe("sessions:errors.minutesInvalid");

    const page = await view(sessionId, cookies.coordinator);
    expect(page.data.agenda.map((a: { plannedAt: string }) => a.plannedAt)).toEqual([
      "2030-11-28T00:00:00.000Z",
      "2030-11-28T00:15:00.000Z",
      "2030-11-28T00:30:00.000Z",
    ]);
    expect(page.data.overrunMinutes).toBe(0);
    expect(await getDb().auditEvent.count({ where: { action: "session.reorderAgenda", entityId: sessionId } })).toBe(3);
  });

  it("lists the boards on the case page, with the board's summary for the consulting side only", async () => {
    await getDb().agendaItem.updateMany({
      where: { sessionId, caseId: wuhanTriaged.id },
      data: { boardSummary: "Consensus: add savolitinib; SBRT to the adrenal lesion." },
    });
    const casePage = (cookie: string) => run(caseRoute.loader, { request: get(`/cases/${wuhanTriaged.id}`, cookie), params: { caseId: wuhanTriaged.id } });
    const consultantView = await casePage(cookies.consultant);
    expect(consultantView.data.boards).toMatchObject([
      { boardSummary: "Consensus: add savolitinib; SBRT to the adrenal lesion.", session: { id: sessionId, status: "SCHEDULED" } },
    ]);
    const physicianView = await casePage(cookies.physician);
    expect(physicianView.data.boards).toMatchObject([{ boardSummary: null, session: { id: sessionId } }]);
  });

  it("puts a removed case back in review and uninvites a physician with no case left", async () => {
    const itemId = (await getDb().agendaItem.findFirstOrThrow({ where: { sessionId, caseId: hangzhou.id } })).id;
    expect((await act(sessionId, { intent: "removeItem", itemId })).status).toBe(200);
    expect(await caseStatus(hangzhou.id)).toBe("IN_REVIEW");
    expect(await getDb().caseTransition.findFirst({ where: { caseId: hangzhou.id, fromStatus: "SCHEDULED" } })).toMatchObject({
      toStatus: "IN_REVIEW",
      action: "unschedule",
    });
    expect(await invitees(sessionId)).not.toHaveProperty(ids.physician2);
    expect((await notificationsOf(ids.physician2, sessionId)).map((n) => n.kind)).toEqual(["sessionInvitation", "sessionUninvited"]);
    expect((await view(sessionId, cookies.physician2)).status).toBe(404);
    expect((await getDb().agendaItem.findMany({ where: { sessionId }, orderBy: { position: "asc" } })).map((i) => i.position)).toEqual([1, 2]);
  });

  it("drops a withdrawn case from the agenda, and its physician with it when it was their last", async () => {
    const other = await schedule(board({ date: "2030-12-05" }));
    expect((await act(other, { intent: "addCase", caseId: hangzhou.id })).status).toBe(200);
    expect(await invitees(other)).toHaveProperty(ids.physician2);
    const withdrawn = await run(caseRoute.action, {
      request: post(`/cases/${hangzhou.id}`, { intent: "withdraw", reason: "患者选择在本地治疗" }, cookies.physician2),
      params: { caseId: hangzhou.id },
    });
    expect(withdrawn.status).toBe(302);
    expect(await caseStatus(hangzhou.id)).toBe("WITHDRAWN");
    expect(await getDb().agendaItem.count({ where: { sessionId: other } })).toBe(0);
    expect(await invitees(other)).not.toHaveProperty(ids.physician2);
  });
});

describe("editing, the calendar file and cancelling", () => {
  it("raises the .ics SEQUENCE when the time changes, re-arms the reminder, and tells the invitees", async () => {
    const sessionId = await schedule(board({ date: "2030-12-12" }));
    const ics = async (cookie: string) => run(calendarRoute.loader, { request: get(`/sessions/${sessionId}/calendar.ics`, cookie), params: { sessionId } });
    const first = await ics(cookies.consultant2);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toContain("text/calendar");
    expect(first.data).toContain("DTSTART:20301212T000000Z\r\n");
    expect(first.data).toContain("DTEND:20301212T013000Z\r\n");
    expect(first.data).toContain(`UID:${sessionId}@tumorboard\r\n`);
    expect(first.data).toContain("SEQUENCE:0\r\n");
    expect((await ics(cookies.physician)).status).toBe(404);

    await getDb().boardSession.update({ where: { id: sessionId }, data: { reminderSentAt: new Date() } });
    const editPage = await run(editRoute.loader, { request: get(`/sessions/${sessionId}/edit`, cookies.coordinator), params: { sessionId } });
    expect(editPage.data.defaults).toMatchObject({
      date: "2030-12-12",
      time: "08:00",
      timeZone: "Asia/Shanghai — Beijing/Shanghai 北京/上海",
      consultantIds: [ids.consultant2],
    });
    const moved = await run(editRoute.action, {
      request: post(`/sessions/${sessionId}/edit`, board({ date: "2030-12-12", time: "09:30", timeZone: "Asia/Shanghai" }), cookies.coordinator),
      params: { sessionId },
    });
    expect(moved.status).toBe(302);
    const stored = await getDb().boardSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(stored).toMatchObject({ startsAt: new Date("2030-12-12T01:30:00Z"), icsSequence: 1, reminderSentAt: null });
    expect((await ics(cookies.consultant2)).data).toContain("SEQUENCE:1\r\n");
    expect((await notificationsOf(ids.consultant2, sessionId)).map((n) => n.kind)).toEqual(["sessionInvitation", "sessionUpdated"]);
  });

  it("cancels: every invitee is told and the agenda's cases go back to review", async () => {
    const sessionId = await schedule(board({ date: "2030-12-19" }));
    const holder = await getDb().agendaItem.findFirstOrThrow({ where: { caseId: wuhanInReview.id, session: { status: "SCHEDULED" } } });
    expect((await act(holder.sessionId, { intent: "removeItem", itemId: holder.id })).status).toBe(200);
    const caseId = wuhanInReview.id;
    expect((await act(sessionId, { intent: "addCase", caseId })).status).toBe(200);
    const cancelled = await run(editRoute.action, {
      request: post(`/sessions/${sessionId}/edit`, { intent: "cancelSession" }, cookies.coordinator),
      params: { sessionId },
    });
    expect(cancelled.status).toBe(302);
    expect((await getDb().boardSession.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("CANCELLED");
    expect(await caseStatus(caseId)).toBe("IN_REVIEW");
    expect((await notificationsOf(ids.physician, sessionId)).map((n) => n.kind)).toEqual(["sessionInvitation", "sessionCancelled"]);
    expect((await act(sessionId, { intent: "addCase", caseId })).data.error).toBe("sessions:errors.notEditable");
    const ics = await run(calendarRoute.loader, { request: get(`/sessions/${sessionId}/calendar.ics`, cookies.consultant), params: { sessionId } });
    expect(ics.data).toContain("STATUS:CANCELLED\r\n");
    expect(ics.data).toContain("SEQUENCE:1\r\n");
  });
});

describe("the call", () => {
  it("stores the meeting tool with its ID and passcode, shows the join link to those who may enter the room, and keeps it off a closed board", async () => {
    const sessionId = await schedule(board({ date: "2030-12-05", meetingProvider: "TEAMS", meetingAddress: "1234 5678 9012", meetingPasscode: "Ab3dEf" }));
    expect(await getDb().boardSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({
      meetingProvider: "TEAMS",
      videoUrl: null,
      meetingId: "123456789012",
      meetingPasscode: "Ab3dEf",
    });
    const call = { provider: "TEAMS", href: "https://teams.microsoft.com/meet/123456789012?p=Ab3dEf", meetingId: "123456789012", passcode: "Ab3dEf" };
    expect((await view(sessionId, cookies.consultant2)).data.meeting).toEqual(call);
    expect((await view(sessionId, cookies.coordinator)).data.meeting).toEqual(call);
    const ics = await run(calendarRoute.loader, { request: get(`/sessions/${sessionId}/calendar.ics`, cookies.consultant2), params: { sessionId } });
    const unfolded = String(ics.data).replace(/\r\n /g, "");
    expect(unfolded).toContain("LOCATION:https://teams.microsoft.com/meet/123456789012?p=Ab3dEf\r\n");
    expect(unfolded).toContain("Passcode: Ab3dEf");

    const editPage = await run(editRoute.loader, { request: get(`/sessions/${sessionId}/edit`, cookies.coordinator), params: { sessionId } });
    expect(editPage.data.defaults).toMatchObject({ meetingProvider: "TEAMS", meetingAddress: "123456789012", meetingPasscode: "Ab3dEf" });
    // Teams by meeting ID needs its passcode; the form keeps what was typed.
    const noPasscode = await run(editRoute.action, {
      request: post(
        `/sessions/${sessionId}/edit`,
        board({ date: "2030-12-05", meetingProvider: "TEAMS", meetingAddress: "123456789012" }),
        cookies.coordinator,
      ),
      params: { sessionId },
    });
    expect(noPasscode.status).toBe(400);
    expect(noPasscode.data.result.error).toEqual({ meetingPasscode: ["sessions:errors.meetingPasscodeRequired.TEAMS"] });
    // A room named after a case would carry the case into the meeting tool.
    const named = await run(editRoute.action, {
      request: post(
        `/sessions/${sessionId}/edit`,
        board({ date: "2030-12-05", meetingAddress: `https://meet.jit.si/${wuhanTriaged.code}` }),
        cookies.coordinator,
      ),
      params: { sessionId },
    });
    expect(named.data.result.error).toEqual({ meetingAddress: ["sessions:errors.meetingNamesCase"] });

    const changed = await run(editRoute.action, {
      request: post(
        `/sessions/${sessionId}/edit`,
        board({ date: "2030-12-05", meetingProvider: "TENCENT", meetingAddress: "https://meeting.tencent.com/dm/AbCdEf12" }),
        cookies.coordinator,
      ),
      params: { sessionId },
    });
    expect(changed.status).toBe(302);
    expect(await getDb().boardSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({
      meetingProvider: "TENCENT",
      videoUrl: "https://meeting.tencent.com/dm/AbCdEf12",
      meetingId: null,
      meetingPasscode: null,
      icsSequence: 1,
    });
    const update = await getDb().auditEvent.findFirstOrThrow({ where: { action: "session.update", entityId: sessionId } });
    expect(JSON.parse(update.details).changed).toEqual(["meeting"]);

    const removed = await run(editRoute.action, {
      request: post(`/sessions/${sessionId}/edit`, board({ date: "2030-12-05", meetingProvider: "", meetingAddress: "" }), cookies.coordinator),
      params: { sessionId },
    });
    expect(removed.status).toBe(302);
    expect(await getDb().boardSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({ meetingProvider: null, videoUrl: null });
    expect((await view(sessionId, cookies.consultant2)).data.meeting).toBeNull();

    // Once the board is over, no page offers its call.
    await getDb().boardSession.update({
      where: { id: sessionId },
      data: { status: "ENDED", meetingProvider: "JITSI", videoUrl: "https://meet.jit.si/thoracic-board" },
    });
    expect((await view(sessionId, cookies.consultant2)).data.meeting).toBeNull();
  });
});

describe("the working-hours warning", () => {
  it("warns of a board at midnight in Beijing for the treating hospitals before any case is on it, then for the physician invited", async () => {
    const form = await run(newSession.loader, { request: get("/sessions/new", cookies.coordinator) });
    expect(form.data.treatingHospitalZones).toEqual(["Asia/Shanghai"]);
    expect(form.data.defaults.timeZone).toBe("America/Los_Angeles — Los Angeles/San Francisco/Seattle 洛杉矶/旧金山/西雅图");

    // 00:00 in Beijing is 08:00 the day before in Los Angeles: nothing to say about the consultants.
    const sessionId = await schedule(board({ date: "2031-01-09", time: "00:00", durationMinutes: "60" }));
    const before = await view(sessionId, cookies.coordinator);
    expect(before.data.warnings).toEqual([{ timeZone: "Asia/Shanghai", names: [], treatingHospitals: true, start: "00:00", end: "01:00" }]);
    expect((await run(editRoute.loader, { request: get(`/sessions/${sessionId}/edit`, cookies.coordinator), params: { sessionId } })).data).toMatchObject({
      physicians: [],
      treatingHospitalZones: ["Asia/Shanghai"],
    });

    expect((await act(sessionId, { intent: "addCase", caseId: wuhanInReview.id })).status).toBe(200);
    const after = await view(sessionId, cookies.coordinator);
    expect(after.data.warnings).toEqual([{ timeZone: "Asia/Shanghai", names: ["李伟 Li Wei"], treatingHospitals: false, start: "00:00", end: "01:00" }]);
    expect((await view(sessionId, cookies.consultant)).data.warnings).toEqual([]);
  });
});
