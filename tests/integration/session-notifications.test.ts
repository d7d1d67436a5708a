import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { LiveNotification } from "~/realtime/contracts";
import * as root from "~/root";
import * as notificationsRoute from "~/routes/notifications";
import * as sessionRoute from "~/routes/sessions.$sessionId._index";
import * as newSession from "~/routes/sessions.new";
import { getDb } from "~/platform/db.server";
import { sendMail } from "~/platform/mail.server";
import { emailsSettled } from "~/features/notifications/notifications.server";
import { sendDueReminders } from "~/features/boards/session-reminders.server";
import { startServer, type RunningServer } from "../../server";
import { bodyOf, startMailbox, subjectOf, type Mail } from "../support/mailbox";
import { get, post, run, signIn } from "../support/remix";

let mailbox: Mail[] = [];
let closeMailbox: () => Promise<void>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  ({ mails: mailbox, close: closeMailbox } = await startMailbox());
  process.env.MAIL_FROM = "Tumor Board <board@tumorboard.test>";
  process.env.PUBLIC_URL = "https://board.example.org";
  for (const email of ["physician@demo.test", "consultant@demo.test", "consultant2@demo.test", "coordinator@demo.test"])
    ids[email] = (await getDb().user.findUniqueOrThrow({ where: { email } })).id;
});

afterAll(async () => {
  await closeMailbox();
});

const mailsTo = (email: string) => mailbox.filter((m) => m.to.includes(email));

async function scheduleBoard(cookie: string, fields: Record<string, string | string[]>) {
  const created = await run(newSession.action, { request: post("/sessions/new", fields, cookie) });
  expect(created.status, JSON.stringify(created.data)).toBe(302);
  return /\/sessions\/([^/]+)$/.exec(created.headers.get("location")!)![1];
}

describe("email", () => {
  it("invites by email through the SMTP server: title, both clocks and a link, nothing clinical", async () => {
    const coordinator = await signIn("coordinator@demo.test");
    const sessionId = await scheduleBoard(coordinator, {
      title: "Lung board",
      date: "2030-11-28",
      time: "08:00",
      timeZone: "Asia/Shanghai",
      durationMinutes: "60",
      chairId: ids["consultant@demo.test"],
      consultantIds: [ids["consultant2@demo.test"]],
    });
    await emailsSettled();
    const [invitation] = mailsTo("consultant@demo.test");
    expect(invitation.from).toBe("board@tumorboard.test");
    expect(subjectOf(invitation)).toBe("Tumor board invitation: Lung board");
    const text = bodyOf(invitation);
    expect(text).toMatch(/Wednesday, November 27, 2030,? (at )?16:00 Los Angeles · Thursday, November 28, 2030,? (at )?08:00 Beijing/);
    expect(text).toContain(`https://board.example.org/sessions/${sessionId}`);
    expect(mailsTo("consultant2@demo.test")).toHaveLength(1);

    const wuhan = await getDb().case.findFirstOrThrow({
      where: { institutionId: "demo-wuhan", status: "TRIAGED" },
      select: { id: true, code: true, histology: true },
    });
    await getDb().notification.updateMany({ where: { userId: ids["consultant2@demo.test"] }, data: { readAt: new Date() } });
    const added = await run(sessionRoute.action, {
      request: post(`/sessions/${sessionId}`, { intent: "addCase", caseId: wuhan.id }, coordinator),
      params: { sessionId },
    });
    expect(added.status).toBe(200);
    await emailsSettled();
    const [chinese] = mailsTo("physician@demo.test");
    expect(subjectOf(chinese)).toMatch(/^=\?UTF-8\?/);
    const chineseText = bodyOf(chinese);
    expect(chineseText).toContain("您受邀参加肿瘤多学科会诊“Lung board”");
    expect(chineseText).toMatch(/星期四 08:00（北京时间） · .*星期三 16:00（洛杉矶）/);
    for (const mail of mailbox) {
      expect(mail.raw).not.toContain(wuhan.code);
      expect(bodyOf(mail)).not.toContain(wuhan.code);
      expect(bodyOf(mail)).not.toContain(wuhan.histology ?? "腺癌");
    }
    // The consultants hear that the agenda changed, without hearing what is on it.
    expect(mailsTo("consultant2@demo.test").map(subjectOf)).toEqual(["Tumor board invitation: Lung board", "Agenda changed: Lung board"]);
  });

  it("without SMTP_URL writes one log line instead", async () => {
    const lines = vi.spyOn(console, "log").mockImplementation(() => undefined);
    vi.stubEnv("LOG_LEVEL", "info");
    const sent = await sendMail(
      [
        { to: "a@example.org", subject: "s", text: "t" },
        { to: "b@example.org", subject: "s", text: "t" },
      ],
      { kind: "sessionInvitation" },
      {},
    );
    vi.unstubAllEnvs();
    expect(sent).toBe(0);
    expect(lines).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(lines.mock.calls[0][0]))).toMatchObject({ level: "info", message: "email not sent: SMTP_URL is not set", recipients: 2 });
    lines.mockRestore();
  });
});

describe("the 15-minute reminder", () => {
  it("goes out once, even when several sweeps race for it", async () => {
    const now = new Date();
    const soon = await getDb().boardSession.create({
      data: {
        title: "Soon",
        startsAt: new Date(now.getTime() + 10 * 60_000),
        durationMinutes: 60,
        timeZone: "America/Los_Angeles",
        chairId: ids["consultant@demo.test"],
        createdById: ids["coordinator@demo.test"],
        invitees: {
          create: [
            { userId: ids["consultant@demo.test"], kind: "CHAIR" },
            { userId: ids["physician@demo.test"], kind: "PHYSICIAN" },
          ],
        },
      },
    });
    const later = await getDb().boardSession.create({
      data: {
        title: "Later",
        startsAt: new Date(now.getTime() + 40 * 60_000),
        durationMinutes: 60,
        timeZone: "UTC",
        chairId: ids["consultant@demo.test"],
        createdById: ids["coordinator@demo.test"],
      },
    });
    const sweeps = await Promise.all([sendDueReminders(getDb(), now), sendDueReminders(getDb(), now), sendDueReminders(getDb(), now)]);
    expect(sweeps.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await sendDueReminders(getDb(), new Date(now.getTime() + 60_000))).toBe(0);
    const reminders = await getDb().notification.findMany({ where: { sessionId: soon.id, kind: "sessionStartingSoon" } });
    expect(reminders.map((r) => r.userId).sort()).toEqual([ids["consultant@demo.test"], ids["physician@demo.test"]].sort());
    expect((await getDb().boardSession.findUniqueOrThrow({ where: { id: soon.id } })).reminderSentAt).toEqual(now);
    expect((await getDb().boardSession.findUniqueOrThrow({ where: { id: later.id } })).reminderSentAt).toBeNull();
    await emailsSettled();
    expect(mailsTo("consultant@demo.test").map(subjectOf)).toContain("Starting in 15 minutes: Soon");
  });
});

describe("the in-app list", () => {
  it("counts unread notifications in the header and marks them read, one or all, only the user's own", async () => {
    const physician = await signIn("physician@demo.test");
    const header = async () => (await run(root.loader, { request: get("/notifications", physician) })).data.notifications.unread as number;
    const list = await run(notificationsRoute.loader, { request: get("/notifications", physician) });
    expect(list.status).toBe(200);
    const unread = list.data.notifications.filter((n: { read: boolean }) => !n.read);
    expect(unread.length).toBeGreaterThanOrEqual(2);
    expect(await header()).toBe(unread.length);
    expect(unread[0]).toMatchObject({ messageKey: expect.stringMatching(/^sessions:notifications\./), href: expect.stringMatching(/^\/sessions\//) });

    const someoneElses = await getDb().notification.findFirstOrThrow({ where: { userId: ids["consultant@demo.test"], readAt: null } });
    expect(
      (await run(notificationsRoute.action, { request: post("/notifications", { intent: "markRead", id: someoneElses.id }, physician) })).data.marked,
    ).toBe(0);
    expect((await run(notificationsRoute.action, { request: post("/notifications", { intent: "markRead", id: unread[0].id }, physician) })).data.marked).toBe(
      1,
    );
    expect(await header()).toBe(unread.length - 1);
    await run(notificationsRoute.action, { request: post("/notifications", { intent: "markAllRead" }, physician) });
    expect(await header()).toBe(0);
    expect((await getDb().notification.findUniqueOrThrow({ where: { id: someoneElses.id } })).readAt).toBeNull();
  });
});

describe("live delivery", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, host: "127.0.0.1", ui: "none" });
  });
  afterAll(async () => {
    await server.close();
  });

  it("pushes an invitation to the invitee's socket as it is created", async () => {
    const socket = connect(`http://127.0.0.1:${server.port}`, {
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: { cookie: await signIn("consultant2@demo.test") },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    const arrived = new Promise<LiveNotification>((resolve) => socket.on("notification", resolve));
    const sessionId = await scheduleBoard(await signIn("coordinator@demo.test"), {
      title: "Live board",
      date: "2030-12-05",
      time: "08:00",
      timeZone: "Asia/Shanghai",
      durationMinutes: "60",
      chairId: ids["consultant@demo.test"],
      consultantIds: [ids["consultant2@demo.test"]],
    });
    expect(await arrived).toMatchObject({
      kind: "sessionInvitation",
      messageKey: "sessions:notifications.sessionInvitation",
      params: { title: "Live board", startsAt: "2030-12-05T00:00:00.000Z" },
      href: `/sessions/${sessionId}`,
    });
    socket.close();
    await emailsSettled();
  });
});
