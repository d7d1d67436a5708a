import { createServer, request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { createHttpApp, startServer, type RunningServer } from "../../server";
import { disconnectSessions } from "~/realtime/io.server";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { createDb, getDb } from "~/platform/db.server";
import { flushRefusals } from "~/features/audit/audit-refusals.server";
import { sessionCookie, sessionIdFromToken } from "~/features/identity/session.server";
import { signIn } from "../support/remix";

let server: RunningServer;
let base: string;

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", ui: "none" });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
});

function open(cookie?: string, origin?: string): Socket {
  return connect(base, { transports: ["websocket"], reconnection: false, extraHeaders: { ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) } });
}

function outcome(socket: Socket): Promise<"connected" | string> {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve("connected"));
    socket.once("connect_error", (error) => resolve(error.message));
  });
}

describe("health", () => {
  it("answers 200 with the database status", async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", db: "ok" });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 503 when the database cannot be reached", async () => {
    const unreachable =
      resolveDatabaseTarget().provider === "postgresql" ? "postgresql://postgres@127.0.0.1:1/nowhere" : "file:/nonexistent-dir/for/sure/tumorboard.db";
    const badDb = createDb(resolveDatabaseTarget(unreachable));
    const httpServer = createServer();
    httpServer.on("request", await createHttpApp({ ui: "none", db: () => badDb, httpServer }));
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    const address = httpServer.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${address.port}/healthz`);
    httpServer.close();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "error", db: "unreachable" });
  });

  it("sends security headers with a nonce-free strict script policy outside pages", async () => {
    const response = await fetch(`${base}/healthz`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("refuses a cross-site form post, and one from an opaque origin (Origin: null)", async () => {
    const response = await fetch(`${base}/login`, { method: "POST", headers: { origin: "https://evil.example" }, body: "email=a" });
    expect(response.status).toBe(403);
    const cookie = await signIn("physician@demo.test");
    for (const path of ["/set-language", "/logout"]) {
      const opaque = await fetch(`${base}${path}`, {
        method: "POST",
        headers: { origin: "null", cookie, "content-type": "application/x-www-form-urlencoded" },
        body: "lng=zh-CN",
      });
      expect(opaque.status, path).toBe(403);
    }
  });

  it("keeps referrers on the site, so that same-origin form posts carry their real Origin", async () => {
    expect((await fetch(`${base}/healthz`)).headers.get("referrer-policy")).toBe("same-origin");
  });
});

describe("request bodies", () => {
  /** The status of a POST that declares `declared` bytes but sends only the first kilobyte. */
  function declaredPost(path: string, declared: number) {
    return new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${base}${path}`, { method: "POST", headers: { "content-length": String(declared) } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        request.destroy();
      });
      request.on("error", reject);
      request.write(Buffer.alloc(1024));
    });
  }

  it("refuses a body over its route's cap by its declared length, before reading it, and keeps serving", async () => {
    expect(await declaredPost("/cases/anything/edit", 200 << 20)).toBe(413);
    expect(await declaredPost("/login", 3 << 20)).toBe(413);
    expect(await declaredPost("/dicomweb/cases/x/studies", 5 * 1024 ** 3)).toBe(413);
    // An upload endpoint takes its own file limit: 10 MB passes the cap (this test server has no pages, so it answers 404).
    expect(await declaredPost("/cases/anything/attachments", 10 << 20)).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe("socket handshake", () => {
  it("refuses a connection without a session, and audits it", async () => {
    const socket = open();
    expect(await outcome(socket)).toBe("unauthorized");
    socket.close();
    expect(await getDb().auditEvent.count({ where: { action: "socket.connect", outcome: "denied" } })).toBeGreaterThan(0);
  });

  it("records 200 refused handshakes from one address as at most one row at once and one counted row per window", async () => {
    const rowsAfter = (id: number) => getDb().auditEvent.findMany({ where: { action: "socket.connect", outcome: "denied", id: { gt: id } } });
    const marker = (await getDb().auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } })).id;
    for (let i = 0; i < 200; i += 20) {
      const sockets = Array.from({ length: 20 }, () => open());
      expect(await Promise.all(sockets.map(outcome))).toEqual(Array(20).fill("unauthorized"));
      sockets.forEach((s) => s.close());
    }
    expect((await rowsAfter(marker)).length).toBeLessThanOrEqual(1);
    await flushRefusals();
    const rows = await rowsAfter(marker);
    expect(rows.length).toBeLessThanOrEqual(2);
    const counted = rows.reduce((sum, row) => sum + ((JSON.parse(row.details) as { repeated?: number }).repeated ?? 1), 0);
    expect(counted).toBeGreaterThanOrEqual(200);
  });

  it("refuses a forged or expired session cookie", async () => {
    const forged = open(await sessionCookie.serialize("A".repeat(43)).then((c) => c.split(";")[0]));
    expect(await outcome(forged)).toBe("unauthorized");
    forged.close();
  });

  it("refuses a connection from another site's page", async () => {
    const socket = open(await signIn("consultant@demo.test"), "https://evil.example");
    expect(await outcome(socket)).not.toBe("connected");
    socket.close();
  });

  it("accepts the session cookie, validates payloads, and delivers private notifications", async () => {
    const cookie = await signIn("consultant@demo.test");
    const socket = open(cookie);
    expect(await outcome(socket)).toBe("connected");
    expect(await socket.emitWithAck("ping", { sentAt: Date.now() })).toMatchObject({ ok: true });
    expect(await socket.emitWithAck("ping", { sentAt: "yesterday" })).toEqual({ ok: false, error: "invalidPayload" });
    socket.close();
  });

  it("disconnects the sockets of a session that logs out", async () => {
    const cookie = await signIn("physician@demo.test");
    const socket = open(cookie);
    expect(await outcome(socket)).toBe("connected");
    const disconnected = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    const token = (await sessionCookie.parse(cookie)) as string;
    disconnectSessions([sessionIdFromToken(token)]);
    expect(await disconnected).toBe("io server disconnect");
  });
});

describe("live case discussion", () => {
  it("delivers new comments to those watching a case they may see, and refuses the rest", async () => {
    const db = getDb();
    const demo = await db.case.findFirstOrThrow({ where: { status: "IN_REVIEW" }, include: { assignments: { include: { consultant: true } } } });
    const assignedEmail = demo.assignments[0].consultant.email;
    const watcher = open(await signIn(assignedEmail));
    expect(await outcome(watcher)).toBe("connected");
    expect(await watcher.emitWithAck("case:watch", { caseId: demo.id })).toEqual({ ok: true });

    const outsider = open(await signIn(assignedEmail === "consultant@demo.test" ? "physician2@demo.test" : "consultant@demo.test"));
    expect(await outcome(outsider)).toBe("connected");
    expect(await outsider.emitWithAck("case:watch", { caseId: demo.id })).toEqual({ ok: false });
    expect(await outsider.emitWithAck("case:watch", { caseId: 42 })).toEqual({ ok: false });
    let leaked = false;
    outsider.on("case:comment", () => (leaked = true));

    const received = new Promise<{ body: string; caseId: string }>((resolve) => watcher.once("case:comment", resolve));
    const { action } = await import("~/routes/cases.$caseId._index");
    const physician = await signIn("physician@demo.test");
    const posted = await action({
      request: new Request(`http://localhost/cases/${demo.id}`, {
        method: "POST",
        body: new URLSearchParams({ intent: "comment", body: "CT 已上传", language: "zh-CN" }),
        headers: { cookie: physician },
      }),
      params: { caseId: demo.id },
      context: { requestId: "t", clientIp: null, cspNonce: "" },
    });
    expect(posted).toMatchObject({ error: null });
    expect(await received).toMatchObject({ body: "CT 已上传", caseId: demo.id });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(leaked).toBe(false);
    watcher.close();
    outsider.close();
  });
});
