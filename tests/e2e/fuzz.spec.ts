/**
 * No single request or socket message may stop the server: 6,000 random form bodies (random field names with list
 * indices from 0 to a billion, random values, wrong content types, garbage and truncated bodies) to every kind of action,
 * anonymous and signed in as each role, then 4,000 random socket events and payloads. A server of the test's own runs the
 * production build; /healthz must keep answering within a second, and no request may be answered with a server error.
 * The generator is seeded: a failure prints the seed and the request that caused it. FUZZ_SEED replays a run;
 * FUZZ_REQUESTS and FUZZ_LANES change its size and concurrency. Each request has a connection of its own.
 */
import { mkdtempSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { io as connect } from "socket.io-client";
import { DEMO_PASSWORD, expect, test } from "./fixtures";
import { healthy, startOwnServer } from "./own-server";

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 6_000);
const SOCKET_MESSAGES = 4_000;
const AT_ONCE = Number(process.env.FUZZ_LANES ?? 8);

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick };
}
type Random = ReturnType<typeof generator>;

const FIELD_NAMES = [
  "intent",
  "email",
  "password",
  "redirectTo",
  "lng",
  "body",
  "language",
  "version",
  "caseId",
  "tokenId",
  "studyId",
  "consultantIds",
  "primarySite",
  "histology",
  "stage",
  "title",
  "startsAt",
  "timeZone",
  "durationMinutes",
  "question",
  "options",
  "term",
  "en",
  "zh",
  "displayName",
  "role",
  "institutionId",
  "active",
  "reason",
  "linkageKey",
  "note",
  "frame",
  "sliceIndex",
  "kind",
  "status",
];
const LIST_FIELDS = ["biomarkers", "regimens", "specimens", "questions", "agenda", "invitees", "items", "sections"];
const INDICES = ["0", "1", "2", "499", "500", "1000", "100000000", "1e9", "-1", "x", "", "00", "9999999999999999999"];
const INTENTS = ["save", "submit", "comment", "setLinkage", "revokeToken", "assign", "withdraw", "return", "translate", "attach", "discard", "find", "sign"];

function value(r: Random): string {
  switch (r.int(8)) {
    case 0:
      return "";
    case 1:
      return String(r.int(2 ** 31) * (r.next() < 0.5 ? -1 : 1));
    case 2:
      return r.pick(["1e400", "NaN", "-0", "9007199254740993", "0x10", "Infinity"]);
    case 3:
      return "x".repeat(r.int(20_000));
    case 4:
      return r.pick(["/\t/evil.example", "javascript:alert(1)", "<script>alert(1)</script>", "'; DROP TABLE Case; --", "%00", "../../etc/passwd"]);
    case 5:
      return Array.from({ length: r.int(40) }, () => String.fromCodePoint(r.int(0x2fff))).join("");
    case 6:
      return r.pick(INTENTS);
    default:
      return r.pick(["EGFR", "肺腺癌", "2026-12-03T10:00", "Asia/Shanghai", "on", "en", "zh-CN", "COORDINATOR", "demo-wuhan"]);
  }
}

function fieldName(r: Random): string {
  if (r.next() < 0.6) return r.pick(FIELD_NAMES);
  const path = Array.from({ length: 1 + r.int(3) }, () => `[${r.pick(INDICES)}]`).join("");
  return `${r.pick(LIST_FIELDS)}${path}${r.next() < 0.5 ? `.${r.pick(FIELD_NAMES)}` : ""}`;
}

function body(r: Random): { bytes: Buffer; contentType: string } {
  // Many fields, or a few long values, or one value past the form limit: bodies stay small enough to send quickly.
  const many = r.next() < 0.05;
  const fields = Array.from({ length: many ? 2000 + r.int(1000) : r.int(30) }, () => [fieldName(r), many ? value(r).slice(0, 8) : value(r)] as const);
  if (r.next() < 0.01) fields.push(["body", "y".repeat(3 * 1024 * 1024)]);
  switch (r.int(6)) {
    case 0: {
      const boundary = `fuzz${r.int(1e9)}`;
      const parts = fields.map(([name, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`);
      if (r.next() < 0.3)
        parts.push(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${r.pick(["a.pdf", "x=y;z.dcm", "../../a", "名.svs", ""])}"\r\nContent-Type: application/octet-stream\r\n\r\n${value(r)}\r\n`,
        );
      const closing = r.next() < 0.9 ? `--${boundary}--\r\n` : "";
      return { bytes: Buffer.from(parts.join("") + closing), contentType: `multipart/form-data; boundary=${boundary}` };
    }
    case 1:
      return { bytes: Buffer.from(JSON.stringify(Object.fromEntries(fields))), contentType: r.pick(["application/json", "application/x-www-form-urlencoded"]) };
    case 2:
      return {
        bytes: Buffer.from(Array.from({ length: r.int(4000) }, () => r.int(256))),
        contentType: r.pick([
          "multipart/form-data; boundary=x",
          "application/x-www-form-urlencoded",
          "application/dicom",
          'multipart/related; type="application/dicom"; boundary=b',
        ]),
      };
    default:
      return { bytes: Buffer.from(new URLSearchParams(fields.map(([n, v]) => [n, v])).toString()), contentType: "application/x-www-form-urlencoded" };
  }
}

/**
 * One request on a connection of its own (as a new browser connection would be), with the body as fetch would encode it;
 * status 0 when the connection fails or nothing answers within 10 s.
 */
async function send(base: string, target: string, method: string, headers: Record<string, string>, bytes?: Buffer) {
  return new Promise<{ status: number; statusText: string }>((resolve) => {
    try {
      const request = http.request(
        `${base}${target}`,
        { method, agent: false, timeout: 10_000, headers: { ...headers, ...(bytes ? { "content-length": String(bytes.length) } : {}) } },
        (response) => {
          response.resume();
          let ended = false;
          response.on("end", () => {
            ended = true;
            resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? "" });
          });
          response.on("close", () => {
            if (!ended) resolve({ status: 0, statusText: `answer ${response.statusCode} never finished` });
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error("no answer within 10 s")));
      request.on("error", (error) => resolve({ status: 0, statusText: error.message }));
      request.end(bytes);
    } catch (error) {
      resolve({ status: -1, statusText: `not sent: ${(error as Error).message}` });
    }
  });
}

test("10,000 random form bodies and socket payloads leave the server up and answering within a second", async () => {
  test.setTimeout(600_000);
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  console.log(`fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);
  const r = generator(seed);
  const work = mkdtempSync(path.join(os.tmpdir(), "tb-fuzz-"));
  const env = { DATABASE_URL: `file:${path.join(work, "fuzz.db")}`, STORAGE_DIR: path.join(work, "storage"), SEED_DEMO: "1", LOG_LEVEL: "error" };
  const port = 3800 + Math.floor(Math.random() * 400);
  const base = `http://127.0.0.1:${port}`;
  const server = startOwnServer(port, env, path.join(work, "server.log"));
  try {
    await healthy(port);
    const signInAs = async (email: string) => {
      const answer = await fetch(`${base}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
      });
      return answer.headers.get("set-cookie")!.split(";")[0];
    };
    const cookies: (string | null)[] = [null];
    for (const email of ["physician@demo.test", "consultant@demo.test", "coordinator@demo.test", "admin@demo.test"]) cookies.push(await signInAs(email));
    const caseIds = ["nope", "c000000000000000000000000"];
    const casesPage = await fetch(`${base}/cases`, { headers: { cookie: cookies[1]! } }).then((a) => a.text());
    caseIds.push(...[...casesPage.matchAll(/\/cases\/([a-z0-9]{20,30})/g)].map((m) => m[1]).slice(0, 3));
    const caseId = () => r.pick(caseIds);
    const targets = [
      () => "/login",
      () => "/set-language",
      () => "/logout",
      () => "/cases/new",
      () => `/cases/${caseId()}`,
      () => `/cases/${caseId()}/edit`,
      () => `/cases/${caseId()}/assign`,
      () => `/cases/${caseId()}/opinion`,
      () => `/cases/${caseId()}/attachments`,
      () => `/cases/${caseId()}/imaging`,
      () => `/dicomweb/cases/${caseId()}/studies`,
      () => "/gateway/studies",
      () => "/sessions/new",
      () => "/glossary",
      () => "/notifications",
      () => "/inbox",
      () => "/admin/users/new",
      () => "/admin/institutions/new",
      () => `/cases?status=${encodeURIComponent(value(r))}&page=${encodeURIComponent(value(r))}`,
      () => `/search?q=${encodeURIComponent(value(r))}`,
    ];

    const failures: string[] = [];
    const slow: string[] = [];
    let sent = 0;
    let slowestHealthMs = 0;
    async function checkHealth() {
      const started = Date.now();
      const answer = await send(base, "/healthz", "GET", {});
      if (answer.status !== 200) throw new Error(`health: ${answer.status} ${answer.statusText}; slow requests so far:\n${slow.slice(0, 10).join("\n")}`);
      slowestHealthMs = Math.max(slowestHealthMs, Date.now() - started);
      expect(answer.status).toBe(200);
    }
    async function lane() {
      while (sent < REQUESTS) {
        const n = sent++;
        const target = r.pick(targets)();
        const cookie = r.pick(cookies);
        const method = target.includes("?") || r.next() < 0.05 ? "GET" : "POST";
        const { bytes, contentType } = body(r);
        const headers: Record<string, string> = { ...(cookie ? { cookie } : {}), ...(method === "GET" ? {} : { "content-type": contentType }) };
        const started = Date.now();
        const answer = await send(base, target, method, headers, method === "GET" ? undefined : bytes);
        const took = Date.now() - started;
        if (took > 1000) console.log(`slow: #${n} ${method} ${target} ${contentType} ${took} ms → ${answer.status}`);
        if (took > 1000) slow.push(`#${n} ${method} ${target} ${contentType} took ${took} ms → ${answer.status} ${answer.statusText}`);
        // A body past every limit may be refused before it is read, the connection closed while it is still being written.
        const refusedEarly = answer.status === 0 && bytes.length > 2 * 1024 * 1024 && /EPIPE|ECONNRESET/.test(answer.statusText);
        if ((answer.status === 0 && !refusedEarly) || answer.status >= 500) failures.push(`#${n} ${method} ${target} → ${answer.status} ${answer.statusText}`);
        if (n % 500 === 0) {
          await checkHealth();
          console.log(`fuzz: ${n} requests sent, ${failures.length} failures, ${slow.length} slow`);
        }
      }
    }
    await Promise.all(Array.from({ length: AT_ONCE }, lane));
    await checkHealth();

    // Socket messages: known and unknown events, payloads of every shape, with and without an acknowledgement.
    // A new session: the random posts above may have signed the others out.
    const socket = connect(base, { transports: ["websocket"], reconnection: true, extraHeaders: { cookie: await signInAs("consultant@demo.test") } });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    const ACKNOWLEDGED = ["board:join", "board:command", "case:watch", "draft:join", "ping"];
    const events = [
      "board:join",
      "board:command",
      "board:view",
      "board:leave",
      "case:watch",
      "draft:join",
      "draft:editing",
      "draft:leave",
      "ping",
      "unknown:event",
    ];
    const payload = (depth = 0): unknown => {
      switch (r.int(depth > 2 ? 4 : 7)) {
        case 0:
          return r.pick([1e19, -1, 0, 2 ** 53 + 1, 1.5, NaN]);
        case 1:
          return value(r).slice(0, 2000);
        case 2:
          return null;
        case 3:
          return r.next() < 0.5;
        case 4:
          return Array.from({ length: r.int(5) }, () => payload(depth + 1));
        default:
          return Object.fromEntries(
            Array.from({ length: r.int(6) }, () => [
              r.pick([
                "sessionId",
                "lastSeq",
                "command",
                "type",
                "pollSeq",
                "option",
                "caseId",
                "opinionId",
                "state",
                "pointer",
                "agendaItemId",
                "clientMessageId",
              ]),
              payload(depth + 1),
            ]),
          );
      }
    };
    for (let i = 0; i < SOCKET_MESSAGES; i++) {
      const event = r.pick(events);
      // Events that acknowledge are awaited (a missing answer is a failure); the rest are fired.
      if (!ACKNOWLEDGED.includes(event) || r.next() < 0.3) socket.emit(event, payload());
      else if (
        !(await socket
          .timeout(5_000)
          .emitWithAck(event, payload())
          .then(
            () => true,
            () => false,
          ))
      )
        failures.push(`socket ${event}: no answer`);
      if (i % 500 === 0) {
        await checkHealth();
        console.log(`fuzz: ${i} socket messages sent, ${failures.length} failures`);
      }
    }
    socket.close();
    await checkHealth();
    console.log(`fuzz: ${REQUESTS} requests, ${SOCKET_MESSAGES} socket messages, slowest health check ${slowestHealthMs} ms`);
    expect(failures, failures.slice(0, 20).join("\n")).toEqual([]);
    expect(slowestHealthMs).toBeLessThan(1_000);
    expect(server.exitCode).toBeNull();
  } finally {
    server.kill("SIGKILL");
  }
});
