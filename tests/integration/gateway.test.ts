/**
 * The on-premise gateway (`npm run gateway`) as a hospital would run it: a separate process receiving from dcmtk's
 * storescu and forwarding to the platform's gateway routes over HTTP. The platform side is served by a small HTTP server
 * in this test around the real route modules, so it can be cut off, and can hold an answer back after the instance is
 * stored. Stored files are read with dcmdump; what crossed the wire is kept and searched for the originals' identifiers.
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, hashToken } from "~/features/identity/api-tokens.server";
import { institutionDeidContext } from "~/features/imaging/deid-context.server";
import { deidentifyFile } from "~/features/imaging/dicom/deidentify-file";
import { linkageHash } from "~/features/imaging/linkage.server";
import { freePort } from "~/cli/bench-server";
import { getDb } from "~/platform/db.server";
import { flushRefusals } from "~/features/audit/audit-refusals.server";
import { objectPath } from "~/platform/storage.server";
import * as newCase from "~/routes/cases.new";
import * as dicomweb from "~/routes/dicomweb.cases.$caseId.$";
import * as gatewayContext from "~/routes/gateway.context";
import * as gatewayStudies from "~/routes/gateway.studies";
import { buildSweepFile, checkStoredSweep, CORPUS, SWEEP_PATIENT } from "../support/deid-sweep";
import { BASE, context, post, run, signIn } from "../support/remix";
import { FIRST_ENTRY } from "../support/case-packet";

const exec = promisify(execFile);
const CT = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) => path.join(CORPUS, "ct-series", f));
const CT_ORIGINALS = ["JANCT000", "99000", "03086212", "1.2.392.200103.20080913.113635"];
const TINY = readdirSync(path.join(CORPUS, "ct-series-tiny")).map((f) => path.join(CORPUS, "ct-series-tiny", f));
const INSTITUTION = "demo-wuhan";

type RouteModule = { loader?: (args: never) => unknown; action?: (args: never) => unknown };
const ROUTES: Record<string, RouteModule> = { "/gateway/context": gatewayContext, "/gateway/studies": gatewayStudies };

/** The platform's gateway routes over real HTTP; `holdAfter`: answers after that many are held back (the instance stays stored). */
class Platform {
  bodies: Buffer[] = [];
  completed = 0;
  holdAfter = Infinity;
  private held: (() => void)[] = [];
  private server?: http.Server;

  constructor(readonly port: number) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get heldCount() {
    return this.held.length;
  }

  async start() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }

  async stop() {
    for (const release of this.held.splice(0)) release();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    this.bodies.push(body);
    const url = new URL(req.url ?? "/", BASE);
    const route = ROUTES[url.pathname];
    const handler = req.method === "GET" ? route?.loader : route?.action;
    if (!handler) return void res.writeHead(404).end();
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const request = new Request(BASE + url.pathname, { method: req.method, headers, body: req.method === "GET" ? undefined : body });
    let response: Response;
    try {
      response = (await (handler as (args: unknown) => Promise<Response>)({ request, params: {}, context })) as Response;
    } catch (thrown) {
      response = thrown instanceof Response ? thrown : new Response(String(thrown), { status: 500 });
    }
    const answer = Buffer.from(await response.arrayBuffer());
    this.completed++;
    if (this.completed > this.holdAfter) await new Promise<void>((resolve) => this.held.push(resolve));
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(answer);
  }
}

class GatewayProcess {
  private child?: ChildProcess;
  output = "";

  constructor(
    readonly port: number,
    readonly queueDir: string,
    readonly platform: Platform,
    readonly token: string,
  ) {}

  /** Starts `npm run gateway`'s script and waits until its SCP listens. */
  async start() {
    this.output = "";
    const child = spawn(process.execPath, ["--import", "tsx", "app/cli/gateway.ts"], {
      env: {
        ...process.env,
        LOG_LEVEL: "info",
        GATEWAY_PLATFORM_URL: this.platform.url,
        GATEWAY_TOKEN: this.token,
        GATEWAY_PORT: String(this.port),
        GATEWAY_QUEUE_DIR: this.queueDir,
        GATEWAY_CALLING_AE_TITLES: "WUHANPACS",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`gateway exited ${code}:\n${this.output}`))));
    const listening = new Promise<void>((resolve) => {
      const read = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (this.output.includes("DICOM C-STORE listening")) resolve();
      };
      child.stdout!.on("data", read);
      child.stderr!.on("data", read);
    });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`gateway did not listen:\n${this.output}`)), 60_000).unref());
    await Promise.race([listening, exited, timeout]);
    exited.catch(() => undefined);
  }

  kill() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }

  queued = () => readdirSync(path.join(this.queueDir, "queue")).filter((f) => f.endsWith(".item")).length;
}

/** A TCP proxy to `port` that stops passing the caller's bytes on after `limit` of them. */
async function pausingProxy(port: number, limit: number) {
  const server = net.createServer((caller) => {
    const upstream = net.connect(port, "127.0.0.1");
    let passed = 0;
    caller.on("data", (chunk: Buffer) => {
      if (passed >= limit) return void caller.pause();
      passed += chunk.length;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => caller.write(chunk));
    upstream.on("close", () => caller.destroy());
    upstream.on("error", () => caller.destroy());
    caller.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function storescu(port: number, files: string[]) {
  return exec("storescu", ["-aet", "WUHANPACS", "-aec", "TBGATEWAY", "127.0.0.1", String(port), ...files]).then(
    () => 0,
    (e: { code: number }) => e.code,
  );
}

async function newCaseWithLinkage(key: string) {
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, await signIn("physician@demo.test")) });
  const caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
  await getDb().case.update({ where: { id: caseId }, data: { linkageKeyHash: await linkageHash(getDb(), INSTITUTION, key) } });
  return caseId;
}

const instancesOf = (caseId: string) => getDb().imagingInstance.findMany({ where: { series: { study: { caseId } } } });

async function gatewayToken(days?: number) {
  const admin = await getDb().user.findUniqueOrThrow({ where: { email: "admin@demo.test" } });
  return createApiToken(getDb(), admin.id, "Wuhan gateway", { scope: "gateway", institutionId: INSTITUTION, days });
}

/** `count` copies of a CT slice as one new study with its own accession number, each with its own SOP Instance UID. */
async function studyOf(count: number, accession: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gateway-study-"));
  const root = `1.2.826.0.1.3680043.10.${Date.now()}`;
  const files: string[] = [];
  for (let i = 1; i <= count; i++) {
    const file = path.join(dir, `slice-${i}.dcm`);
    await exec("cp", [CT[0], file]);
    const values = {
      "0008,0050": accession,
      "0020,000d": `${root}.1`,
      "0020,000e": `${root}.2`,
      "0008,0018": `${root}.3.${i}`,
      "0020,0013": String(i),
    };
    await exec("dcmodify", ["-nb", ...Object.entries(values).flatMap(([tag, value]) => ["-i", `(${tag})=${value}`]), file]);
    files.push(file);
  }
  return files;
}

let platform: Platform;
let gateway: GatewayProcess;

beforeAll(async () => {
  platform = new Platform(await freePort());
  await platform.start();
  gateway = new GatewayProcess(await freePort(), mkdtempSync(path.join(os.tmpdir(), "gateway-queue-")), platform, await gatewayToken());
});
afterEach(() => gateway.kill());
afterAll(() => platform.stop());

describe("the on-premise gateway", () => {
  it("forwards a PACS study de-identified into the case whose linkage key matches; nothing identifying crosses the wire", async () => {
    const caseId = await newCaseWithLinkage(" 03086212 ");
    await gateway.start();
    platform.bodies = [];
    expect(await storescu(gateway.port, CT)).toBe(0);
    await until("three instances in the case", async () => (await instancesOf(caseId)).length === 3);
    await until("an empty queue", () => gateway.queued() === 0);

    const sent = Buffer.concat(platform.bodies).toString("latin1");
    for (const original of CT_ORIGINALS) expect(sent).not.toContain(original);
    for (const instance of await instancesOf(caseId)) {
      const dumped = (await exec("dcmdump", ["-q", "+M", objectPath(instance.sha256)], { maxBuffer: 64 << 20 })).stdout;
      for (const original of CT_ORIGINALS) expect(dumped).not.toContain(original);
      expect(dumped).toContain("(0010,0010) PN [TB-");
    }
    expect(await getDb().auditEvent.count({ where: { action: "gateway.store", entityId: caseId, outcome: "success" } })).toBe(3);
  });

  it("files a study that matches no case into the institution's inbox, from the PACS via the gateway", async () => {
    await gateway.start();
    expect(await storescu(gateway.port, TINY)).toBe(0);
    await until(
      "the study in the inbox",
      async () => (await getDb().inboxInstance.count({ where: { study: { institutionId: INSTITUTION } } })) === TINY.length,
    );
    const study = await getDb().inboxStudy.findFirstOrThrow({ where: { institutionId: INSTITUTION } });
    expect(study.callingAeTitle).toBe("WUHANPACS via Wuhan gateway");
    expect(study.accessionHash).toBe(await linkageHash(getDb(), INSTITUTION, "2"));
    expect(study.patientIdHash).toBe(await linkageHash(getDb(), INSTITUTION, "98890234"));
    const stored = readFileSync(objectPath((await getDb().inboxInstance.findFirstOrThrow({ where: { studyId: study.id } })).sha256)).toString("latin1");
    expect(stored).not.toContain("Doe^Peter");
    expect(stored).not.toContain("98890234");
  });

  it("passes the de-identification sweep with no survivor", async () => {
    const sweep = buildSweepFile();
    const caseId = await newCaseWithLinkage(SWEEP_PATIENT.accession);
    await gateway.start();
    expect(await storescu(gateway.port, [sweep.file])).toBe(0);
    await until("the swept instance in the case", async () => (await instancesOf(caseId)).length === 1);
    const [instance] = await instancesOf(caseId);
    expect(checkStoredSweep("gateway", objectPath(instance.sha256), sweep.written)).toBe("");
    // The platform stored it; the gateway removes its copy once the answer arrives (the next test counts the queue).
    await until("an empty queue", () => gateway.queued() === 0);
  });

  it("loses and doubles nothing through a network cut and two kills, one of them after the platform stored but before it answered", async () => {
    const files = await studyOf(40, "GW-KILL-1");
    const caseId = await newCaseWithLinkage("GW-KILL-1");

    // The gateway has run once; then the network is cut: it starts again from the context it kept on disk, and queues.
    await gateway.start();
    await gateway.kill();
    await platform.stop();
    await gateway.start();
    expect(gateway.output).toContain("using the context kept on disk");
    // storescu sends through a proxy that stops after ten and a half instances, so the kill comes mid-transfer.
    const proxy = await pausingProxy(gateway.port, Math.round(statSync(files[0]).size * 10.5));
    const sending = storescu(proxy.port, files);
    await until("ten instances queued", () => gateway.queued() >= 10);
    await gateway.kill();
    expect(await sending).not.toBe(0);
    proxy.close();
    expect(gateway.queued()).toBe(10);

    // The PACS sends the study again once the gateway is back: what was queued before is queued once.
    await gateway.start();
    expect(await storescu(gateway.port, files)).toBe(0);
    expect(gateway.queued()).toBe(files.length);

    // The network is back, but the platform's answers stop after 15: the 16th instance is stored, its answer never arrives.
    platform.holdAfter = 15 + platform.completed;
    await platform.start();
    await until("an answer held back after storing", () => platform.heldCount > 0);
    await gateway.kill();
    const storedBeforeKill = (await instancesOf(caseId)).length;
    expect(storedBeforeKill).toBeGreaterThan(15);
    expect(storedBeforeKill).toBeLessThan(files.length);
    await platform.stop();
    platform.holdAfter = Infinity;
    await platform.start();

    await gateway.start();
    await until("an empty queue", () => gateway.queued() === 0);
    const stored = await instancesOf(caseId);
    expect(stored).toHaveLength(files.length);
    expect(new Set(stored.map((i) => i.sopInstanceUid)).size).toBe(files.length);
    const events = await getDb().auditEvent.findMany({ where: { action: "gateway.store", entityId: caseId } });
    const duplicates = events.reduce((n, e) => n + (JSON.parse(e.details ?? "{}") as { duplicate: number }).duplicate, 0);
    expect(duplicates).toBeGreaterThan(0);
  }, 180_000);
});

describe("the gateway routes", () => {
  const stow = (token: string, body: Uint8Array, headers: Record<string, string> = {}) => {
    const boundary = "b";
    const request = new Request(`${BASE}/gateway/studies`, {
      method: "POST",
      body: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), body, Buffer.from(`\r\n--${boundary}--\r\n`)]),
      headers: { authorization: `Bearer ${token}`, "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}`, ...headers },
    });
    return (gatewayStudies.action({ request, params: {}, context }) as Promise<Response>).catch((thrown: Response) => thrown);
  };
  const contextWith = (token: string) =>
    (
      gatewayContext.loader({
        request: new Request(`${BASE}/gateway/context`, { headers: { authorization: `Bearer ${token}` } }),
        params: {},
        context,
      }) as Promise<Response>
    ).catch((thrown: Response) => thrown);

  it("open only to a live gateway token, which opens nothing else", async () => {
    const token = await gatewayToken();
    const answer = await contextWith(token);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect((await answer.json()).institutionId).toBe(INSTITUTION);

    const caseId = await newCaseWithLinkage("SCOPE-1");
    const viaDicomweb = await (
      dicomweb.loader({
        request: new Request(`${BASE}/dicomweb/cases/${caseId}/studies`, { headers: { authorization: `Bearer ${token}` } }),
        params: { caseId, "*": "studies" },
        context,
      }) as Promise<Response>
    ).catch((thrown: Response) => thrown);
    expect(viaDicomweb.status).toBe(401);

    const physician = await getDb().user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
    expect((await contextWith(await createApiToken(getDb(), physician.id, "DICOMweb"))).status).toBe(401);
    const revoked = await gatewayToken();
    await getDb().apiToken.update({ where: { tokenHash: hashToken(revoked) }, data: { revokedAt: new Date() } });
    expect((await contextWith(revoked)).status).toBe(401);
    const expired = await gatewayToken();
    await getDb().apiToken.update({ where: { tokenHash: hashToken(expired) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await contextWith(expired)).status).toBe(401);
    await flushRefusals();
    const denials = await getDb().auditEvent.findMany({ where: { action: "gateway.denied" } });
    expect(denials.reduce((sum, row) => sum + ((JSON.parse(row.details) as { repeated?: number }).repeated ?? 1), 0)).toBeGreaterThanOrEqual(3);
  });

  it("refuse originals, files de-identified for another institution, and malformed headers", async () => {
    const token = await gatewayToken();
    const original = new Uint8Array(readFileSync(CT[1]));
    const refusedOriginal = await stow(token, original);
    expect(refusedOriginal.status).toBe(409);
    expect(await refusedOriginal.text()).toMatch(/imaging:rejections.stillIdentifying|removes it/);

    const elsewhere = deidentifyFile(original, await institutionDeidContext(getDb(), "demo-hangzhou"));
    if (!elsewhere.ok) throw new Error(elsewhere.detail);
    const refusedElsewhere = await stow(token, elsewhere.bytes);
    expect(refusedElsewhere.status).toBe(409);
    expect(await refusedElsewhere.text()).toContain("not de-identified with this case's context");

    const ours = deidentifyFile(original, await institutionDeidContext(getDb(), INSTITUTION));
    if (!ours.ok) throw new Error(ours.detail);
    // Two gateways, or one retrying, may send the same new instance at once: both are answered, one is kept.
    const caseId = await newCaseWithLinkage("TWICE-1");
    const accessionHash = await linkageHash(getDb(), INSTITUTION, "TWICE-1");
    const both = await Promise.all([1, 2].map(() => stow(token, ours.bytes, { "x-linkage-accession-hash": accessionHash })));
    for (const answer of both) expect(answer.status, await answer.clone().text()).toBe(200);
    expect(await instancesOf(caseId)).toHaveLength(1);

    expect((await stow(token, ours.bytes, { "x-linkage-accession-hash": "03086212" })).status).toBe(400);
    expect((await stow(token, ours.bytes, { "x-calling-ae-title": "A\\B" })).status).toBe(400);
  });
});
