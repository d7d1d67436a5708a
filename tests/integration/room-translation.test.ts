/**
 * Translation in the live board room, over real sockets: a participant or the
 * board's interpreter translates a message, a vote or the summary; the
 * translation is stored as the room's next event with who, when and the
 * languages, and reaches each participant who, read again, may see that case.
 * The interpreter is invited by the coordinator, joins, reads and translates,
 * and is refused everything else, on the socket and on every page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server";
import { getDb } from "~/platform/db.server";
import type { BoardCommand } from "~/features/boards/room/board-contracts";
import { boardClient, eventually, scheduledBoard, type BoardClient } from "../support/board";
import * as caseRoute from "~/routes/cases.$caseId._index";
import * as opinionRoute from "~/routes/cases.$caseId.opinion";
import * as dicomwebRoute from "~/routes/dicomweb.cases.$caseId.$";
import * as newSession from "~/routes/sessions.new";
import * as queueRoute from "~/routes/queue";
import * as casesRoute from "~/routes/cases._index";
import * as searchRoute from "~/routes/search";
import * as sessionRoute from "~/routes/sessions.$sessionId._index";
import * as sessionsList from "~/routes/sessions._index";
import * as roomRoute from "~/routes/sessions.$sessionId.room";
import { get, post, run, signIn } from "../support/remix";

let server: RunningServer;
let base: string;
const clients: BoardClient[] = [];
const userId = async (email: string) => (await getDb().user.findUniqueOrThrow({ where: { email } })).id;

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", ui: "none" });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

async function as(email: string) {
  const client = await boardClient(base, await signIn(email));
  clients.push(client);
  return client;
}

/** The demo board with the demo interpreter invited, started and focused on the Wuhan case by the chair. */
async function liveBoardWithInterpreter() {
  const board = await scheduledBoard(getDb());
  const interpreterId = await userId("interpreter@demo.test");
  await getDb().sessionInvitee.create({ data: { sessionId: board.session.id, userId: interpreterId, kind: "INTERPRETER" } });
  const chair = await as("consultant@demo.test");
  const physician = await as("physician@demo.test");
  const hangzhouPhysician = await as("physician2@demo.test");
  const interpreter = await as("interpreter@demo.test");
  for (const c of [chair, physician, hangzhouPhysician, interpreter]) expect((await c.join(board.session.id)).ok).toBe(true);
  expect(await chair.send(board.session.id, { type: "start" })).toMatchObject({ ok: true });
  return { ...board, interpreterId, chair, physician, hangzhouPhysician, interpreter };
}

const translationsIn = (client: BoardClient) => client.events.filter((e) => e.type === "translate");

describe("translation in the live room", () => {
  it("stores a translation of a message with who, when and both languages, and sends it to everyone who may see that case", async () => {
    const { session, wuhanItem, interpreterId, chair, physician, hangzhouPhysician, interpreter } = await liveBoardWithInterpreter();
    const asked = await physician.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "zh-CN", body: "是否需要脑部MRI？" });
    if (!asked.ok) throw new Error(asked.error);

    const translated = await interpreter.send(session.id, { type: "translate", eventSeq: asked.seq, text: "Is a brain MRI needed?" });
    expect(translated).toMatchObject({ ok: true, duplicate: false });
    for (const c of [chair, physician, interpreter]) await eventually(() => translationsIn(c).length === 1);
    const event = translationsIn(chair)[0];
    expect(event).toMatchObject({
      actorId: interpreterId,
      actorName: "王芳 Wang Fang",
      agendaItemId: wuhanItem.id,
      payload: { eventSeq: asked.seq, text: "Is a brain MRI needed?", sourceLanguage: "zh-CN", sourceDeclared: true, language: "en" },
    });
    // The other hospital's physician sees nothing of the Wuhan case, its translations included.
    const marker = await chair.send(session.id, { type: "presenter", userId: await userId("consultant2@demo.test") });
    expect(marker).toMatchObject({ ok: true });
    await eventually(() => hangzhouPhysician.events.some((e) => e.type === "presenter"));
    expect(hangzhouPhysician.events.filter((e) => e.agendaItemId === wuhanItem.id)).toEqual([]);

    const audited = await getDb().auditEvent.findFirstOrThrow({ where: { action: "board.translate", entityId: session.id, outcome: "success" } });
    expect(JSON.parse(audited.details)).toMatchObject({ seq: translated.ok && translated.seq, agendaItemId: wuhanItem.id, translates: asked.seq });

    // A reconnecting participant gets the translation from the log, as anything else said in the room.
    const late = await as("consultant2@demo.test");
    const joined = await late.join(session.id, 0);
    expect(joined.ok && joined.snapshot.events.filter((e) => e.type === "translate")).toHaveLength(1);
  });

  it("translates a vote's question and each option, and a summary, detecting the language they were written in", async () => {
    const { session, wuhanItem, chair, physician, interpreter } = await liveBoardWithInterpreter();
    const poll = await chair.send(session.id, { type: "poll.open", agendaItemId: wuhanItem.id, question: "Osimertinib first line?", options: ["yes", "no"] });
    if (!poll.ok) throw new Error(poll.error);
    expect(await interpreter.send(session.id, { type: "translate", eventSeq: poll.seq, text: "一线奥希替尼？" })).toEqual({
      ok: false,
      error: "invalidPayload",
    });
    expect(await interpreter.send(session.id, { type: "translate", eventSeq: poll.seq, text: "一线奥希替尼？", options: ["是", "否", "弃权"] })).toEqual({
      ok: false,
      error: "invalidPayload",
    });
    expect(await interpreter.send(session.id, { type: "translate", eventSeq: poll.seq, text: "一线奥希替尼？", options: ["是", "否"] })).toMatchObject({
      ok: true,
    });

    const summary = await chair.send(session.id, { type: "summary", agendaItemId: wuhanItem.id, text: "Osimertinib first line; brain MRI in 3 months." });
    if (!summary.ok) throw new Error(summary.error);
    // A participant translates too: the chair's summary by the physician's side is as good as the interpreter's.
    expect(await physician.send(session.id, { type: "translate", eventSeq: summary.seq, text: "一线奥希替尼；3个月后脑部MRI。" })).toMatchObject({ ok: true });
    await eventually(() => translationsIn(physician).length === 2);
    expect(translationsIn(physician).map((e) => e.payload)).toMatchObject([
      { eventSeq: poll.seq, options: ["是", "否"], sourceLanguage: "en", sourceDeclared: false, language: "zh-CN" },
      { eventSeq: summary.seq, sourceLanguage: "en", sourceDeclared: false, language: "zh-CN" },
    ]);
  });

  it("refuses a planted wrong drug name unless the translator accepts their rendering, naming the term in both languages", async () => {
    const { session, wuhanItem, physician, interpreter } = await liveBoardWithInterpreter();
    const asked = await physician.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "zh-CN", body: "奥希替尼耐药后能否用塞普替尼？" });
    if (!asked.ok) throw new Error(asked.error);
    const planted = "After osimertinib resistance, can savolitinib be used?";
    const selpercatinib = (await getDb().glossaryTerm.findUniqueOrThrow({ where: { en: "selpercatinib" } })).id;
    expect(await interpreter.send(session.id, { type: "translate", eventSeq: asked.seq, text: planted })).toEqual({
      ok: false,
      error: "glossaryMismatch",
      terms: [{ id: selpercatinib, term: "塞普替尼", rendering: "selpercatinib" }],
    });
    expect(await getDb().sessionEvent.count({ where: { sessionId: session.id, type: "translate" } })).toBe(0);
    // Accepting another term does not do.
    const osimertinib = (await getDb().glossaryTerm.findUniqueOrThrow({ where: { en: "osimertinib" } })).id;
    expect(await interpreter.send(session.id, { type: "translate", eventSeq: asked.seq, text: planted, acceptTerms: [osimertinib] })).toMatchObject({
      ok: false,
      error: "glossaryMismatch",
    });
    const accepted = await interpreter.send(session.id, { type: "translate", eventSeq: asked.seq, text: planted, acceptTerms: [selpercatinib] });
    expect(accepted).toMatchObject({ ok: true });
    const audited = await getDb().auditEvent.findFirstOrThrow({ where: { action: "board.translate", entityId: session.id, outcome: "success" } });
    expect(JSON.parse(audited.details)).toMatchObject({ translates: asked.seq, acceptedTerms: ["selpercatinib"] });
    // The glossary's rendering needs no acceptance.
    expect(
      await interpreter.send(session.id, { type: "translate", eventSeq: asked.seq, text: "After osimertinib resistance, can selpercatinib be used?" }),
    ).toMatchObject({ ok: true });
  });

  it("refuses a translation of what is not a message, vote or summary, of another hospital's case, or before the board starts", async () => {
    const { session, wuhanItem, hangzhouItem, chair, hangzhouPhysician, interpreter } = await liveBoardWithInterpreter();
    const focus = await chair.send(session.id, { type: "focus", agendaItemId: wuhanItem.id });
    if (!focus.ok) throw new Error(focus.error);
    expect(await interpreter.send(session.id, { type: "translate", eventSeq: focus.seq, text: "x" })).toEqual({ ok: false, error: "notFound" });
    expect(await interpreter.send(session.id, { type: "translate", eventSeq: 999_999, text: "x" })).toEqual({ ok: false, error: "notFound" });
    const said = await chair.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "EGFR exon 19 deletion." });
    if (!said.ok) throw new Error(said.error);
    expect(await hangzhouPhysician.send(session.id, { type: "translate", eventSeq: said.seq, text: "EGFR 19外显子缺失。" })).toEqual({
      ok: false,
      error: "notFound",
    });
    expect(await interpreter.send(session.id, { type: "translate", eventSeq: said.seq, text: "   " })).toEqual({ ok: false, error: "invalidPayload" });
    const there = await chair.send(session.id, { type: "chat", agendaItemId: hangzhouItem.id, language: "en", body: "Next case." });
    expect(there).toMatchObject({ ok: true });
    expect(await getDb().sessionEvent.count({ where: { sessionId: session.id, type: "translate" } })).toBe(0);

    const scheduled = await scheduledBoard(getDb());
    const consultant = await as("consultant2@demo.test");
    expect((await consultant.join(scheduled.session.id)).ok).toBe(true);
    expect(await consultant.send(scheduled.session.id, { type: "translate", eventSeq: 1, text: "x" })).toEqual({ ok: false, error: "invalidState" });
  });

  it("rechecks each recipient when a translation goes out: an interpreter taken off the board receives nothing more", async () => {
    const { session, wuhanItem, interpreterId, chair, physician, interpreter } = await liveBoardWithInterpreter();
    const said = await chair.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "Brain MRI in 3 months." });
    if (!said.ok) throw new Error(said.error);
    await eventually(() => interpreter.events.some((e) => e.seq === said.seq));
    // Uninvited behind the room's back (no eviction sent): the next broadcast reads the invitation again.
    await getDb().sessionInvitee.deleteMany({ where: { sessionId: session.id, userId: interpreterId } });
    const translated = await physician.send(session.id, { type: "translate", eventSeq: said.seq, text: "3个月后脑部MRI。" });
    if (!translated.ok) throw new Error(translated.error);
    await eventually(() => chair.events.some((e) => e.seq === translated.seq));
    const next = await chair.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "Agreed." });
    await eventually(() => chair.events.some((e) => next.ok && e.seq === next.seq));
    expect(interpreter.events.some((e) => e.seq >= translated.seq)).toBe(false);
    expect(await interpreter.send(session.id, { type: "translate", eventSeq: said.seq, text: "x" })).toEqual({ ok: false, error: "notFound" });
  });
});

describe("the interpreter", () => {
  it("is invited by the coordinator among the board's participants, and only an interpreter account can be", async () => {
    const coordinator = await signIn("coordinator@demo.test");
    const [chairId, interpreterId, consultant2Id] = await Promise.all(["consultant@demo.test", "interpreter@demo.test", "consultant2@demo.test"].map(userId));
    const board = {
      title: "Board with an interpreter",
      date: "2030-12-05",
      time: "08:00",
      timeZone: "Asia/Shanghai",
      durationMinutes: "60",
      chairId,
      consultantIds: [consultant2Id],
      interpreterIds: [interpreterId],
    };
    const wrong = await run(newSession.action, { request: post("/sessions/new", { ...board, interpreterIds: [consultant2Id] }, coordinator) });
    expect(wrong.status).toBe(400);
    expect(wrong.data.result.error).toEqual({ interpreterIds: ["sessions:errors.interpreterInvalid"] });
    const created = await run(newSession.action, { request: post("/sessions/new", board, coordinator) });
    expect(created.status).toBe(302);
    const sessionId = /\/sessions\/([^/]+)$/.exec(created.headers.get("location")!)![1];
    expect(await getDb().sessionInvitee.findFirst({ where: { sessionId, userId: interpreterId } })).toMatchObject({ kind: "INTERPRETER" });
    expect(await getDb().notification.count({ where: { userId: interpreterId, sessionId, kind: "sessionInvitation" } })).toBe(1);

    const interpreter = await signIn("interpreter@demo.test");
    const list = await run(sessionsList.loader, { request: get("/sessions", interpreter) });
    expect(list.data.upcoming.map((s: { id: string }) => s.id)).toContain(sessionId);
    const page = await run(sessionRoute.loader, { request: get(`/sessions/${sessionId}`, interpreter), params: { sessionId } });
    expect(page.status).toBe(200);
    expect(page.data.may).toMatchObject({ schedule: false, editSchedule: false, exportAttendance: false });
  });

  it("joins the room and reads it, and is refused a vote, a message, the summary and the chair's commands, each refusal audited", async () => {
    const { session, wuhanItem, interpreterId, chair, interpreter } = await liveBoardWithInterpreter();
    const poll = await chair.send(session.id, { type: "poll.open", agendaItemId: wuhanItem.id, question: "Agree?", options: ["yes", "no"] });
    if (!poll.ok) throw new Error(poll.error);
    await eventually(() => interpreter.events.some((e) => e.seq === poll.seq));
    const refusedCommands: BoardCommand[] = [
      { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "My own view." },
      { type: "poll.vote", pollSeq: poll.seq, option: 0 },
      { type: "summary", agendaItemId: wuhanItem.id, text: "Interpreter's summary." },
      { type: "poll.open", agendaItemId: wuhanItem.id, question: "Mine?", options: ["a", "b"] },
      { type: "poll.close", pollSeq: poll.seq },
      { type: "focus", agendaItemId: wuhanItem.id },
      { type: "presenter", userId: interpreterId },
      { type: "end" },
    ];
    for (const command of refusedCommands) expect(await interpreter.send(session.id, command), command.type).toEqual({ ok: false, error: "forbidden" });
    for (const command of refusedCommands)
      expect(
        await getDb().auditEvent.count({ where: { action: `board.${command.type}`, outcome: "denied", actorId: interpreterId, entityId: session.id } }),
        command.type,
      ).toBeGreaterThan(0);
    // Nor can the chair hand the presentation to the interpreter.
    expect(await chair.send(session.id, { type: "presenter", userId: interpreterId })).toEqual({ ok: false, error: "invalidPayload" });
    expect(await getDb().sessionEvent.count({ where: { sessionId: session.id, actorId: interpreterId } })).toBe(0);
  });

  it("gets the room page without the cases themselves, and a 404 for the cases, their images and opinions, and other boards", async () => {
    const { session, wuhan } = await scheduledBoard(getDb());
    const interpreterId = await userId("interpreter@demo.test");
    await getDb().sessionInvitee.create({ data: { sessionId: session.id, userId: interpreterId, kind: "INTERPRETER" } });
    const other = await scheduledBoard(getDb());
    const cookie = await signIn("interpreter@demo.test");

    const room = await run(roomRoute.loader, { request: get(`/sessions/${session.id}/room`, cookie), params: { sessionId: session.id } });
    expect(room.status).toBe(200);
    expect(room.data.may).toEqual({ vote: false, speak: false, translate: true });
    expect(room.data.items).toHaveLength(2);
    for (const item of room.data.items) {
      expect(item.caseShown).toBe(false);
      expect(item).not.toHaveProperty("detail");
      expect(item).not.toHaveProperty("series");
    }
    expect(await getDb().auditEvent.count({ where: { action: "case.view", actorId: interpreterId } })).toBe(0);
    // The board's own page lists the cases by code, without the way into them the members have.
    const sessionPage = async (who: string) =>
      (await run(sessionRoute.loader, { request: get(`/sessions/${session.id}`, who), params: { sessionId: session.id } })).data;
    expect((await sessionPage(cookie)).agenda.map((item: { caseLink: boolean }) => item.caseLink)).toEqual([false, false]);
    expect((await sessionPage(await signIn("consultant@demo.test"))).agenda.map((item: { caseLink: boolean }) => item.caseLink)).toEqual([true, true]);

    const params = { caseId: wuhan.id };
    expect((await run(caseRoute.loader, { request: get(`/cases/${wuhan.id}`, cookie), params })).status).toBe(404);
    expect((await run(opinionRoute.loader, { request: get(`/cases/${wuhan.id}/opinion`, cookie), params })).status).toBe(404);
    const studies = await run(dicomwebRoute.loader, { request: get(`/dicomweb/cases/${wuhan.id}/studies`, cookie), params: { ...params, "*": "studies" } });
    expect(studies.status).toBe(404);
    for (const sessionId of [other.session.id]) {
      expect((await run(sessionRoute.loader, { request: get(`/sessions/${sessionId}`, cookie), params: { sessionId } })).status).toBe(404);
      expect((await run(roomRoute.loader, { request: get(`/sessions/${sessionId}/room`, cookie), params: { sessionId } })).status).toBe(404);
    }
    for (const [route, path] of [
      [casesRoute, "/cases"],
      [queueRoute, "/queue"],
      [searchRoute, "/search"],
    ] as const)
      expect((await run(route.loader, { request: get(path, cookie) })).status, path).toBe(403);
    const outsider = await as("interpreter@demo.test");
    expect(await outsider.join(other.session.id)).toEqual({ ok: false, error: "notFound" });
    expect(await getDb().auditEvent.count({ where: { action: "board.join", outcome: "denied", actorId: interpreterId, entityId: other.session.id } })).toBe(1);
  });
});
