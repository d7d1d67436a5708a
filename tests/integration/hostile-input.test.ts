/**
 * Regression tests for the hostile review (security issue): single requests and socket messages that used to stop the
 * server or exhaust its memory. Each is answered with a clear refusal while the server keeps serving.
 */
import { createServer } from "node:http";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server";
import { attachRealtime } from "~/realtime/socket.server";
import { getIo, setIo } from "~/realtime/io.server";
import { getDb } from "~/platform/db.server";
import { flushRefusals } from "~/features/audit/audit-refusals.server";
import * as login from "~/routes/login";
import * as caseEdit from "~/routes/cases.$caseId.edit";
import * as attachments from "~/routes/cases.$caseId.attachments";
import * as newCase from "~/routes/cases.new";
import { boardClient, eventually, scheduledBoard, type BoardClient } from "../support/board";
import { DEMO_PASSWORD } from "~/seed/seed.server";
import { BASE, csrfFor, post, run, signIn } from "../support/remix";
import { FIRST_ENTRY } from "../support/case-packet";

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

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const healthy = async () => (await fetch(`${base}/healthz`)).status === 200;

async function draftCase() {
  const cookie = await signIn("physician@demo.test");
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, cookie) });
  return { cookie, caseId: /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1] };
}

describe("forms", () => {
  it("refuse a huge list index before building anything, anonymous or signed in", async () => {
    const started = Date.now();
    const anonymous = await run(login.action, { request: post("/login", { "email[100000000]": "a@b.c", password: "x" }) });
    expect(anonymous.status).toBe(400);
    expect(String(anonymous.data).length).toBeLessThan(1000);

    const { cookie, caseId } = await draftCase();
    const signedIn = await run(caseEdit.action, {
      request: post(`/cases/${caseId}/edit`, { intent: "save", "biomarkers[100000000].gene": "EGFR" }, cookie),
      params: { caseId },
    });
    expect(signedIn.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("refuse more fields than any form has, and a body larger than any form", async () => {
    const fields = Object.fromEntries(Array.from({ length: 2_500 }, (_, i) => [`f${i}`, "x"]));
    expect((await run(login.action, { request: post("/login", fields) })).status).toBe(400);
    const big = new Request(`${BASE}/login`, {
      method: "POST",
      body: `email=${"a".repeat(3 * 1024 * 1024)}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect((await run(login.action, { request: big })).status).toBe(413);
  });

  it("keep a normal list index working", async () => {
    const { cookie, caseId } = await draftCase();
    const saved = await run(caseEdit.action, {
      request: post(`/cases/${caseId}/edit`, { intent: "save", version: "0", "biomarkers[0].gene": "EGFR", "biomarkers[0].result": "L858R" }, cookie),
      params: { caseId },
    });
    expect(saved.status).not.toBe(400);
  });

  it("refuse an upload with more fields beside the file than any upload form has", async () => {
    const { cookie, caseId } = await draftCase();
    const form = new FormData();
    for (let i = 0; i < 60; i++) form.append(`f${i}`, "x");
    form.append("file", new Blob([new Uint8Array([0x25, 0x50, 0x44, 0x46])]), "a.pdf");
    const answer = await run(attachments.action, {
      request: new Request(`${BASE}/cases/${caseId}/attachments`, { method: "POST", body: form, headers: { cookie } }),
      params: { caseId },
    });
    expect(answer.status).toBe(400);
    expect(await getDb().attachment.count({ where: { caseId } })).toBe(0);
  });
});

describe("malformed input is a 400, never a 500", () => {
  it("a slide file name with = and ;, an unknown consent institution, a redirectTo with an encoded carriage return", async () => {
    const { cookie, caseId } = await draftCase();
    const slides = await import("~/routes/cases.$caseId.slides");
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array([0x49, 0x49, 0x2a, 0x00, 1, 2, 3, 4])]), 'a=b; filename*=x";c.svs');
    const slide = await run(slides.action, {
      request: new Request(`${BASE}/cases/${caseId}/slides`, { method: "POST", body: form, headers: { cookie } }),
      params: { caseId },
    });
    expect(slide.status).toBe(400);
    expect(await getDb().slide.count({ where: { caseId } })).toBe(0);

    const saved = await run(caseEdit.action, {
      request: post(`/cases/${caseId}/edit`, { intent: "save", version: "0", consentRecipientInstitutionId: "no-such-institution" }, cookie),
      params: { caseId },
    });
    expect(saved.status).toBeLessThan(500);
    const afterSave = await getDb().consent.findFirst({ where: { caseId } });
    expect(afterSave?.recipientInstitutionId ?? null).toBeNull();

    const encoded = await run(login.loader, { request: new Request(`${BASE}/login?redirectTo=/%0d/x`) });
    expect(encoded.status).toBeLessThan(500);
    const signedIn = await run(login.action, {
      request: post("/login?redirectTo=/%0d/x", { email: "physician@demo.test", password: DEMO_PASSWORD, redirectTo: "/\r/x" }),
    });
    expect(signedIn.status).toBe(302);
  });
});

describe("writes without a page of their own", () => {
  it("need the session's CSRF token: uploads, STOW-RS with a cookie, sign-out and the language switch refuse without it, and change nothing", async () => {
    const { cookie, caseId } = await draftCase();
    const otherSessionsToken = await csrfFor(await signIn("physician@demo.test"));
    const refused = async (route: { action: unknown }, url: string, init: RequestInit, params: Record<string, string> = {}) => {
      const outcome = await run(route.action as Parameters<typeof run>[0], { request: new Request(`${BASE}${url}`, init), params });
      expect(outcome.status, url).toBe(403);
      expect(JSON.parse(String(outcome.data)).error, url).toBe("common:errors.csrf");
    };
    const pdfForm = (token?: string) => {
      const form = new FormData();
      if (token) form.append("csrf", token);
      form.append("file", new Blob([new Uint8Array(Buffer.from("%PDF-1.4\n%%EOF\n"))]), "a.pdf");
      return form;
    };
    for (const token of [undefined, otherSessionsToken]) {
      await refused(attachments, `/cases/${caseId}/attachments`, { method: "POST", body: pdfForm(token), headers: { cookie } }, { caseId });
      await refused(
        await import("~/routes/cases.$caseId.slides"),
        `/cases/${caseId}/slides`,
        { method: "POST", body: pdfForm(token), headers: { cookie } },
        { caseId },
      );
      const headers = { cookie, "content-type": 'multipart/related; type="application/dicom"; boundary=b', ...(token ? { "x-csrf-token": token } : {}) };
      await refused(
        await import("~/routes/cases.$caseId.imaging"),
        `/cases/${caseId}/imaging`,
        { method: "POST", body: new Uint8Array(8), headers },
        { caseId },
      );
      await refused(
        await import("~/routes/dicomweb.cases.$caseId.$"),
        `/dicomweb/cases/${caseId}/studies`,
        { method: "POST", body: "x", headers },
        { caseId, "*": "studies" },
      );
      const form = { "content-type": "application/x-www-form-urlencoded" };
      await refused(await import("~/routes/logout"), "/logout", { method: "POST", body: token ? `csrf=${token}` : "", headers: { cookie, ...form } });
      await refused(await import("~/routes/set-language"), "/set-language", {
        method: "POST",
        body: `lng=zh-CN${token ? `&csrf=${token}` : ""}`,
        headers: { cookie, ...form },
      });
    }
    expect(await getDb().attachment.count({ where: { caseId } })).toBe(0);
    expect(await getDb().slide.count({ where: { caseId } })).toBe(0);
    const casesRoute = await import("~/routes/cases._index");
    expect((await run(casesRoute.loader, { request: new Request(`${BASE}/cases`, { headers: { cookie } }) })).status).toBe(200);

    const signedOut = await run((await import("~/routes/logout")).action, { request: post("/logout", { csrf: await csrfFor(cookie) }, cookie) });
    expect(signedOut.status).toBe(302);
    expect((await run(casesRoute.loader, { request: new Request(`${BASE}/cases`, { headers: { cookie } }) })).status).toBe(302);
  });
});

describe("redirects", () => {
  it("never lead off-site, whatever the redirectTo hides (tab, newline, backslash)", async () => {
    const setLanguage = await import("~/routes/set-language");
    for (const hostile of ["/\t/evil.example/phish", "/\n/evil.example", "/\r/x", "/\t\\evil.example"]) {
      const signedIn = await run(login.action, { request: post("/login", { email: "physician@demo.test", password: DEMO_PASSWORD, redirectTo: hostile }) });
      expect(new URL(signedIn.headers.get("location")!, BASE).origin, JSON.stringify(hostile)).toBe(BASE);
      const switched = await run(setLanguage.action, { request: post("/set-language", { lng: "en", redirectTo: hostile }) });
      expect(new URL(switched.headers.get("location")!, BASE).origin, JSON.stringify(hostile)).toBe(BASE);
    }
  });
});

describe("sign-in redirects", () => {
  it("do not carry a huge URL into the Location header", async () => {
    const casesRoute = await import("~/routes/cases._index");
    const long = await run(casesRoute.loader, { request: new Request(`${BASE}/cases?status=${"x".repeat(20_000)}`) });
    expect(long.status).toBe(302);
    expect(long.headers.get("location")).toBe("/login");
    const short = await run(casesRoute.loader, { request: new Request(`${BASE}/cases?status=OPEN`) });
    expect(short.headers.get("location")).toBe("/login?redirectTo=%2Fcases%3Fstatus%3DOPEN");
  });
});

describe("socket messages", () => {
  it("refuse numbers beyond the database's integers in board:join and poll.vote, and the server stays up", async () => {
    const { session, wuhanItem } = await scheduledBoard(getDb());
    const chair = await boardClient(base, await signIn("consultant@demo.test"));
    clients.push(chair);
    expect(await chair.join(session.id, 1e19)).toEqual({ ok: false, error: "invalidPayload" });
    expect((await chair.join(session.id, 0)).ok).toBe(true);
    expect((await chair.send(session.id, { type: "start" })).ok).toBe(true);
    const poll = await chair.send(session.id, { type: "poll.open", agendaItemId: wuhanItem.id, question: "Surgery?", options: ["Yes", "No"] });
    expect(poll.ok).toBe(true);
    expect(await chair.send(session.id, { type: "poll.vote", pollSeq: 1e19, option: 0 })).toEqual({ ok: false, error: "invalidPayload" });
    expect(await chair.send(session.id, { type: "poll.close", pollSeq: 1e19 })).toEqual({ ok: false, error: "invalidPayload" });
    expect(await healthy()).toBe(true);
  });

  it("show a treating physician no physician of another hospital in the board's presence", async () => {
    const { session, ids } = await scheduledBoard(getDb());
    const join = async (email: string) => {
      const client = await boardClient(base, await signIn(email));
      clients.push(client);
      expect((await client.join(session.id)).ok).toBe(true);
      return client;
    };
    const chair = await join("consultant@demo.test");
    const wuhan = await join("physician@demo.test");
    const hangzhou = await join("physician2@demo.test");
    await eventually(() => chair.presence.at(-1)?.length === 3);
    await eventually(() => hangzhou.presence.at(-1)?.length === 2);
    expect(
      hangzhou.presence
        .at(-1)!
        .map((p) => p.userId)
        .sort(),
    ).toEqual([ids.chair, ids.physician2].sort());
    expect(wuhan.presence.flat().map((p) => p.userId)).not.toContain(ids.physician2);
  });

  it("answer internalError when a handler throws or rejects, and the server stays up", async () => {
    const httpServer = createServer();
    const serversIo = getIo();
    attachRealtime(httpServer, {
      features: [
        (_io, socket) => {
          socket.on(
            "test:throws" as never,
            (() => {
              throw new Error("boom");
            }) as never,
          );
          socket.on(
            "test:rejects" as never,
            (async () => {
              throw new Error("async boom");
            }) as never,
          );
        },
      ],
    });
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    const port = (httpServer.address() as { port: number }).port;
    const socket = connect(`http://127.0.0.1:${port}`, { transports: ["websocket"], extraHeaders: { cookie: await signIn("consultant@demo.test") } });
    try {
      expect(await socket.timeout(5000).emitWithAck("test:throws", {})).toEqual({ ok: false, error: "internalError" });
      expect(await socket.timeout(5000).emitWithAck("test:rejects", {})).toEqual({ ok: false, error: "internalError" });
      expect(socket.connected).toBe(true);
    } finally {
      socket.close();
      httpServer.close();
      setIo(serversIo);
    }
  });
});

describe("audit flooding", () => {
  it("records 300 refused case:watch events from one account as one row at once and one counted row with a sample of the cases", async () => {
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "consultant2@demo.test" } });
    const socket = connect(base, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: await signIn(user.email) } });
    try {
      const refusals = () => getDb().auditEvent.findMany({ where: { action: "socket.watchCase", actorId: user.id }, orderBy: { id: "asc" } });
      let refused = 0;
      for (let i = 0; i < 300; i++) {
        const answer = (await socket.timeout(5000).emitWithAck("case:watch", { caseId: `not-a-case-${i}` })) as { ok: boolean; error?: string };
        if (!answer.ok && !answer.error) refused++;
      }
      expect(refused).toBeGreaterThan(0);
      expect(await refusals()).toHaveLength(1);
      await flushRefusals();
      const rows = await refusals();
      expect(rows).toHaveLength(refused > 1 ? 2 : 1);
      const summary = JSON.parse(rows.at(-1)!.details) as { repeated: number; entityIds: string[] };
      expect(summary.repeated).toBe(refused - 1);
      expect(summary.entityIds).toHaveLength(Math.min(20, refused - 1));
      expect(socket.connected).toBe(true);
    } finally {
      socket.close();
    }
  });
});

describe("live case rooms", () => {
  type Comment = { body: string };
  const sockets: ClientSocket[] = [];
  afterAll(() => sockets.forEach((s) => s.close()));

  async function watching(email: string, caseId: string) {
    const socket = connect(base, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: await signIn(email) } });
    sockets.push(socket);
    const received: Comment[] = [];
    socket.on("case:comment", (comment: Comment) => received.push(comment));
    expect(await socket.timeout(5000).emitWithAck("case:watch", { caseId })).toEqual({ ok: true });
    return { socket, received };
  }

  /** The coordinator comments; once the coordinator's own socket has it, a ping round trip shows whether `watcher` got it too. */
  async function commentReaches(watcher: Awaited<ReturnType<typeof watching>>, caseId: string, body: string) {
    const coordinator = await watching("coordinator@demo.test", caseId);
    const { action } = await import("~/routes/cases.$caseId._index");
    await run(action, {
      request: post(`/cases/${caseId}`, { intent: "comment", body, language: "en" }, await signIn("coordinator@demo.test")),
      params: { caseId },
    });
    await until(() => coordinator.received.some((c) => c.body === body));
    if (watcher.socket.connected) await watcher.socket.timeout(5000).emitWithAck("ping", { sentAt: Date.now() });
    return watcher.received.some((c) => c.body === body);
  }

  it("stop sending comments to a consultant who was unassigned", async () => {
    const db = getDb();
    const inReview = await db.case.findFirstOrThrow({ where: { assignments: { some: {} } }, include: { assignments: true } });
    const assignment = inReview.assignments[0];
    const consultant = await db.user.findUniqueOrThrow({ where: { id: assignment.consultantId } });
    // The consultant sees the case only through the assignment.
    await db.boardSession.updateMany({ where: { agenda: { some: { caseId: inReview.id } } }, data: { status: "CANCELLED" } });
    const watcher = await watching(consultant.email, inReview.id);
    expect(await commentReaches(watcher, inReview.id, "before unassigning")).toBe(true);
    await db.caseAssignment.delete({ where: { caseId_consultantId: { caseId: inReview.id, consultantId: assignment.consultantId } } });
    try {
      expect(await commentReaches(watcher, inReview.id, "after unassigning")).toBe(false);
    } finally {
      await db.caseAssignment.create({ data: assignment });
    }
  });

  it("stop sending comments to a consultant whose board was cancelled, or who was uninvited", async () => {
    const db = getDb();
    const cancelled = await scheduledBoard(db, { wuhanOnly: true });
    // consultant2 sees the case only through the board.
    const assigned = await db.caseAssignment.findMany({ where: { caseId: cancelled.wuhan.id, consultantId: cancelled.ids.consultant2 } });
    await db.caseAssignment.deleteMany({ where: { caseId: cancelled.wuhan.id, consultantId: cancelled.ids.consultant2 } });
    await db.boardSession.updateMany({
      where: { id: { not: cancelled.session.id }, agenda: { some: { caseId: cancelled.wuhan.id } } },
      data: { status: "CANCELLED" },
    });
    const watcher = await watching("consultant2@demo.test", cancelled.wuhan.id);
    expect(await commentReaches(watcher, cancelled.wuhan.id, "before cancelling")).toBe(true);
    await db.boardSession.update({ where: { id: cancelled.session.id }, data: { status: "CANCELLED" } });
    expect(await commentReaches(watcher, cancelled.wuhan.id, "after cancelling")).toBe(false);

    const board = await scheduledBoard(db, { wuhanOnly: true });
    const invited = await watching("consultant2@demo.test", board.wuhan.id);
    await db.sessionInvitee.deleteMany({ where: { sessionId: board.session.id, userId: board.ids.consultant2 } });
    expect(await commentReaches(invited, board.wuhan.id, "after uninviting")).toBe(false);
    await db.boardSession.update({ where: { id: board.session.id }, data: { status: "CANCELLED" } });
    for (const assignment of assigned) await db.caseAssignment.create({ data: assignment });
  });

  it("stop sending comments to a physician moved to another institution, or disabled", async () => {
    const db = getDb();
    const wuhanCase = await db.case.findFirstOrThrow({ where: { institutionId: "demo-wuhan", status: { not: "DRAFT" } } });
    const moved = await watching("physician@demo.test", wuhanCase.id);
    expect(await commentReaches(moved, wuhanCase.id, "before moving")).toBe(true);
    await db.user.update({ where: { email: "physician@demo.test" }, data: { institutionId: "demo-hangzhou" } });
    try {
      expect(await commentReaches(moved, wuhanCase.id, "after moving")).toBe(false);
    } finally {
      await db.user.update({ where: { email: "physician@demo.test" }, data: { institutionId: "demo-wuhan" } });
    }
    const disabled = await watching("physician@demo.test", wuhanCase.id);
    await db.user.update({ where: { email: "physician@demo.test" }, data: { active: false } });
    try {
      expect(await commentReaches(disabled, wuhanCase.id, "after disabling")).toBe(false);
    } finally {
      await db.user.update({ where: { email: "physician@demo.test" }, data: { active: true } });
    }
  });
});
