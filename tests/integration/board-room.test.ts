/**
 * The live board room over real sockets: who may join, what each participant
 * receives, numbered events stored before they are broadcast, replay after a
 * reconnect or a restart, idempotent retries, polls, and the end of a board.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server";
import { initialViewerState } from "~/features/imaging/viewer/viewer-state";
import { evictFromBoard } from "~/features/boards/room/board-room.server";
import { getDb } from "~/platform/db.server";
import { boardClient, eventually, scheduledBoard, type BoardClient } from "../support/board";
import * as caseRoute from "~/routes/cases.$caseId._index";
import * as attendanceRoute from "~/routes/sessions.$sessionId.attendance[.csv]";
import * as sessionRoute from "~/routes/sessions.$sessionId._index";
import * as roomRoute from "~/routes/sessions.$sessionId.room";
import { get, post, run, signIn } from "../support/remix";

let server: RunningServer;
let base: string;
const clients: BoardClient[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", ui: "none" });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

async function as(email: string, options?: { reconnection?: boolean }) {
  const client = await boardClient(base, await signIn(email), options);
  clients.push(client);
  return client;
}

describe("live board room", () => {
  it("admits invitees and observing coordinators only, and gives each physician only their own institution's agenda item", async () => {
    const { session, wuhanItem } = await scheduledBoard(getDb());
    const admin = await as("admin@demo.test");
    expect(await admin.join(session.id)).toEqual({ ok: false, error: "notFound" });
    expect(await getDb().auditEvent.count({ where: { action: "board.join", outcome: "denied", entityId: session.id } })).toBe(1);
    const coordinator = await as("coordinator@demo.test");
    const observed = await coordinator.join(session.id);
    expect(observed.ok && observed.snapshot.agenda).toHaveLength(2);

    const physician = await as("physician@demo.test");
    const joined = await physician.join(session.id);
    if (!joined.ok) throw new Error(joined.error);
    expect(joined.snapshot.agenda.map((a) => a.id)).toEqual([wuhanItem.id]);
    const chair = await as("consultant@demo.test");
    const chairJoin = await chair.join(session.id);
    expect(chairJoin.ok && chairJoin.snapshot.agenda).toHaveLength(2);
    await eventually(() => physician.presence.at(-1)?.length === 2);
  });

  it("lets an observing coordinator run the board only while the chair has made them co-chair", async () => {
    const { session, wuhanItem } = await scheduledBoard(getDb());
    const chair = await as("consultant@demo.test");
    const consultant = await as("consultant2@demo.test");
    const coordinator = await as("coordinator@demo.test");
    for (const c of [chair, consultant, coordinator]) expect((await c.join(session.id)).ok).toBe(true);
    const coordinatorId = (await getDb().user.findUniqueOrThrow({ where: { email: "coordinator@demo.test" } })).id;
    const consultantId = (await getDb().user.findUniqueOrThrow({ where: { email: "consultant2@demo.test" } })).id;

    expect(await coordinator.send(session.id, { type: "start" })).toEqual({ ok: false, error: "forbidden" });
    // Only the chair appoints, and only an observer can be made co-chair.
    expect(await consultant.send(session.id, { type: "cochair", userId: consultantId })).toEqual({ ok: false, error: "forbidden" });
    expect(await chair.send(session.id, { type: "cochair", userId: consultantId })).toEqual({ ok: false, error: "invalidPayload" });
    expect(await chair.send(session.id, { type: "cochair", userId: coordinatorId })).toMatchObject({ ok: true });
    await eventually(() => coordinator.events.some((e) => e.type === "cochair"));
    expect(await coordinator.send(session.id, { type: "start" })).toMatchObject({ ok: true });
    expect(await coordinator.send(session.id, { type: "focus", agendaItemId: wuhanItem.id })).toMatchObject({ ok: true });
    // A co-chair does not appoint, and never presents.
    expect(await coordinator.send(session.id, { type: "cochair", userId: null })).toEqual({ ok: false, error: "forbidden" });
    // Every refused appointment is audited, the chair's crafted one naming a consultant too.
    expect(await getDb().auditEvent.count({ where: { action: "board.cochair", outcome: "denied", entityId: session.id } })).toBe(3);
    expect(await chair.send(session.id, { type: "presenter", userId: coordinatorId })).toEqual({ ok: false, error: "invalidPayload" });
    // Taken back: the controls go at once.
    expect(await chair.send(session.id, { type: "cochair", userId: null })).toMatchObject({ ok: true });
    expect(await coordinator.send(session.id, { type: "end" })).toEqual({ ok: false, error: "forbidden" });
    expect((await getDb().boardSession.findUniqueOrThrow({ where: { id: session.id } })).status).toBe("LIVE");
  });

  it("lets an observing coordinator read the discussion and the votes but neither write nor vote; a co-chair writes but does not vote", async () => {
    const { session, wuhanItem } = await scheduledBoard(getDb());
    const chair = await as("consultant@demo.test");
    const coordinator = await as("coordinator@demo.test");
    for (const c of [chair, coordinator]) expect((await c.join(session.id)).ok).toBe(true);
    const coordinatorId = (await getDb().user.findUniqueOrThrow({ where: { email: "coordinator@demo.test" } })).id;
    await chair.send(session.id, { type: "start" });
    await chair.send(session.id, { type: "focus", agendaItemId: wuhanItem.id });
    const poll = await chair.send(session.id, { type: "poll.open", agendaItemId: wuhanItem.id, question: "Surgery first?", options: ["yes", "no"] });
    if (!poll.ok) throw new Error(poll.error);
    const chat = { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "An observer's remark" } as const;
    expect(await coordinator.send(session.id, chat)).toEqual({ ok: false, error: "forbidden" });
    expect(await coordinator.send(session.id, { type: "poll.vote", pollSeq: poll.seq, option: 0 })).toEqual({ ok: false, error: "forbidden" });
    expect(await getDb().auditEvent.count({ where: { action: { in: ["board.chat", "board.poll.vote"] }, outcome: "denied", entityId: session.id } })).toBe(2);
    expect(await chair.send(session.id, { type: "cochair", userId: coordinatorId })).toMatchObject({ ok: true });
    expect(await coordinator.send(session.id, chat)).toMatchObject({ ok: true });
    expect(await coordinator.send(session.id, { type: "poll.vote", pollSeq: poll.seq, option: 0 })).toEqual({ ok: false, error: "forbidden" });
    expect(await getDb().sessionEvent.count({ where: { sessionId: session.id, type: "poll.vote" } })).toBe(0);
  });

  it("shows each reader of an ended board only the cases they may see, with their summaries; the observer is told they do not vote", async () => {
    const { session, wuhanItem, hangzhouItem } = await scheduledBoard(getDb());
    await getDb().agendaItem.update({ where: { id: hangzhouItem.id }, data: { boardSummary: "Hangzhou: resect after two cycles." } });
    await getDb().agendaItem.update({ where: { id: wuhanItem.id }, data: { boardSummary: "Wuhan: osimertinib." } });
    await getDb().boardSession.update({ where: { id: session.id }, data: { status: "ENDED", endedAt: new Date() } });
    const page = async (email: string) => {
      const loaded = await run(roomRoute.loader, { request: get(`/sessions/${session.id}/room`, await signIn(email)), params: { sessionId: session.id } });
      expect(loaded.status).toBe(200);
      return loaded.data as { items: { id: string; boardSummary: string }[]; may: { vote: boolean; speak: boolean; translate: boolean } };
    };
    const physician = await page("physician@demo.test");
    expect(physician.items.map((i) => [i.id, i.boardSummary])).toEqual([[wuhanItem.id, "Wuhan: osimertinib."]]);
    expect(JSON.stringify(physician)).not.toContain("Hangzhou: resect");
    expect(physician.may).toEqual({ vote: true, speak: true, translate: true });
    const observer = await page("coordinator@demo.test");
    expect(observer.items.map((i) => i.id)).toEqual([wuhanItem.id, hangzhouItem.id]);
    expect(observer.may).toEqual({ vote: false, speak: false, translate: false });
  });

  it("numbers and stores every command before broadcasting it; a recipient never gets another hospital's case, and a reconnecting client gets what it missed", async () => {
    const { session, wuhanItem, hangzhouItem } = await scheduledBoard(getDb());
    const chair = await as("consultant@demo.test");
    const follower = await as("consultant2@demo.test");
    const wuhanPhysician = await as("physician@demo.test");
    const hangzhouPhysician = await as("physician2@demo.test");
    for (const c of [chair, follower, wuhanPhysician, hangzhouPhysician]) expect((await c.join(session.id)).ok).toBe(true);

    expect(await chair.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "Too early" })).toEqual({
      ok: false,
      error: "invalidState",
    });
    expect(await follower.send(session.id, { type: "start" })).toEqual({ ok: false, error: "forbidden" });
    expect(await chair.send(session.id, { type: "start" })).toEqual({ ok: true, seq: 1, duplicate: false });
    expect(await chair.send(session.id, { type: "focus", agendaItemId: wuhanItem.id })).toMatchObject({ ok: true, seq: 2 });
    expect(
      await follower.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "EGFR exon 19: osimertinib first line." }),
    ).toMatchObject({ ok: true, seq: 3 });
    expect(await wuhanPhysician.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "zh-CN", body: "患者 ECOG 1。" })).toMatchObject({
      ok: true,
      seq: 4,
    });
    expect(await wuhanPhysician.send(session.id, { type: "chat", agendaItemId: hangzhouItem.id, language: "zh-CN", body: "不属于我的病例" })).toEqual({
      ok: false,
      error: "notFound",
    });
    expect(await hangzhouPhysician.send(session.id, { type: "chat", agendaItemId: hangzhouItem.id, language: "zh-CN", body: "杭州病例的问题" })).toMatchObject({
      ok: true,
      seq: 5,
    });

    await eventually(() => follower.lastSeq === 5 && wuhanPhysician.lastSeq === 4 && hangzhouPhysician.lastSeq === 5);
    expect(follower.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(wuhanPhysician.events.map((e) => [e.seq, e.type])).toEqual([
      [1, "start"],
      [2, "focus"],
      [3, "chat"],
      [4, "chat"],
    ]);
    // The Hangzhou physician learns that the board moved on, and nothing about the Wuhan case.
    expect(hangzhouPhysician.events.map((e) => [e.seq, e.type, e.agendaItemId])).toEqual([
      [1, "start", null],
      [2, "focus", null],
      [5, "chat", hangzhouItem.id],
    ]);
    expect(JSON.stringify(hangzhouPhysician.events)).not.toContain(wuhanItem.id);
    expect(await getDb().sessionEvent.count({ where: { sessionId: session.id } })).toBe(5);

    // A client that drops after seq 3 gets 4 and 5 (what it may see) when it joins again.
    const late = await as("consultant2@demo.test");
    const rejoined = await late.join(session.id, 3);
    expect(rejoined.ok && rejoined.snapshot.events.map((e) => e.seq)).toEqual([4, 5]);
    expect(rejoined.ok && rejoined.snapshot.focusItemId).toBe(wuhanItem.id);
    const hangzhouAgain = await as("physician2@demo.test");
    const hz = await hangzhouAgain.join(session.id, 0);
    expect(hz.ok && hz.snapshot.focusItemId).toBeNull();
    expect(hz.ok && hz.snapshot.events.map((e) => e.seq)).toEqual([1, 2, 5]);
  });

  it("stores a retried command once, even when the retries race", async () => {
    const { session, wuhanItem } = await scheduledBoard(getDb());
    const chair = await as("consultant@demo.test");
    await chair.join(session.id);
    await chair.send(session.id, { type: "start" });
    const command = { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "Sent twice by a flaky network" } as const;
    const replies = await Promise.all([
      chair.send(session.id, command, "retry-0001"),
      chair.send(session.id, command, "retry-0001"),
      chair.send(session.id, command, "retry-0001"),
    ]);
    expect(new Set(replies.map((r) => r.ok && r.seq)).size).toBe(1);
    expect(replies.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    expect(await getDb().sessionEvent.count({ where: { sessionId: session.id, type: "chat" } })).toBe(1);
  });

  it("runs polls with one counted vote per participant, and ends with discussed cases DISCUSSED and the rest back in review", async () => {
    const db = getDb();
    const { session, wuhanItem, wuhan, hangzhou } = await scheduledBoard(db);
    const chair = await as("consultant@demo.test");
    const voter = await as("consultant2@demo.test");
    await chair.join(session.id);
    await voter.join(session.id);
    await chair.send(session.id, { type: "start" });
    await chair.send(session.id, { type: "focus", agendaItemId: wuhanItem.id });
    const poll = await chair.send(session.id, {
      type: "poll.open",
      agendaItemId: wuhanItem.id,
      question: "Agree with the proposed plan?",
      options: ["yes", "no", "abstain"],
    });
    if (!poll.ok) throw new Error(poll.error);
    expect(await voter.send(session.id, { type: "poll.vote", pollSeq: poll.seq, option: 3 })).toEqual({ ok: false, error: "invalidState" });
    expect(await voter.send(session.id, { type: "poll.vote", pollSeq: poll.seq, option: 1 })).toMatchObject({ ok: true });
    expect(await voter.send(session.id, { type: "poll.vote", pollSeq: poll.seq, option: 0 })).toMatchObject({ ok: true });
    expect(await voter.send(session.id, { type: "poll.close", pollSeq: poll.seq })).toEqual({ ok: false, error: "forbidden" });
    expect(await chair.send(session.id, { type: "poll.close", pollSeq: poll.seq })).toMatchObject({ ok: true });
    expect(await voter.send(session.id, { type: "poll.vote", pollSeq: poll.seq, option: 2 })).toEqual({ ok: false, error: "invalidState" });
    await chair.send(session.id, { type: "summary", agendaItemId: wuhanItem.id, text: "Board agrees: osimertinib; repeat MRI brain in 3 months." });
    expect(await chair.send(session.id, { type: "end" })).toMatchObject({ ok: true });

    expect((await db.case.findUniqueOrThrow({ where: { id: wuhan.id } })).status).toBe("DISCUSSED");
    expect((await db.case.findUniqueOrThrow({ where: { id: hangzhou.id } })).status).toBe("IN_REVIEW");
    expect((await db.agendaItem.findUniqueOrThrow({ where: { id: wuhanItem.id } })).boardSummary).toContain("osimertinib");
    expect(await db.caseTransition.count({ where: { caseId: wuhan.id, toStatus: "DISCUSSED" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "case.boardEnded", entityId: { in: [wuhan.id, hangzhou.id] } } })).toBe(2);
    expect(await db.auditEvent.count({ where: { action: "board.summary", entityId: session.id } })).toBe(1);
    expect(await db.attendance.count({ where: { sessionId: session.id, leftAt: null } })).toBe(0);
    expect(await chair.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "after the end" })).toEqual({
      ok: false,
      error: "invalidState",
    });

    // Attendance: the coordinator exports who was there; a treating physician may not.
    const attendance = (cookie: string) =>
      run(attendanceRoute.loader, { request: get(`/sessions/${session.id}/attendance.csv`, cookie), params: { sessionId: session.id } });
    const csv = await attendance(await signIn("coordinator@demo.test"));
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = String(csv.data).trim().split("\r\n");
    expect(lines[0]).toContain("Participant");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(['"Dr. Sarah Miller"', '"Dr. David Park"']);
    expect(lines.slice(1).every((l) => /"\d{4}-\d\d-\d\dT[^"]+Z","\d{4}-\d\d-\d\dT[^"]+Z","\d+"$/.test(l))).toBe(true);
    expect((await attendance(await signIn("physician@demo.test"))).status).toBe(404);
  });

  it("sends the presenter's viewer state to followers of that case only, and stops at once for someone taken off the session", async () => {
    const db = getDb();
    const { session, wuhanItem, hangzhouItem, ids } = await scheduledBoard(db);
    const chair = await as("consultant@demo.test");
    const follower = await as("consultant2@demo.test");
    const hangzhouPhysician = await as("physician2@demo.test");
    for (const c of [chair, follower, hangzhouPhysician]) await c.join(session.id);
    await chair.send(session.id, { type: "start" });
    const view = { sessionId: session.id, agendaItemId: wuhanItem.id, state: { ...initialViewerState("series-1"), slice: 2 }, pointer: { x: 10, y: 20 } };
    follower.socket.emit("board:view", view);
    chair.socket.emit("board:view", view);
    await eventually(() => follower.views.length === 1);
    expect(follower.views[0]).toMatchObject({ state: { slice: 2 }, presenterId: ids.chair });
    await new Promise((r) => setTimeout(r, 200));
    expect(hangzhouPhysician.views).toEqual([]);
    expect(chair.views).toEqual([]);

    await db.sessionInvitee.deleteMany({ where: { sessionId: session.id, userId: ids.consultant2 } });
    evictFromBoard(session.id, ids.consultant2, [wuhanItem.id, hangzhouItem.id]);
    await eventually(() => follower.removed.includes(session.id));
    chair.socket.emit("board:view", { ...view, state: { ...view.state, slice: 3 } });
    await chair.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "after removal" });
    await new Promise((r) => setTimeout(r, 300));
    expect(follower.views).toHaveLength(1);
    expect(follower.events.some((e) => e.type === "chat")).toBe(false);
    expect(await follower.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "still here?" })).toEqual({
      ok: false,
      error: "notFound",
    });
  });

  it("takes a physician out of the room at once when the coordinator removes their hospital's case from the agenda", async () => {
    const { session, hangzhouItem } = await scheduledBoard(getDb());
    const hangzhouPhysician = await as("physician2@demo.test");
    const chair = await as("consultant@demo.test");
    await hangzhouPhysician.join(session.id);
    await chair.join(session.id);
    const removed = await run(sessionRoute.action, {
      request: post(`/sessions/${session.id}`, { intent: "removeItem", itemId: hangzhouItem.id }, await signIn("coordinator@demo.test")),
      params: { sessionId: session.id },
    });
    expect(removed.status).toBe(200);
    await eventually(() => hangzhouPhysician.removed.includes(session.id));
    expect(await hangzhouPhysician.join(session.id)).toEqual({ ok: false, error: "notFound" });
    // The chair's client is told the agenda changed, and on joining again sees one case.
    const again = await chair.join(session.id);
    expect(again.ok && again.snapshot.agenda).toHaveLength(1);
  });

  it("drops a case withdrawn in the middle of a board from the room at once: its focus is cleared and the agenda no longer shows it", async () => {
    const db = getDb();
    const { session, wuhanItem, wuhan } = await scheduledBoard(db);
    const chair = await as("consultant@demo.test");
    await chair.join(session.id);
    await chair.send(session.id, { type: "start" });
    await chair.send(session.id, { type: "focus", agendaItemId: wuhanItem.id });
    const changed = new Promise<void>((resolve) => chair.socket.once("board:changed", () => resolve()));
    const withdrawn = await run(caseRoute.action, {
      request: post(`/cases/${wuhan.id}`, { intent: "withdraw", reason: "The patient chose treatment elsewhere." }, await signIn("physician@demo.test")),
      params: { caseId: wuhan.id },
    });
    expect(withdrawn.status).toBeLessThan(400);
    expect((await db.case.findUniqueOrThrow({ where: { id: wuhan.id } })).status).toBe("WITHDRAWN");
    await changed;
    const again = await chair.join(session.id);
    expect(again.ok && again.snapshot.agenda.map((a) => a.id)).not.toContain(wuhanItem.id);
    expect(again.ok && again.snapshot.focusItemId).toBeNull();
    expect(await chair.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "still there?" })).toEqual({
      ok: false,
      error: "notFound",
    });
  });

  it("refuses payloads that do not validate and floods past the rate limit", async () => {
    const { session } = await scheduledBoard(getDb());
    const chair = await as("consultant@demo.test");
    await chair.join(session.id);
    expect(await chair.socket.emitWithAck("board:command", { sessionId: session.id, clientMessageId: "x", command: { type: "start" } })).toEqual({
      ok: false,
      error: "invalidPayload",
    });
    expect(await chair.socket.emitWithAck("board:join", { sessionId: session.id })).toEqual({ ok: false, error: "invalidPayload" });
    const replies = await Promise.all(Array.from({ length: 40 }, () => chair.send(session.id, { type: "end" })));
    expect(replies.filter((r) => !r.ok && r.error === "rateLimited").length).toBeGreaterThan(0);
  });
});

describe("a server restart in the middle of a session", () => {
  it("loses no chat message, focus change or attendance record: clients reconnect and catch up", async () => {
    const db = getDb();
    const { session, wuhanItem } = await scheduledBoard(db);
    const chair = await as("consultant@demo.test", { reconnection: true });
    const follower = await as("consultant2@demo.test", { reconnection: true });
    for (const c of [chair, follower]) {
      await c.join(session.id);
      c.socket.io.on("reconnect", () => void c.join(session.id));
    }
    await chair.send(session.id, { type: "start" });
    await chair.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "before the restart" });
    await eventually(() => follower.lastSeq === 2);

    const port = server.port;
    await server.close();
    server = await startServer({ port, host: "127.0.0.1", ui: "none" });
    await eventually(() => chair.socket.connected && follower.socket.connected, 15_000);
    await eventually(async () => (await chair.send(session.id, { type: "focus", agendaItemId: wuhanItem.id })).ok, 5000);
    await chair.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "after the restart" });
    await eventually(() => follower.lastSeq === 4);
    expect(follower.events.map((e) => e.type)).toEqual(["start", "chat", "focus", "chat"]);
    expect(await getDb().attendance.count({ where: { sessionId: session.id } })).toBeGreaterThanOrEqual(4);
  });
});
