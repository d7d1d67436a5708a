/**
 * Every step of a case that waits for someone tells them: in the app, live and
 * by email (checked through a real SMTP server), in their own language, naming
 * the case's code and the step and nothing clinical; and nobody else hears.
 */
import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveNotification } from "~/realtime/contracts";
import * as assignRoute from "~/routes/cases.$caseId.assign";
import * as caseRoute from "~/routes/cases.$caseId._index";
import * as editRoute from "~/routes/cases.$caseId.edit";
import * as newCase from "~/routes/cases.new";
import * as notificationsRoute from "~/routes/notifications";
import { sendDueNotices } from "~/features/cases/case-due-notices.server";
import { getCaseFacts } from "~/features/cases/case-store.server";
import { emailsSettled, notifyCase } from "~/features/notifications/notifications.server";
import { getDb, providerOf } from "~/platform/db.server";
import { startServer, type RunningServer } from "../../server";
import { FIRST_ENTRY, packetForm } from "../support/case-packet";
import { bodyOf, decodedSubjectOf, startMailbox, subjectOf, type Mail } from "../support/mailbox";
import { thirdConsultant, wuhanCaseInReview } from "../support/opinion-case";
import { get, post, run, signIn } from "../support/remix";

const PEOPLE = ["physician", "physician2", "consultant", "consultant2", "consultant3", "coordinator", "admin"] as const;
type Person = (typeof PEOPLE)[number];
const ids = {} as Record<Person, string>;
const cookies = {} as Record<Person, string>;
const emailOf = (person: Person) => `${person}@demo.test`;
/** What the packet holds that no notification may carry. */
const CLINICAL = ["右肺上叶", "腺癌", "咳嗽", "MET", "赛沃替尼", "培美曲塞"];

let mailbox: Mail[] = [];
let closeMailbox: () => Promise<void>;
let caseId = "";
let code = "";

beforeAll(async () => {
  ({ mails: mailbox, close: closeMailbox } = await startMailbox());
  process.env.PUBLIC_URL = "https://board.example.org";
  await thirdConsultant(getDb());
  for (const person of PEOPLE) {
    ids[person] = (await getDb().user.findUniqueOrThrow({ where: { email: emailOf(person) } })).id;
    cookies[person] = await signIn(emailOf(person));
  }
});

afterAll(async () => {
  delete process.env.PUBLIC_URL;
  await closeMailbox();
});

/** The mails to a person about this test's case (seeded overdue cases have notices of their own once a server sweeps). */
const mailsAbout = (person: Person) => mailbox.filter((m) => m.to.includes(emailOf(person)) && decodedSubjectOf(m).includes(code));
const mailsOf = (kindSubject: RegExp, person: Person) => mailsAbout(person).filter((m) => kindSubject.test(decodedSubjectOf(m)));
const receivers = async (kind: string) =>
  (await getDb().notification.findMany({ where: { caseId, kind }, select: { userId: true } })).map((n) => PEOPLE.find((p) => ids[p] === n.userId)).sort();

function expectNothingClinical(mail: Mail) {
  for (const text of [...CLINICAL, "病理报告"]) {
    expect(bodyOf(mail)).not.toContain(text);
    expect(decodedSubjectOf(mail)).not.toContain(text);
  }
}

async function version() {
  return String((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).version);
}
const submit = async () =>
  run(editRoute.action, {
    request: post(`/cases/${caseId}/edit`, { ...packetForm(), intent: "submit", version: await version() }, cookies.physician),
    params: { caseId },
  });

/** A new case of the demo physician, submitted (its id and code kept in `caseId` and `code`), once its emails are out. */
async function submitNewCase() {
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, cookies.physician) });
  caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location") ?? "")![1];
  code = (await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).code;
  expect((await submit()).status).toBe(302);
  await emailsSettled();
}

describe("the steps of a case", () => {
  it("tells the coordinators, and only them, that a submitted case waits for triage", async () => {
    await submitNewCase();

    expect(await receivers("caseSubmitted")).toEqual(["coordinator"]);
    const [mail] = mailsOf(/triage/, "coordinator");
    expect(subjectOf(mail)).toBe(`New case to triage: ${code}`);
    expect(bodyOf(mail)).toContain(`Case ${code} was submitted and waits for triage.`);
    expect(bodyOf(mail)).toContain(`https://board.example.org/cases/${caseId}`);
    expectNothingClinical(mail);
    for (const person of ["physician", "consultant", "consultant2", "admin"] as const) expect(mailsAbout(person)).toEqual([]);
  });

  it("tells the treating physicians of the case's hospital that it was returned, in Chinese, with the reason in the app only", async () => {
    const returned = await run(caseRoute.action, {
      request: post(`/cases/${caseId}`, { intent: "return", reason: "请补充病理报告" }, cookies.coordinator),
      params: { caseId },
    });
    expect(returned.status).toBe(302);
    await emailsSettled();

    expect(await receivers("caseReturned")).toEqual(["physician"]);
    const [mail] = mailsOf(/已退回/, "physician");
    expect(decodedSubjectOf(mail)).toBe(`病例已退回给您：${code}`);
    expect(bodyOf(mail)).toContain(`病例 ${code} 已退回给您`);
    expect(bodyOf(mail)).toContain("退回原因请在平台的病例页面和通知中查看。");
    expectNothingClinical(mail);
    expect(mailsAbout("physician2")).toEqual([]);

    const list = await run(notificationsRoute.loader, { request: get("/notifications", cookies.physician) });
    expect(list.data.notifications).toContainEqual(
      expect.objectContaining({
        messageKey: "cases:notifications.caseReturned",
        href: `/cases/${caseId}`,
        caseParams: { code, reason: "请补充病理报告", reasonLanguage: "zh-CN" },
      }),
    );
    // The reason is the case's own text: showing it is audited as a read of the case.
    const read = await getDb().auditEvent.findMany({ where: { entityType: "Case", entityId: caseId, action: "case.view", actorId: ids.physician } });
    expect(read.map((e) => JSON.parse(e.details))).toContainEqual(expect.objectContaining({ via: "notifications", fields: ["returnReason"] }));
  });

  it("no longer shows the return's reason, nor links the case, to a physician who has moved to another hospital", async () => {
    const { institutionId: own } = await getDb().user.findUniqueOrThrow({ where: { id: ids.physician } });
    const { institutionId: elsewhere } = await getDb().user.findUniqueOrThrow({ where: { id: ids.physician2 } });
    expect(elsewhere).not.toBe(own);
    await getDb().user.update({ where: { id: ids.physician }, data: { institutionId: elsewhere } });
    try {
      const list = await run(notificationsRoute.loader, { request: get("/notifications", cookies.physician) });
      const returned = list.data.notifications.filter((n: { messageKey: string }) => n.messageKey === "cases:notifications.caseReturned");
      expect(returned).toContainEqual(expect.objectContaining({ caseParams: { code }, href: null }));
      expect(JSON.stringify(list.data)).not.toContain("请补充病理报告");
    } finally {
      await getDb().user.update({ where: { id: ids.physician }, data: { institutionId: own } });
    }
  });

  describe("live", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer({ port: 0, host: "127.0.0.1", ui: "none" });
    });
    afterAll(async () => {
      await server.close();
    });

    it("tells each consultant assigned, as it happens and by email, and no other consultant", async () => {
      expect((await submit()).status).toBe(302);
      const socket = connect(`http://127.0.0.1:${server.port}`, {
        transports: ["websocket"],
        reconnection: false,
        extraHeaders: { cookie: cookies.consultant3 },
      });
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("connect_error", reject);
      });
      const arrived = new Promise<LiveNotification>((resolve) => socket.on("notification", (n: LiveNotification) => n.kind === "caseAssigned" && resolve(n)));
      const assigned = await run(assignRoute.action, {
        request: post(`/cases/${caseId}/assign`, { primaryId: ids.consultant, secondaryIds: [ids.consultant3], dueDate: "2030-01-15" }, cookies.coordinator),
        params: { caseId },
      });
      expect(assigned.status).toBe(302);
      expect(await arrived).toMatchObject({ kind: "caseAssigned", caseParams: { code }, href: `/cases/${caseId}` });
      socket.close();
      await emailsSettled();

      expect(await receivers("caseAssigned")).toEqual(["consultant", "consultant3"]);
      for (const person of ["consultant", "consultant3"] as const) {
        const [mail] = mailsOf(/assigned/, person);
        expect(subjectOf(mail)).toBe(`Case assigned to you: ${code}`);
        expect(bodyOf(mail)).toContain(`You were assigned to review case ${code}.`);
        expectNothingClinical(mail);
      }
      expect(mailsAbout("consultant2")).toEqual([]);
    });
  });

  it("says 'due soon' and then 'overdue' once each per due date, to the consultants assigned and the coordinators", async () => {
    const now = new Date();
    await getDb().case.update({ where: { id: caseId }, data: { dueAt: new Date(now.getTime() + 86_400_000) } });
    const sweeps = await Promise.all([sendDueNotices(getDb(), now), sendDueNotices(getDb(), now), sendDueNotices(getDb(), now)]);
    expect(sweeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(await sendDueNotices(getDb(), now)).toBe(0);
    expect(await receivers("caseDueSoon")).toEqual(["consultant", "consultant3", "coordinator"]);

    const later = new Date(now.getTime() + 2 * 86_400_000);
    await Promise.all([sendDueNotices(getDb(), later), sendDueNotices(getDb(), later)]);
    expect(await sendDueNotices(getDb(), later)).toBe(0);
    expect(await receivers("caseOverdue")).toEqual(["consultant", "consultant3", "coordinator"]);
    expect(await receivers("caseDueSoon")).toEqual(["consultant", "consultant3", "coordinator"]);
    await emailsSettled();
    const [overdue] = mailsOf(/Overdue/, "consultant");
    expect(subjectOf(overdue)).toBe(`Overdue: case ${code}`);
    expect(bodyOf(overdue)).toContain(`Case ${code} is past its due date.`);
    expectNothingClinical(overdue);
    expect(mailsOf(/Due soon/, "coordinator")).toHaveLength(1);
    expect(mailsAbout("consultant2")).toEqual([]);
  });
});

describe("who hears of an opinion's steps", () => {
  it("is decided by the opinion's abilities: delivery to the hospital's physicians, acknowledgement to coordinators and consultants assigned", async () => {
    await getDb().case.update({ where: { id: caseId }, data: { status: "DELIVERED" } });
    const facts = (await getCaseFacts(getDb(), caseId))!;
    const everyone = Object.values(ids);
    await notifyCase(getDb(), { kind: "opinionDelivered", facts, candidateIds: everyone });
    await notifyCase(getDb(), { kind: "opinionAcknowledged", facts });
    await notifyCase(getDb(), { kind: "followUpAsked", facts, candidateIds: everyone });
    await notifyCase(getDb(), { kind: "followUpAnswered", facts, candidateIds: everyone });
    await notifyCase(getDb(), { kind: "opinionSigned", facts: { ...facts, status: "OPINION_SIGNED" } });
    expect(await receivers("opinionDelivered")).toEqual(["physician"]);
    expect(await receivers("opinionAcknowledged")).toEqual(["consultant", "consultant3", "coordinator"]);
    expect(await receivers("followUpAsked")).toEqual(["consultant", "consultant3"]);
    expect(await receivers("followUpAnswered")).toEqual(["physician"]);
    expect(await receivers("opinionSigned")).toEqual(["coordinator"]);
    await emailsSettled();
    const [acknowledged] = mailsOf(/acknowledged/, "coordinator");
    expect(subjectOf(acknowledged)).toBe(`Opinion acknowledged: case ${code}`);
    expect(bodyOf(acknowledged)).toContain(`https://board.example.org/cases/${caseId}/opinion`);
    const [delivered] = mailsOf(/第二诊疗意见/, "physician");
    expect(bodyOf(delivered)).toContain(`病例 ${code} 的第二诊疗意见已送达给您。`);
    expectNothingClinical(delivered);
  });
});

describe("email choices", () => {
  const choose = (emailed: string[]) =>
    run(notificationsRoute.action, { request: post("/notifications", { intent: "emailChoices", emailed }, cookies.coordinator) });

  it("stop the emails of a kind the user unticked, while the app still lists it", async () => {
    const choices = (await run(notificationsRoute.loader, { request: get("/notifications", cookies.coordinator) })).data.emailChoices;
    expect(choices).toContainEqual({ kind: "caseSubmitted", topic: "case", emailed: true });
    const allBut = choices.map((c: { kind: string }) => c.kind).filter((k: string) => k !== "caseSubmitted");
    const saved = await choose(allBut);
    expect(saved.status).toBe(200);
    expect(saved.data.emailsSaved).toBe(true);
    const after = (await run(notificationsRoute.loader, { request: get("/notifications", cookies.coordinator) })).data.emailChoices;
    expect(after).toContainEqual({ kind: "caseSubmitted", topic: "case", emailed: false });
    expect(after).toContainEqual({ kind: "caseOverdue", topic: "case", emailed: true });

    await submitNewCase();
    expect(await receivers("caseSubmitted")).toEqual(["coordinator"]);
    expect(mailsAbout("coordinator")).toEqual([]);

    // Another user's choices are their own: the consultant still gets every kind by email.
    const consultantChoices = (await run(notificationsRoute.loader, { request: get("/notifications", cookies.consultant) })).data.emailChoices;
    expect(consultantChoices.every((c: { emailed: boolean }) => c.emailed)).toBe(true);
  });

  it("refuses a kind that does not exist and keeps the choices saved before", async () => {
    const refused = await choose(["caseSubmitted", "noSuchKind"]);
    expect(refused.status).toBe(400);
    // On the list itself, where the form shows it (an item's error would show nowhere).
    expect(refused.data.result.error.emailed).toEqual(["common:notifications.email.invalid"]);
    const after = (await run(notificationsRoute.loader, { request: get("/notifications", cookies.coordinator) })).data.emailChoices;
    expect(after).toContainEqual({ kind: "caseSubmitted", topic: "case", emailed: false });
    await choose(after.map((c: { kind: string }) => c.kind));
  });
});

describe("the due sweep", () => {
  /** A real refusal by the database: storing any notification about this case fails, as a broken row or a full disk would. */
  async function refuseNotificationsAbout(id: string) {
    const db = getDb();
    if (providerOf(db) === "sqlite") {
      await db.$executeRawUnsafe(
        `CREATE TRIGGER refuse_notice BEFORE INSERT ON "Notification" WHEN NEW."caseId" = '${id}' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
      );
      return () => db.$executeRawUnsafe(`DROP TRIGGER refuse_notice`);
    }
    await db.$executeRawUnsafe(`CREATE FUNCTION refuse_notice() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_notice BEFORE INSERT ON "Notification" FOR EACH ROW WHEN (NEW."caseId" = '${id}') EXECUTE FUNCTION refuse_notice()`,
    );
    return async () => {
      await db.$executeRawUnsafe(`DROP TRIGGER refuse_notice ON "Notification"`);
      await db.$executeRawUnsafe(`DROP FUNCTION refuse_notice()`);
    };
  }

  it("goes on past a case whose notice fails, and tells that case at a later sweep", async () => {
    const db = getDb();
    const failing = await wuhanCaseInReview(db, { consultantIds: [ids.consultant2] });
    const healthy = await wuhanCaseInReview(db, { consultantIds: [ids.consultant2] });
    // The failing case is the most overdue of all, so it comes first in the sweep.
    await db.case.update({ where: { id: failing.id }, data: { dueAt: new Date("2001-01-01T00:00:00Z") } });
    await db.case.update({ where: { id: healthy.id }, data: { dueAt: new Date("2001-01-02T00:00:00Z") } });
    const overdueTold = async (id: string) =>
      (await db.notification.findMany({ where: { caseId: id, kind: "caseOverdue" }, select: { userId: true } })).map((n) => n.userId);

    const allow = await refuseNotificationsAbout(failing.id);
    try {
      await sendDueNotices(db);
    } finally {
      await allow();
    }
    expect(await overdueTold(healthy.id)).toContain(ids.consultant2);
    expect(await overdueTold(failing.id)).toEqual([]);
    expect((await db.case.findUniqueOrThrow({ where: { id: failing.id } })).overdueNoticeAt).toBeNull();

    await sendDueNotices(db);
    expect(await overdueTold(failing.id)).toContain(ids.consultant2);
    await emailsSettled();
  });
});
