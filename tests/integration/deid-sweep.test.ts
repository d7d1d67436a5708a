/**
 * The de-identification sweep through every ingest path of the server: browser upload, STOW-RS, C-STORE into a matching
 * case, and C-STORE into the institution inbox then attached to a case. Each stored file is read back with dcmdump and
 * checked against PS3.15 Table E.1-1 (tests/support/deid-sweep.ts); any survivor fails the path. DICOM whole-slide images,
 * which take the slide path, are swept in tests/integration/deid-sweep-slides.test.ts.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDicomScp, type DicomScp } from "~/features/imaging/dicom-scp.server";
import { linkageHash } from "~/features/imaging/linkage.server";
import { createApiToken } from "~/features/identity/api-tokens.server";
import { freePort } from "~/cli/bench-server";
import { getDb } from "~/platform/db.server";
import { objectPath } from "~/platform/storage.server";
import * as newCase from "~/routes/cases.new";
import * as dicomweb from "~/routes/dicomweb.cases.$caseId.$";
import * as inbox from "~/routes/inbox";
import { buildSweepFile, checkStoredSweep, SWEEP_PATIENT, type Written } from "../support/deid-sweep";
import { uploadAsBrowser } from "../support/browser-upload";
import { BASE, context, get, post, run, signIn } from "../support/remix";
import { FIRST_ENTRY } from "../support/case-packet";

const exec = promisify(execFile);
let sweep: { file: string; written: Written[]; skipped: string[] };
let scp: DicomScp;

async function newCaseOf(email: string) {
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, await signIn(email)) });
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
}

/** The one instance stored for the case, checked with dcmdump. */
async function survivorsIn(caseId: string, path: string) {
  const instances = await getDb().imagingInstance.findMany({ where: { series: { study: { caseId } } } });
  expect(instances, path).toHaveLength(1);
  return checkStoredSweep(path, objectPath(instances[0].sha256), sweep.written);
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
    await getDb().case.update({ where: { id: caseId }, data: { linkageKeyHash: await linkageHash(getDb(), "demo-wuhan", SWEEP_PATIENT.accession) } });
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
    expect(checkStoredSweep("inbox (held)", objectPath(held[0].sha256), sweep.written)).toBe("");
    const caseId = await newCaseOf("physician@demo.test");
    const attached = await run(inbox.action, { request: post("/inbox", { intent: "attach", studyId: study.id, caseId }, physician) });
    expect(attached.data).toMatchObject({ error: null, attached: { stored: 1 } });
    expect(await survivorsIn(caseId, "inbox attach")).toBe("");
  });
});
