/**
 * Orthanc's DICOMweb plugin (Debian `orthanc` and `orthanc-dicomweb`) as a client of a case's DICOMweb service: a PACS we
 * did not write, configured with the case's service root and an API token, (a) retrieves a study from the case by WADO-RS
 * and finds it by QIDO-RS, and (b) sends a study to the case by STOW-RS, which the case stores de-identified.
 * The case's service is the real route module behind a small HTTP server in this test (as in gateway.test.ts), so it runs
 * on this file's database; Orthanc runs as a process of its own with a temporary configuration and storage.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/features/identity/api-tokens.server";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { parsePart10, stringValue, tagOf } from "~/features/imaging/dicom/part10";
import { getDb } from "~/platform/db.server";
import { objectPath } from "~/platform/storage.server";
import * as newCase from "~/routes/cases.new";
import * as dicomweb from "~/routes/dicomweb.cases.$caseId.$";
import { context, post, run, signIn } from "../support/remix";
import { FIRST_ENTRY } from "../support/case-packet";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const CT = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) => path.join(CORPUS, "ct-series", f));
const TINY = readdirSync(path.join(CORPUS, "ct-series-tiny"))
  .filter((f) => f.endsWith(".dcm"))
  .map((f) => path.join(CORPUS, "ct-series-tiny", f));
const ORTHANC = process.env.ORTHANC_BIN ?? "Orthanc";
const PLUGIN = ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so", "/usr/lib/orthanc/libOrthancDicomWeb.so.1.7"].find((p) => existsSync(p));
// Generous: a loaded two-core machine, Orthanc's jobs, and the worker threads that de-identify each instance.
const WAIT_MS = 90_000;

const tag = (file: Buffer, group: number, element: number) => stringValue(parsePart10(file, dictionaryVr).dataset, tagOf(group, element));

/** A free loopback port in [from, to], so the test stays inside the ports set aside for it. */
async function portIn(from: number, to: number): Promise<number> {
  const start = from + Math.floor(Math.random() * (to - from + 1));
  for (let i = 0; i <= to - from; i++) {
    const port = from + ((start - from + i) % (to - from + 1));
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

/** Waits for a condition by polling (never a fixed sleep); the last value is in the error. */
async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, ms = WAIT_MS): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  let failure: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch (error) {
      failure = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not reached in ${ms} ms (last: ${JSON.stringify(last) ?? String(failure)})`);
}

/** The case DICOMweb route over real HTTP, logging each request as the server's request log does. */
class CaseService {
  readonly log: string[] = [];
  private server?: http.Server;

  constructor(readonly port: number) {}

  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => this.server!.once("error", reject).listen(this.port, "127.0.0.1", resolve));
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", this.origin);
    const match = /^\/dicomweb\/cases\/([^/]+)\/?(.*)$/.exec(url.pathname);
    const handler = req.method === "GET" || req.method === "HEAD" ? dicomweb.loader : req.method === "POST" ? dicomweb.action : undefined;
    let response: Response;
    if (!match || !handler) {
      response = new Response("Not found", { status: 404 });
    } else {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const body = req.method === "POST" ? Buffer.concat(chunks) : undefined;
      const request = new Request(url, { method: req.method, headers, body });
      try {
        response = (await (handler as (args: unknown) => Promise<Response>)({ request, params: { caseId: match[1], "*": match[2] }, context })) as Response;
      } catch (thrown) {
        response = thrown instanceof Response ? thrown : new Response(String(thrown), { status: 500 });
      }
    }
    const answer = Buffer.from(await response.arrayBuffer());
    const sent = req.method === "POST" ? ` content-type=${req.headers["content-type"] ?? ""} transfer-encoding=${req.headers["transfer-encoding"] ?? ""}` : "";
    this.log.push(
      `${response.status} ${req.method} ${url.pathname}${url.search} accept=${req.headers.accept ?? ""}${sent}${response.status >= 400 ? ` -> ${answer.toString("utf8").slice(0, 200)}` : ""}`,
    );
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(req.method === "HEAD" ? undefined : answer);
  }
}

class Orthanc {
  private child?: ChildProcess;
  output = "";
  readonly dir = mkdtempSync(path.join(os.tmpdir(), "tb-orthanc-"));
  /** Told apart from any other Orthanc that might answer on the port. */
  readonly name = path.basename(this.dir);

  constructor(
    readonly httpPort: number,
    readonly dicomPort: number,
  ) {}

  get base() {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  async start(servers: Record<string, unknown>) {
    const config = path.join(this.dir, "orthanc.json");
    writeFileSync(
      config,
      JSON.stringify({
        Name: this.name,
        StorageDirectory: path.join(this.dir, "storage"),
        IndexDirectory: path.join(this.dir, "index"),
        HttpPort: this.httpPort,
        DicomPort: this.dicomPort,
        DicomAet: "TBORTHANC",
        RemoteAccessAllowed: false,
        AuthenticationEnabled: false,
        HttpTimeout: 120,
        ConcurrentJobs: 1,
        Plugins: [PLUGIN],
        DicomWeb: { Enable: true, Root: "/dicom-web/", EnableWado: false, Servers: servers },
      }),
    );
    const child = spawn(ORTHANC, [config], { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    child.stdout!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`Orthanc exited ${code}:\n${this.output}`))));
    exited.catch(() => undefined);
    await Promise.race([
      exited,
      until(
        "Orthanc answering",
        () => this.json("/system"),
        (system) => (system as { Name?: string }).Name === this.name,
      ),
    ]);
    expect(await this.json("/plugins")).toContain("dicom-web");
  }

  async json(pathname: string, body?: unknown) {
    const response = await fetch(this.base + pathname, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`Orthanc ${pathname} answered ${response.status}: ${text}`);
    return JSON.parse(text) as unknown;
  }

  /** SOP Instance UIDs of everything Orthanc holds. */
  async sopInstanceUids(): Promise<string[]> {
    const instances = (await this.json("/instances?expand")) as { MainDicomTags: { SOPInstanceUID: string } }[];
    return instances.map((i) => i.MainDicomTags.SOPInstanceUID).sort();
  }

  async kill() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await gone;
    clearTimeout(timer);
  }
}

/** The case's instances as stored: study UID, SOP Instance UID and content hash of each. */
async function storedInstances(caseId: string) {
  const rows = await getDb().imagingInstance.findMany({
    where: { series: { study: { caseId } } },
    select: { sopInstanceUid: true, sha256: true, series: { select: { study: { select: { studyInstanceUid: true } } } } },
  });
  return rows.map((r) => ({ study: r.series.study.studyInstanceUid, sop: r.sopInstanceUid, sha256: r.sha256 }));
}

let service: CaseService;
let orthanc: Orthanc;
let caseId: string;
let caseCode: string;
const SERVER = "tumorboard-case";

beforeAll(async () => {
  expect(PLUGIN, "the orthanc-dicomweb package").toBeDefined();
  const physician = await signIn("physician@demo.test");
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, physician) });
  caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
  caseCode = (await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).code;
  const user = await getDb().user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
  const token = await createApiToken(getDb(), user.id, "Orthanc conformance");

  service = new CaseService(await portIn(3300, 3399));
  await service.start();
  // Another test file (the PostgreSQL run of this one) may take a probed port first: then Orthanc exits, and starts again on others.
  for (let attempt = 1; ; attempt++) {
    orthanc = new Orthanc(await portIn(8400, 8499), await portIn(4400, 4499));
    try {
      await orthanc.start({
        [SERVER]: { Url: `${service.origin}/dicomweb/cases/${caseId}/`, HttpHeaders: { Authorization: `Bearer ${token}` } },
      });
      break;
    } catch (error) {
      await orthanc.kill();
      if (attempt === 3) throw error;
    }
  }
}, 120_000);

afterAll(async () => {
  await orthanc?.kill();
  await service?.stop();
  if (service?.log.some((line) => !/^2\d\d /.test(line)))
    console.log(`Case DICOMweb service log:\n${service.log.join("\n")}\nOrthanc's log:\n${orthanc?.output}`);
});

describe("Orthanc's DICOMweb plugin against a case's DICOMweb service", () => {
  it("finds the case's study by QIDO-RS and retrieves the whole study into Orthanc by WADO-RS", async () => {
    // The case's study, sent by STOW-RS over HTTP with a token as any PACS would.
    const boundary = "orthanc-test-boundary";
    const body = Buffer.concat([
      ...CT.flatMap((f) => [Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), readFileSync(f), Buffer.from("\r\n")]),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
    const stowed = await fetch(`${service.origin}/dicomweb/cases/${caseId}/studies`, {
      method: "POST",
      body,
      headers: {
        authorization: `Bearer ${await createApiToken(getDb(), user.id, "upload")}`,
        "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}`,
      },
    });
    expect(stowed.status).toBe(200);
    const inCase = await storedInstances(caseId);
    expect(inCase).toHaveLength(3);
    const studyUid = inCase[0].study;

    // QIDO-RS through Orthanc's proxy to the server.
    // (Orthanc answers in its own JSON: each attribute's Value a plain string. It drops the numbers PS3.18 F.2.3 asks for
    // IS and DS, so the study's instance count is not checked here.)
    const found = (await orthanc.json(`/dicom-web/servers/${SERVER}/qido`, { Uri: "/studies" })) as Record<string, { Value?: string }>[];
    expect(found.map((s) => s["0020000D"]?.Value)).toEqual([studyUid]);
    expect(found[0]["00100020"]?.Value).toBe(caseCode);

    // WADO-RS: the whole study.
    await orthanc.json(`/dicom-web/servers/${SERVER}/retrieve`, { Resources: [{ Study: studyUid }], Synchronous: true });
    const sops = await until(
      "Orthanc holding the study",
      () => orthanc.sopInstanceUids(),
      (uids) => uids.length >= 3,
    );
    expect(sops).toEqual(inCase.map((i) => i.sop).sort());
    const studies = (await orthanc.json("/studies?expand")) as { MainDicomTags: { StudyInstanceUID: string }; PatientMainDicomTags: { PatientID: string } }[];
    expect(studies.map((s) => s.MainDicomTags.StudyInstanceUID)).toEqual([studyUid]);
    // What Orthanc received is the de-identified copy: the case's code, never the patient.
    expect(studies[0].PatientMainDicomTags.PatientID).toBe(caseCode);
  });

  it("sends a study to the case by STOW-RS, which the case stores de-identified", async () => {
    // A study only Orthanc has, uploaded to it through its REST API.
    const originals = TINY.map((f) => readFileSync(f));
    let orthancStudy = "";
    for (const file of originals) {
      const response = await fetch(`${orthanc.base}/instances`, { method: "POST", body: file });
      expect(response.status).toBe(200);
      orthancStudy = ((await response.json()) as { ParentStudy: string }).ParentStudy;
    }
    const originalStudyUid = tag(originals[0], 0x0020, 0x000d)!;
    const originalSops = originals.map((f) => tag(f, 0x0008, 0x0018)!);
    const identifiers = [tag(originals[0], 0x0010, 0x0010)!, tag(originals[0], 0x0010, 0x0020)!, originalStudyUid, ...originalSops];
    const before = new Set((await storedInstances(caseId)).map((r) => r.sop));

    await orthanc.json(`/dicom-web/servers/${SERVER}/stow`, { Resources: [orthancStudy], Synchronous: true });
    const stored = await until(
      "the case holding Orthanc's study",
      () => storedInstances(caseId),
      (rows) => rows.filter((r) => !before.has(r.sop)).length >= originals.length,
    );
    const newRows = stored.filter((r) => !before.has(r.sop));
    expect(newRows).toHaveLength(originals.length);

    // New UIDs under 2.25, one study; the originals' UIDs, name and ID nowhere in the stored files.
    expect(new Set(newRows.map((r) => r.study)).size).toBe(1);
    expect(newRows[0].study).toMatch(/^2\.25\.\d+$/);
    for (const row of newRows) {
      expect(row.sop).toMatch(/^2\.25\.\d+$/);
      const file = readFileSync(objectPath(row.sha256));
      expect(tag(file, 0x0010, 0x0010)).toBe(caseCode);
      expect(tag(file, 0x0010, 0x0020)).toBe(caseCode);
      const text = file.toString("latin1");
      for (const identifier of identifiers) expect(text, identifier).not.toContain(identifier);
    }
  });
});
