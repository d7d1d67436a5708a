import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as newCase from "~/routes/cases.new";
import { freePort } from "~/cli/bench-server";
import { getDb } from "~/platform/db.server";
import { startDicomScp, type DicomScp } from "~/features/imaging/dicom-scp.server";
import * as inbox from "~/routes/inbox";
import { ingestDicom } from "~/features/imaging/imaging-ingest.server";
import { linkageHash } from "~/features/imaging/linkage.server";
import { objectPath } from "~/platform/storage.server";
import { get, post, run, signIn } from "../support/remix";
import { FIRST_ENTRY } from "../support/case-packet";

const exec = promisify(execFile);
const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const CT = ["ct-series/ct-3slice-01.dcm", "ct-series/ct-3slice-02.dcm", "ct-series/ct-3slice-03.dcm"].map((f) => path.join(CORPUS, f));

let scp: DicomScp;

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
    const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, physician) });
    const caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
    await getDb().case.update({ where: { id: caseId }, data: { linkageKeyHash: await linkageHash(getDb(), "demo-wuhan", " 03086212 ") } });

    const sent = await storescu("WUHANPACS", CT);
    expect(sent.code, sent.out).toBe(0);
    const instances = await getDb().imagingInstance.findMany({ where: { series: { study: { caseId } } } });
    expect(instances).toHaveLength(3);
    expect(instances.every((i) => i.transferSyntax === "1.2.840.10008.1.2" || i.transferSyntax === "1.2.840.10008.1.2.1")).toBe(true);
    expect(await getDb().auditEvent.count({ where: { action: "dicom.store", entityId: caseId, outcome: "success" } })).toBe(3);
  });

  it("refuses an unknown calling AE title, and audits it", async () => {
    const sent = await storescu("STRANGER", [CT[0]]);
    expect(sent.code).not.toBe(0);
    expect(sent.out).toMatch(/reject/i);
    expect(await getDb().auditEvent.count({ where: { action: "dicom.associate", outcome: "denied" } })).toBeGreaterThan(0);
  });
});

async function dump(sha256: string): Promise<string> {
  return (
    await exec("dcmdump", ["-q", "+L", "+M", objectPath(sha256)], {
      maxBuffer: 64 * 1024 * 1024,
    })
  ).stdout;
}
const tagValue = (text: string, tag: string) => new RegExp(`\\(${tag}\\) \\w\\w \\[([^\\]]*)\\]`).exec(text)?.[1];

async function newCaseOf(email: string) {
  const created = await run(newCase.action, {
    request: post("/cases/new", FIRST_ENTRY, await signIn(email)),
  });
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
}

describe("Institution inbox for PACS studies that match no case", () => {
  beforeAll(async () => {
    await getDb().institution.update({
      where: { id: "demo-hangzhou" },
      data: { aeTitles: JSON.stringify(["HZPACS"]) },
    });
  });

  it("keeps the study de-identified in the sender's inbox; its physician attaches it to a case with the case's identity", async () => {
    const before = await getDb().imagingInstance.count();
    const sent = await storescu("HZPACS", CT);
    expect(sent.code, sent.out).toBe(0);
    expect(sent.out).not.toMatch(/Error|Unknown Status/);
    expect(await getDb().imagingInstance.count()).toBe(before);

    const physician = await signIn("physician2@demo.test");
    const page = await run(inbox.loader, {
      request: get("/inbox", physician),
    });
    expect(page.status).toBe(200);
    expect(page.data.studies).toHaveLength(1);
    expect(page.data.studies[0]).toMatchObject({
      callingAeTitle: "HZPACS",
      modalities: ["CT"],
      seriesCount: 1,
      instanceCount: 3,
    });
    const studyId = page.data.studies[0].id;

    const held = await getDb().inboxInstance.findMany({ where: { studyId } });
    const heldDump = await dump(held[0].sha256);
    expect(tagValue(heldDump, "0010,0010")).toBe("INBOX");
    for (const phi of ["JANCT000", "99000", "03086212", "20030417"]) expect(heldDump).not.toContain(phi);
    expect(JSON.stringify(await getDb().inboxStudy.findMany())).not.toMatch(/03086212|99000/);

    const caseId = await newCaseOf("physician2@demo.test");
    const attached = await run(inbox.action, {
      request: post("/inbox", { intent: "attach", studyId, caseId }, physician),
    });
    expect(attached.data).toMatchObject({
      error: null,
      attached: { stored: 3, duplicate: 0, rejected: 0 },
    });
    expect(await getDb().inboxStudy.count({ where: { id: studyId } })).toBe(0);
    await expect(stat(objectPath(held[0].sha256))).rejects.toThrow();

    const c = await getDb().case.findUniqueOrThrow({ where: { id: caseId } });
    const instances = await getDb().imagingInstance.findMany({
      where: { series: { study: { caseId } } },
    });
    expect(instances).toHaveLength(3);
    const caseDump = await dump(instances[0].sha256);
    expect(tagValue(caseDump, "0010,0010")).toBe(c.code);
    expect(tagValue(caseDump, "0010,0020")).toBe(c.code);
    const expectedDate = new Date(Date.UTC(2003, 3, 17) + c.imagingDateShiftDays! * 86_400_000).toISOString().slice(0, 10).replace(/-/g, "");
    expect(tagValue(caseDump, "0008,0020")).toBe(expectedDate);

    // The same file sent straight to the case now lands on the same UIDs: a duplicate, not a second study.
    const direct = await ingestDicom(getDb(), caseId, await readFile(CT[0]), "direct");
    expect(direct.status).toBe("duplicate");
    expect(await getDb().imagingStudy.count({ where: { caseId } })).toBe(1);
    expect(
      await getDb().auditEvent.count({
        where: { action: "inbox.attach", entityId: caseId, outcome: "success" },
      }),
    ).toBe(1);
  });

  it("shows a study only to its own institution's physicians, and refuses other users", async () => {
    await storescu("HZPACS", [CT[0]]);
    const study = await getDb().inboxStudy.findFirstOrThrow({
      where: { institutionId: "demo-hangzhou" },
    });
    const wuhan = await signIn("physician@demo.test");
    expect((await run(inbox.loader, { request: get("/inbox", wuhan) })).data.studies).toHaveLength(0);
    const wuhanCase = await newCaseOf("physician@demo.test");
    const foreign = await run(inbox.action, {
      request: post("/inbox", { intent: "attach", studyId: study.id, caseId: wuhanCase }, wuhan),
    });
    expect(foreign.status).toBe(404);
    const hangzhouCase = await newCaseOf("physician2@demo.test");
    const crossCase = await run(inbox.action, {
      request: post("/inbox", { intent: "attach", studyId: study.id, caseId: wuhanCase }, await signIn("physician2@demo.test")),
    });
    expect(crossCase.status).toBe(404);
    expect(hangzhouCase).toBeTruthy();
    for (const email of ["consultant@demo.test", "coordinator@demo.test", "admin@demo.test"]) {
      const refused = await run(inbox.loader, {
        request: get("/inbox", await signIn(email)),
      });
      expect(refused.status, email).toBeGreaterThanOrEqual(403);
    }
    expect(
      await getDb().auditEvent.count({
        where: { action: "inbox.attach", outcome: "denied" },
      }),
    ).toBe(2);
    expect(await getDb().inboxStudy.count({ where: { id: study.id } })).toBe(1);
  });

  it("finds a study by accession number, and discards it with its files", async () => {
    const physician = await signIn("physician2@demo.test");
    const found = await run(inbox.action, {
      request: post("/inbox", { intent: "find", linkageKey: "03086212" }, physician),
    });
    expect(found.data.matches).toHaveLength(1);
    const none = await run(inbox.action, {
      request: post("/inbox", { intent: "find", linkageKey: "11111111" }, physician),
    });
    expect(none.data.matches).toHaveLength(0);
    const study = await getDb().inboxStudy.findFirstOrThrow({
      where: { institutionId: "demo-hangzhou" },
      include: { instances: true },
    });
    const discarded = await run(inbox.action, {
      request: post("/inbox", { intent: "discard", studyId: study.id }, physician),
    });
    expect(discarded.data).toMatchObject({ error: null });
    expect(await getDb().inboxStudy.count({ where: { id: study.id } })).toBe(0);
    await expect(stat(objectPath(study.instances[0].sha256))).rejects.toThrow();
  });

  it("attaches waiting studies when the physician enters the matching linkage key on the case", async () => {
    await storescu("HZPACS", CT.slice(0, 2));
    const caseRoute = await import("~/routes/cases.$caseId._index");
    const caseId = await newCaseOf("physician2@demo.test");
    const saved = await run(caseRoute.action, {
      request: post(`/cases/${caseId}`, { intent: "setLinkage", linkageKey: "99000" }, await signIn("physician2@demo.test")),
      params: { caseId },
    });
    expect(saved.data).toMatchObject({ error: null, attached: 1 });
    expect(
      await getDb().imagingInstance.count({
        where: { series: { study: { caseId } } },
      }),
    ).toBe(2);
    expect(
      await getDb().inboxStudy.count({
        where: { institutionId: "demo-hangzhou" },
      }),
    ).toBe(0);
    // Later instances of the study now go straight to the case.
    expect((await storescu("HZPACS", [CT[2]])).code).toBe(0);
    expect(
      await getDb().imagingInstance.count({
        where: { series: { study: { caseId } } },
      }),
    ).toBe(3);
    expect(await getDb().imagingStudy.count({ where: { caseId } })).toBe(1);
  });
});

describe("PACS linkage key", () => {
  it("is set by the case's physician, stored only as a keyed hash, and refused to others", async () => {
    const caseRoute = await import("~/routes/cases.$caseId._index");
    const physician = await signIn("physician@demo.test");
    const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, physician) });
    const caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
    const saved = await run(caseRoute.action, {
      request: post(`/cases/${caseId}`, { intent: "setLinkage", linkageKey: "ACC-778899" }, physician),
      params: { caseId },
    });
    expect(saved.data).toMatchObject({ error: null });
    const row = await getDb().case.findUniqueOrThrow({ where: { id: caseId }, omit: { imagingBytes: true } });
    expect(row.linkageKeyHash).toBe(await linkageHash(getDb(), "demo-wuhan", "acc-778899"));
    expect(JSON.stringify(row)).not.toContain("778899");
    await ingestDicom(getDb(), caseId, await readFile(CT[0]), "slice");
    const page = await run(caseRoute.loader, { request: get(`/cases/${caseId}`, physician), params: { caseId } });
    expect(page.data.linkageIsSet).toBe(true);
    const shown = JSON.stringify(page.data);
    expect(shown).not.toContain(row.linkageKeyHash!);
    expect(shown).not.toMatch(/imagingSecret|imagingDateShiftDays|imagingBytes/);
    const other = await run(caseRoute.action, {
      request: post(`/cases/${caseId}`, { intent: "setLinkage", linkageKey: "X" }, await signIn("physician2@demo.test")),
      params: { caseId },
    });
    expect(other.status).toBe(404);
  });
});
