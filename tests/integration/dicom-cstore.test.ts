import { execFile } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as newCase from "~/routes/cases.new";
import { getDb } from "~/utils/db.server";
import { startDicomScp, type DicomScp } from "~/utils/dicom-scp.server";
import { linkageHash } from "~/utils/linkage.server";
import { post, run, signIn } from "../support/remix";

const exec = promisify(execFile);
const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const CT = ["ct-series/ct-3slice-01.dcm", "ct-series/ct-3slice-02.dcm", "ct-series/ct-3slice-03.dcm"].map((f) => path.join(CORPUS, f));

let scp: DicomScp;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function storescu(aeTitle: string, files: string[]) {
  return exec("storescu", ["-v", "-aet", aeTitle, "-aec", "TUMORBOARD", "127.0.0.1", String(scp.port), ...files]).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

beforeAll(async () => {
  scp = startDicomScp(await freePort());
  await getDb().institution.update({ where: { id: "demo-wuhan" }, data: { aeTitles: JSON.stringify(["WUHANPACS"]) } });
});
afterAll(() => scp?.close());

describe("DICOM C-STORE from a hospital PACS", () => {
  it("files a CT series sent with storescu into the case whose linkage key matches, de-identified", async () => {
    const physician = await signIn("physician@demo.test");
    const created = await run(newCase.action as never, { request: post("/cases/new", {}, physician) });
    const caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
    await getDb().case.update({ where: { id: caseId }, data: { linkageKeyHash: await linkageHash(getDb(), " 03086212 ") } });

    const sent = await storescu("WUHANPACS", CT);
    expect(sent.code, sent.out).toBe(0);
    const instances = await getDb().imagingInstance.findMany({ where: { series: { study: { caseId } } } });
    expect(instances).toHaveLength(3);
    expect(instances.every((i) => i.transferSyntax === "1.2.840.10008.1.2" || i.transferSyntax === "1.2.840.10008.1.2.1")).toBe(true);
    expect((await getDb().auditEvent.count({ where: { action: "dicom.store", entityId: caseId, outcome: "success" } }))).toBe(3);
  });

  it("refuses an unknown calling AE title, and audits it", async () => {
    const sent = await storescu("STRANGER", [CT[0]]);
    expect(sent.code).not.toBe(0);
    expect(sent.out).toMatch(/reject/i);
    expect(await getDb().auditEvent.count({ where: { action: "dicom.associate", outcome: "denied" } })).toBeGreaterThan(0);
  });

  it("refuses instances that match no case of the sending institution, storing nothing", async () => {
    await getDb().institution.update({ where: { id: "demo-hangzhou" }, data: { aeTitles: JSON.stringify(["HZPACS"]) } });
    const before = await getDb().imagingInstance.count();
    const sent = await storescu("HZPACS", [CT[0]]);
    expect(sent.out).toMatch(/Received Store Response \(Error/);
    expect(await getDb().imagingInstance.count()).toBe(before);
    expect(await getDb().auditEvent.count({ where: { action: "dicom.store", outcome: "denied" } })).toBeGreaterThan(0);
  });
});

describe("PACS linkage key", () => {
  it("is set by the case's physician, stored only as a keyed hash, and refused to others", async () => {
    const caseRoute = await import("~/routes/cases.$caseId._index");
    const physician = await signIn("physician@demo.test");
    const created = await run(newCase.action as never, { request: post("/cases/new", {}, physician) });
    const caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
    const saved = await run(caseRoute.action as never, { request: post(`/cases/${caseId}`, { intent: "setLinkage", linkageKey: "ACC-778899" }, physician), params: { caseId } });
    expect(saved.data).toMatchObject({ error: null });
    const row = await getDb().case.findUniqueOrThrow({ where: { id: caseId } });
    expect(row.linkageKeyHash).toBe(await linkageHash(getDb(), "acc-778899"));
    expect(JSON.stringify(row)).not.toContain("778899");
    const other = await run(caseRoute.action as never, { request: post(`/cases/${caseId}`, { intent: "setLinkage", linkageKey: "X" }, await signIn("physician2@demo.test")), params: { caseId } });
    expect(other.status).toBe(404);
  });
});
