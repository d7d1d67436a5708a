/**
 * The de-identification sweep through every ingest path of the server: browser upload, STOW-RS, C-STORE into a matching
 * case, and C-STORE into the institution inbox then attached to a case. Each stored file is read back with dcmdump and
 * checked against PS3.15 Table E.1-1 (tests/support/deid-sweep.ts); any survivor fails the path.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { createServer } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDicomScp, type DicomScp } from "~/features/imaging/dicom-scp.server";
import { linkageHash } from "~/features/imaging/linkage.server";
import { createApiToken } from "~/features/identity/api-tokens.server";
import { getDb } from "~/platform/db.server";
import { objectPath, storageRoot } from "~/platform/storage.server";
import * as newCase from "~/routes/cases.new";
import * as dicomweb from "~/routes/dicomweb.cases.$caseId.$";
import * as inbox from "~/routes/inbox";
import * as slides from "~/routes/cases.$caseId.slides";
import { buildSweepFile, CORPUS, describeSurvivors, SWEEP_PATIENT, sweepSurvivors, type Written } from "../support/deid-sweep";
import { uploadAsBrowser } from "../support/browser-upload";
import { BASE, context, get, post, run, signIn } from "../support/remix";

const exec = promisify(execFile);
let sweep: { file: string; written: Written[]; skipped: string[] };
let scp: DicomScp;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function newCaseOf(email: string) {
  const created = await run(newCase.action, { request: post("/cases/new", {}, await signIn(email)) });
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
}

/** The one instance stored for the case, checked with dcmdump. */
async function survivorsIn(caseId: string, path: string) {
  const instances = await getDb().imagingInstance.findMany({ where: { series: { study: { caseId } } } });
  expect(instances, path).toHaveLength(1);
  const result = sweepSurvivors(objectPath(instances[0].sha256), sweep.written);
  console.log(`sweep ${path}: ${sweep.written.length} attributes written, ${result.checked} checked, ${result.survivors.length} survivors`);
  return describeSurvivors(result.survivors);
}

const storescu = (aeTitle: string) => exec("storescu", ["-aet", aeTitle, "-aec", "TUMORBOARD", "127.0.0.1", String(scp.port), sweep.file]);

beforeAll(async () => {
  sweep = buildSweepFile();
  scp = startDicomScp(await freePort());
  await getDb().institution.update({ where: { id: "demo-wuhan" }, data: { aeTitles: JSON.stringify(["SWEEPPACS"]) } });
});
afterAll(() => scp?.close());

describe("the de-identification sweep through every ingest path", () => {
  it("browser upload", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await newCaseOf("physician@demo.test");
    // As the case page does: the upload worker's function, with the context the page fetches, and only its output sent.
    const result = await uploadAsBrowser(caseId, physician, new Uint8Array(readFileSync(sweep.file)), "sweep.dcm");
    expect(JSON.parse(result.data).results[0].status).toBe("stored");
    expect(await survivorsIn(caseId, "browser upload")).toBe("");
  });

  it("STOW-RS", async () => {
    const caseId = await newCaseOf("physician@demo.test");
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
    const token = await createApiToken(getDb(), user.id, "sweep");
    const boundary = "sweep-boundary";
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
      readFileSync(sweep.file),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const request = new Request(`${BASE}/dicomweb/cases/${caseId}/studies`, {
      method: "POST",
      body,
      headers: { authorization: `Bearer ${token}`, "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}` },
    });
    const response = (await dicomweb.action({ request, params: { caseId, "*": "studies" }, context })) as Response;
    expect(response.status).toBe(200);
    expect(await survivorsIn(caseId, "STOW-RS")).toBe("");
  });

  it("C-STORE into the case whose linkage key matches", async () => {
    const caseId = await newCaseOf("physician@demo.test");
    await getDb().case.update({ where: { id: caseId }, data: { linkageKeyHash: await linkageHash(getDb(), SWEEP_PATIENT.accession) } });
    await storescu("SWEEPPACS");
    expect(await survivorsIn(caseId, "C-STORE")).toBe("");
  });

  it("C-STORE into the institution inbox, then attached to a case", async () => {
    await getDb().case.updateMany({ where: { linkageKeyHash: { not: null } }, data: { linkageKeyHash: null } });
    await storescu("SWEEPPACS");
    const physician = await signIn("physician@demo.test");
    const page = await run(inbox.loader, { request: get("/inbox", physician) });
    const study = page.data.studies.find((s: { instanceCount: number }) => s.instanceCount === 1);
    const held = await getDb().inboxInstance.findMany({ where: { studyId: study.id } });
    const inInbox = sweepSurvivors(objectPath(held[0].sha256), sweep.written);
    expect(describeSurvivors(inInbox.survivors)).toBe("");
    const caseId = await newCaseOf("physician@demo.test");
    const attached = await run(inbox.action, { request: post("/inbox", { intent: "attach", studyId: study.id, caseId }, physician) });
    expect(attached.data).toMatchObject({ error: null, attached: { stored: 1 } });
    expect(await survivorsIn(caseId, "inbox attach")).toBe("");
  });

  it("a DICOM whole-slide image through the slide path keeps pixels only: no attribute of the table reaches storage", async () => {
    const slide = buildSweepFile(path.join(CORPUS, "pathology/sm-wsi-tiled-synthetic.dcm"));
    expect(slide.written.length).toBeGreaterThan(500);
    const physician = await signIn("physician@demo.test");
    const caseId = await newCaseOf("physician@demo.test");
    const body = new FormData();
    body.append("file", new Blob([new Uint8Array(readFileSync(slide.file))]), "slide.dcm");
    const uploaded = await run(slides.action, {
      request: new Request(`${BASE}/cases/${caseId}/slides`, { method: "POST", body, headers: { cookie: physician } }),
      params: { caseId },
    });
    let stored = await getDb().slide.findUniqueOrThrow({ where: { id: uploaded.data.slideId } });
    while (stored.status === "PROCESSING") {
      await new Promise((r) => setTimeout(r, 100));
      stored = await getDb().slide.findUniqueOrThrow({ where: { id: stored.id } });
    }
    expect(stored.status).toBe("READY");
    const files = (await readdir(path.join(storageRoot(), "slides", stored.id), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(1);
    for (const entry of files) {
      const bytes = readFileSync(path.join(entry.parentPath, entry.name));
      expect(bytes.subarray(128, 132).toString("latin1"), entry.name).not.toBe("DICM");
      const text = bytes.toString("latin1");
      for (const marker of ["SENTINEL", "Doe^John", SWEEP_PATIENT.id, "1.2.3.999."]) expect(text.includes(marker), `${entry.name}: ${marker}`).toBe(false);
    }
    console.log(`sweep slide path: ${slide.written.length} attributes written, ${files.length} stored files, none holding any of them`);
  });
});
