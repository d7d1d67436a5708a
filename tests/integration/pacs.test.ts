/**
 * Query and retrieve from the hospital PACS, against a real Orthanc playing it: the administrator records the PACS, the treating
 * physician searches it from the case, lists a study's series, pulls studies into the case (de-identified, checked with dcmdump),
 * pulls again (skipped), and meets a PACS that refuses, does not answer, or dies mid-pull (nothing half-stored; pulling again
 * continues). A small dcmjs-dimse SCP plays a misbehaving PACS: one that sends images nobody asked for (refused, not stored,
 * counted), trickles C-FIND answers for ever (the deadline ends the search), answers 30,000 matches (cancelled at the limit),
 * or stalls a C-GET (the pull ends and no longer blocks the case).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import dimse from "dcmjs-dimse";
import { createInstance, type TFunction } from "i18next";
import { i18nOptions, resources } from "~/i18n/resources";
import * as newCase from "~/routes/cases.new";
import * as pacsRoute from "~/routes/cases.$caseId.pacs";
import * as editInstitution from "~/routes/admin.institutions.$institutionId";
import { getDb } from "~/platform/db.server";
import { objectPath } from "~/platform/storage.server";
import { requireCaseImaging } from "~/features/imaging/imaging-steps.server";
import { pacsPullSettled, searchPacs, startPacsPull } from "~/features/imaging/pacs/pacs-steps.server";
import { caseUid, MAX_STUDIES, UNREQUESTED_STATUS } from "~/features/imaging/pacs/pacs-query";
import { caseDeidContext } from "~/features/imaging/deid-context.server";
import { context, get, post, run, signIn } from "../support/remix";
import { freePortIn, OUR_AE, PACS_AE, startOrthanc, type Orthanc, type OrthancPorts } from "../support/orthanc";
import { FIRST_ENTRY } from "../support/case-packet";

const exec = promisify(execFile);
/** Ports of the PACS this file starts (Orthanc, and the scripted one below): apart from other suites' servers. */
const PACS_PORTS = { dicom: [4700, 4749], http: [8700, 8799] } satisfies OrthancPorts;
const FAKE_PACS_PORTS = [4750, 4799] as const;
const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const CT = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm", "liver-seg.dcm"].map((f) => path.join(CORPUS, "ct-series", f));
const TINY = ["CT5N-2062.dcm", "CT5N-2392.dcm", "CT5N-2693.dcm", "CT5N-3023.dcm", "CT5N-3353.dcm"].map((f) => path.join(CORPUS, "ct-series-tiny", f));
const CT_STUDY = "1.2.392.200103.20080913.113635.0.2009.6.22.21.43.10.22941.1";
/** A 60-slice series made for the mid-pull cut: its own patient, study and series, fresh instance UIDs. */
const CUT = {
  patientId: "CUT0001",
  patientName: "CUT^PATIENT",
  study: "1.2.826.0.1.3680043.8.498.7001",
  series: "1.2.826.0.1.3680043.8.498.7001.1",
  count: 60,
};
const IDENTIFYING = ["JANCT000", "99000", "03086212", "Doe^Peter", "98890234", CUT.patientId, "CUT^PATIENT", CT_STUDY, CUT.study];

const translators: Record<string, TFunction> = {};
async function tIn(lng: "en" | "zh-CN"): Promise<TFunction> {
  if (!translators[lng]) {
    const i18n = createInstance();
    await i18n.init({ ...i18nOptions, resources, lng });
    translators[lng] = i18n.t.bind(i18n) as TFunction;
  }
  return translators[lng];
}

let orthanc: Orthanc;
let work: string;
let physician: string;

async function makeCutSeries(): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < CUT.count; i++) {
    const file = path.join(work, `cut-${i}.dcm`);
    await exec("cp", [TINY[i % TINY.length], file]);
    await exec("dcmodify", [
      "-nb",
      "-gin",
      "-m",
      `(0010,0010)=${CUT.patientName}`,
      "-m",
      `(0010,0020)=${CUT.patientId}`,
      "-m",
      `(0020,000d)=${CUT.study}`,
      "-m",
      `(0020,000e)=${CUT.series}`,
      "-m",
      `(0020,0013)=${i + 1}`,
      "-m",
      "(0008,0050)=CUTACC",
      "-m",
      "(0008,0020)=20240301",
      file,
    ]);
    files.push(file);
  }
  return files;
}

async function newCaseOf(cookie: string) {
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, cookie) });
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
}

const pacsAction = (caseId: string, fields: Record<string, string | string[]>, cookie = physician) =>
  run(pacsRoute.action, { request: post(`/cases/${caseId}/pacs`, fields, cookie), params: { caseId } });

async function pull(caseId: string, picks: string[]) {
  const started = await pacsAction(caseId, { intent: "pull", pick: picks });
  expect(started.status, JSON.stringify(started.data)).toBe(200);
  await pacsPullSettled(started.data.pullId);
  return getDb().pacsPull.findUniqueOrThrow({ where: { id: started.data.pullId } });
}

async function storedInstances(caseId: string) {
  return getDb().imagingInstance.findMany({ where: { series: { study: { caseId } } }, select: { sha256: true, sopInstanceUid: true } });
}

const institutionFields = (pacs: Record<string, string>) => ({
  nameEn: "Wuhan Union Hospital (demo)",
  nameZh: "武汉协和医院（演示）",
  country: "CN",
  timeZone: "Asia/Shanghai",
  kind: "TREATING",
  active: "on",
  ...pacs,
});

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "pacs-test-"));
  orthanc = await startOrthanc(PACS_PORTS);
  await orthanc.upload([...CT, ...TINY, ...(await makeCutSeries())]);
  physician = await signIn("physician@demo.test");
}, 120_000);

afterAll(async () => {
  await orthanc?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the institution's PACS, recorded by an administrator", () => {
  it("refuses an incomplete PACS in the admin's language and saves a complete one, audited", async () => {
    const admin = await signIn("admin@demo.test");
    const incomplete = await run(editInstitution.action, {
      request: post("/admin/institutions/demo-wuhan", institutionFields({ pacsHost: "127.0.0.1" }), admin),
      params: { institutionId: "demo-wuhan" },
    });
    expect(incomplete.status).toBe(400);
    expect(incomplete.data.result.error.pacsPort).toEqual(["admin:errors.pacsIncomplete"]);
    expect(incomplete.data.result.error.pacsAeTitle).toEqual(["admin:errors.pacsIncomplete"]);
    const badPort = await run(editInstitution.action, {
      request: post("/admin/institutions/demo-wuhan", institutionFields({ pacsHost: "127.0.0.1", pacsPort: "70000", pacsAeTitle: PACS_AE }), admin),
      params: { institutionId: "demo-wuhan" },
    });
    expect(badPort.data.result.error.pacsPort).toEqual(["admin:errors.pacsPortInvalid"]);
    for (const lng of ["en", "zh-CN"] as const) expect((await tIn(lng))("admin:errors.pacsIncomplete")).not.toBe("admin:errors.pacsIncomplete");

    const saved = await run(editInstitution.action, {
      request: post(
        "/admin/institutions/demo-wuhan",
        institutionFields({ pacsHost: "127.0.0.1", pacsPort: String(orthanc.dicomPort), pacsAeTitle: PACS_AE, pacsCallingAeTitle: OUR_AE }),
        admin,
      ),
      params: { institutionId: "demo-wuhan" },
    });
    expect(saved.status).toBe(302);
    expect(await getDb().institution.findUniqueOrThrow({ where: { id: "demo-wuhan" } })).toMatchObject({
      pacsHost: "127.0.0.1",
      pacsPort: orthanc.dicomPort,
      pacsAeTitle: PACS_AE,
      pacsCallingAeTitle: OUR_AE,
    });
    const audit = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "institution.update", entityId: "demo-wuhan" },
      orderBy: { occurredAt: "desc" },
    });
    expect(audit.details).toContain(`${PACS_AE}@127.0.0.1:${orthanc.dicomPort}`);
  });
});

describe("searching and pulling from the PACS on a case", () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await newCaseOf(physician);
  });

  it("finds studies by patient ID, accession number and date range, with their counts", async () => {
    const byPatient = await pacsAction(caseId, { intent: "search", patientId: "99000" });
    expect(byPatient.status).toBe(200);
    expect(byPatient.headers.get("cache-control")).toBe("no-store");
    expect(byPatient.data.studies).toEqual([
      expect.objectContaining({
        studyUid: CT_STUDY,
        patientName: "JANCT000",
        patientId: "99000",
        accessionNumber: "03086212",
        studyDate: "2003-04-17",
        modalities: ["CT", "SEG"],
        seriesCount: 2,
        instanceCount: 4,
        inCase: false,
      }),
    ]);
    const byAccession = await pacsAction(caseId, { intent: "search", accessionNumber: "03086212" });
    expect(byAccession.data.studies.map((s: { studyUid: string }) => s.studyUid)).toEqual([CT_STUDY]);
    // By date alone: a week at most (2000-12-28 to 2001-01-03).
    const byDate = await pacsAction(caseId, { intent: "search", dateFrom: "2000-12-28", dateTo: "2001-01-03" });
    expect(byDate.data.studies).toHaveLength(1);
    expect(byDate.data.studies[0]).toMatchObject({ patientName: "Doe Peter", studyDate: "2001-01-01", instanceCount: 5 });
    const none = await pacsAction(caseId, { intent: "search", patientId: "NOBODY" });
    expect(none.data.studies).toEqual([]);

    const empty = await pacsAction(caseId, { intent: "search" });
    expect(empty.status).toBe(400);
    expect(empty.data.error).toBe("imaging:pacs.errors.criterionRequired");
    const wildcard = await pacsAction(caseId, { intent: "search", patientId: "9*" });
    expect(wildcard.data.error).toBe("imaging:pacs.errors.patientIdInvalid");

    // The audit names the kinds of criteria and counts, never a value the PACS or the physician gave.
    const events = await getDb().auditEvent.findMany({ where: { action: "pacs.search", entityId: caseId } });
    expect(events.length).toBeGreaterThanOrEqual(4);
    for (const phi of IDENTIFYING) expect(JSON.stringify(events)).not.toContain(phi);
    expect(JSON.parse(events[0].details)).toMatchObject({ criteria: ["patientId"], studies: 1 });
  });

  it("lists a study's series", async () => {
    const listed = await pacsAction(caseId, { intent: "series", studyUid: CT_STUDY });
    expect(listed.status).toBe(200);
    expect(listed.data.series).toHaveLength(2);
    expect(listed.data.series).toEqual(
      expect.arrayContaining([expect.objectContaining({ modality: "CT", instanceCount: 3 }), expect.objectContaining({ modality: "SEG", instanceCount: 1 })]),
    );
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "pacs.series", entityId: caseId } });
    expect(audit.details).not.toContain(CT_STUDY);
    expect(JSON.parse(audit.details).study).toBe(caseUid(CT_STUDY, await caseDeidContext(getDb(), caseId)));
  });

  it("pulls a study into the case de-identified; a second pull skips what is there", async () => {
    const first = await pull(caseId, [CT_STUDY]);
    expect(first).toMatchObject({ status: "DONE", errorKey: null, studies: 1, series: 2, expected: 4, skipped: 0 });
    expect(first.stored + first.rejected).toBe(4);
    expect(first.stored).toBeGreaterThanOrEqual(3);
    const instances = await storedInstances(caseId);
    expect(instances).toHaveLength(first.stored);
    const c = await getDb().case.findUniqueOrThrow({ where: { id: caseId } });
    for (const instance of instances) {
      const dump = (await exec("dcmdump", ["-q", "+L", objectPath(instance.sha256)], { maxBuffer: 64 * 1024 * 1024 })).stdout;
      for (const phi of IDENTIFYING) expect(dump).not.toContain(phi);
      expect(dump).toContain(`(0010,0010) PN [${c.code}]`);
    }
    const study = await getDb().imagingStudy.findFirstOrThrow({ where: { caseId } });
    expect(study.studyInstanceUid).toBe(caseUid(CT_STUDY, await caseDeidContext(getDb(), caseId)));

    const search = await pacsAction(caseId, { intent: "search", patientId: "99000" });
    expect(search.data.studies[0].inCase).toBe(true);

    const second = await pull(caseId, [CT_STUDY]);
    expect(second).toMatchObject({ status: "DONE", expected: 4, skipped: first.stored, stored: 0 });
    expect(await storedInstances(caseId)).toHaveLength(first.stored);

    // One series of another study: only that series arrives.
    const tinySeries = (await pacsAction(caseId, { intent: "search", patientId: "98890234" })).data.studies[0];
    const series = (await pacsAction(caseId, { intent: "series", studyUid: tinySeries.studyUid })).data.series;
    const third = await pull(caseId, [`${tinySeries.studyUid}/${series[0].seriesUid}`]);
    expect(third).toMatchObject({ status: "DONE", expected: 5, stored: 5, skipped: 0 });

    // The page shows the PACS and the pulls (counts only); its polling for progress is not audited again.
    const page = await run(pacsRoute.loader, { request: get(`/cases/${caseId}/pacs`, physician), params: { caseId } });
    expect(page.data).toMatchObject({ pacs: { aeTitle: PACS_AE, port: orthanc.dicomPort }, caseId });
    expect(page.data.pulls.map((p: { status: string }) => p.status)).toEqual(["DONE", "DONE", "DONE"]);
    const views = await getDb().auditEvent.count({ where: { action: "pacs.view", entityId: caseId } });
    const polled = await run(pacsRoute.loader, { request: get(`/cases/${caseId}/pacs?poll=1`, physician), params: { caseId } });
    expect(polled.data.pulls).toHaveLength(3);
    expect(await getDb().auditEvent.count({ where: { action: "pacs.view", entityId: caseId } })).toBe(views);

    const audits = await getDb().auditEvent.findMany({ where: { action: { in: ["pacs.pull", "pacs.pullDone"] }, entityId: caseId } });
    expect(audits).toHaveLength(6);
    for (const phi of IDENTIFYING) expect(JSON.stringify(audits)).not.toContain(phi);
    expect(JSON.stringify(await getDb().pacsPull.findMany())).not.toMatch(/JANCT000|99000|03086212|1\.2\.392/);
  });

  it("is not open to a coordinator, who may add imaging but not see the hospital's patient names", async () => {
    const coordinator = await signIn("coordinator@demo.test");
    const refused = await pacsAction(caseId, { intent: "search", patientId: "99000" }, coordinator);
    expect(refused.status).toBe(404);
  });

  it("stopping the PACS mid-pull leaves whole instances only and a clear error; pulling again continues", async () => {
    const cutCase = await newCaseOf(physician);
    const started = await pacsAction(cutCase, { intent: "pull", pick: [CUT.study] });
    expect(started.status).toBe(200);
    const pullId = started.data.pullId as string;
    for (;;) {
      const row = await getDb().pacsPull.findUniqueOrThrow({ where: { id: pullId } });
      if (row.stored >= 3 || row.status !== "RUNNING") break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await orthanc.kill();
    await pacsPullSettled(pullId);
    const cut = await getDb().pacsPull.findUniqueOrThrow({ where: { id: pullId } });
    expect(cut).toMatchObject({ status: "FAILED", errorKey: "imaging:pacs.errors.connectionLost" });
    expect(cut.stored).toBeGreaterThanOrEqual(3);
    expect(cut.stored).toBeLessThan(CUT.count);
    for (const lng of ["en", "zh-CN"] as const) expect((await tIn(lng))(cut.errorKey!)).not.toBe(cut.errorKey);

    // Every instance row has its whole file; no temporary file is left behind.
    const instances = await storedInstances(cutCase);
    expect(instances).toHaveLength(cut.stored);
    for (const instance of instances) {
      const bytes = await readFile(objectPath(instance.sha256));
      expect(bytes.subarray(128, 132).toString()).toBe("DICM");
      await exec("dcmdump", ["-q", objectPath(instance.sha256)]);
    }
    const tmp = path.join(process.env.STORAGE_DIR!, "tmp");
    const leftovers = await stat(tmp).then(
      () => readdir(tmp),
      () => [],
    );
    expect(leftovers).toEqual([]);

    // The PACS is back: the pull continues where it stopped.
    await orthanc.start();
    const resumed = await pull(cutCase, [CUT.study]);
    expect(resumed).toMatchObject({ status: "DONE", expected: CUT.count, skipped: cut.stored, stored: CUT.count - cut.stored });
    expect(await storedInstances(cutCase)).toHaveLength(CUT.count);
  }, 120_000);
});

describe("a PACS that refuses or does not answer", () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await newCaseOf(physician);
  });

  it("a wrong AE title: the association is refused, with a clear error in the user's language, audited", async () => {
    await getDb().institution.update({ where: { id: "demo-wuhan" }, data: { pacsAeTitle: "WRONGAE" } });
    try {
      const refused = await pacsAction(caseId, { intent: "search", patientId: "99000" });
      expect(refused.status).toBe(502);
      expect(refused.data.error).toBe("imaging:pacs.errors.aeTitleRefused");
      expect((await tIn("zh-CN"))(refused.data.error)).toMatch(/PACS拒绝连接/);
      expect((await tIn("en"))(refused.data.error)).toMatch(/refused the connection/);
      const pullRefused = await pacsAction(caseId, { intent: "pull", pick: [CT_STUDY] });
      await pacsPullSettled(pullRefused.data.pullId);
      expect(await getDb().pacsPull.findUniqueOrThrow({ where: { id: pullRefused.data.pullId } })).toMatchObject({
        status: "FAILED",
        errorKey: "imaging:pacs.errors.aeTitleRefused",
        stored: 0,
      });
      expect(await storedInstances(caseId)).toHaveLength(0);
      expect(await getDb().auditEvent.count({ where: { action: "pacs.search", entityId: caseId, outcome: "failure" } })).toBe(1);
    } finally {
      await getDb().institution.update({ where: { id: "demo-wuhan" }, data: { pacsAeTitle: PACS_AE } });
    }
  });

  it("a PACS that accepts the connection and never answers times out", async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    await getDb().institution.update({ where: { id: "demo-wuhan" }, data: { pacsPort: port } });
    try {
      const caller = await requireCaseImaging(get(`/cases/${caseId}/pacs`, physician), context, caseId, "queryPacs");
      const found = await searchPacs({
        ...caller,
        search: { intent: "search", patientId: "99000" },
        timeouts: { connect: 1000, association: 1000, pdu: 1000 },
      });
      expect(found).toMatchObject({ ok: false, errorKey: "imaging:pacs.errors.timeout" });
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      await getDb().institution.update({ where: { id: "demo-wuhan" }, data: { pacsPort: orthanc.dicomPort } });
    }
  });

  it("a PACS that is not running is unreachable", async () => {
    await orthanc.kill();
    try {
      const down = await pacsAction(caseId, { intent: "search", patientId: "99000" });
      expect(down.data.error).toBe("imaging:pacs.errors.unreachable");
    } finally {
      await orthanc.start();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------------------
// A misbehaving PACS: a dcmjs-dimse SCP whose C-FIND and C-GET answers each test scripts.

type Dimse = typeof import("dcmjs-dimse");
const fakeDimse = dimse as unknown as Dimse;
const { Scp, Server: DimseServer, Dataset } = fakeDimse;
const { CFindResponse, CGetResponse } = fakeDimse.responses;
const { CStoreRequest } = fakeDimse.requests;
const { Status, PresentationContextResult, TransferSyntax } = fakeDimse.constants;
type FindRequestT = InstanceType<Dimse["requests"]["CFindRequest"]>;
type GetRequestT = InstanceType<Dimse["requests"]["CGetRequest"]>;
type AssociationT = InstanceType<Dimse["association"]["Association"]>;

/** What a scripted C-FIND or C-GET can do: answer, send an instance (its C-STORE status back), and see whether we are gone. */
type FakeFind = { pending(elements: Record<string, unknown>): void; done(status: number): void; gone(): boolean; cancelled(): boolean };
type FakeGet = {
  store(file: string): Promise<number>;
  pending(): void;
  done(status: number, counts: { completed: number; failed: number }): void;
  gone(): boolean;
};
type FakeScript = {
  find?(identifier: Record<string, unknown>, answer: FakeFind): void;
  get?(identifier: Record<string, unknown>, answer: FakeGet): void;
};

type FakePacs = {
  port: number;
  script: FakeScript;
  /** C-CANCELs received, and associations that ended (aborted by us, or closed). */
  cancels: number;
  ended: number;
  close(): void;
};

async function startFakePacs(): Promise<FakePacs> {
  const port = await freePortIn(...FAKE_PACS_PORTS);
  const fake: FakePacs = { port, script: {}, cancels: 0, ended: 0, close: () => server.close() };
  class ScriptedScp extends Scp {
    private over = false;
    private cancel = false;
    constructor(...args: ConstructorParameters<typeof Scp>) {
      super(...args);
      const end = () => {
        if (this.over) return;
        this.over = true;
        fake.ended++;
      };
      this.on("close", end);
      (this as unknown as { socket: Socket }).socket.on("end", end);
    }
    associationRequested(association: AssociationT) {
      for (const proposed of association.getPresentationContexts()) {
        const context = association.getPresentationContext(proposed.id);
        const syntaxes = context.getTransferSyntaxUids();
        const syntax = [TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian].find((ts) => syntaxes.includes(ts));
        if (syntax) context.setResult(PresentationContextResult.Accept, syntax);
        else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      }
      this.sendAssociationAccept();
    }
    associationReleaseRequested() {
      this.sendAssociationReleaseResponse();
    }
    abort() {
      if (!this.over) {
        this.over = true;
        fake.ended++;
      }
    }
    cCancelRequest() {
      fake.cancels++;
      this.cancel = true;
    }
    // Answers go out one by one with sendResponse (the callback may be called only once).
    cFindRequest(request: FindRequestT) {
      const respond = (status: number, elements?: Record<string, unknown>) => {
        if (this.over) return;
        const response = CFindResponse.fromRequest(request);
        response.setStatus(status);
        if (elements) response.setDataset(new Dataset(elements));
        this.sendResponse(request, response);
      };
      fake.script.find?.(request.getDataset()!.getElements(), {
        pending: (elements) => respond(Status.Pending, elements),
        done: (status) => respond(status),
        gone: () => this.over,
        cancelled: () => this.cancel,
      });
    }
    cGetRequest(request: GetRequestT) {
      const respond = (status: number, counts?: { completed: number; failed: number }) => {
        if (this.over) return;
        const response = CGetResponse.fromRequest(request);
        response.setStatus(status);
        if (counts) {
          response.setCompleted(counts.completed);
          response.setFailures(counts.failed);
          response.setRemaining(0);
          response.setWarnings(0);
        }
        this.sendResponse(request, response);
      };
      fake.script.get?.(request.getDataset()!.getElements(), {
        store: (file) =>
          new Promise<number>((resolve) => {
            const store = new CStoreRequest(file);
            store.on("response", (response: { getStatus(): number }) => resolve(response.getStatus()));
            this.sendRequests(store);
          }),
        pending: () => respond(Status.Pending),
        done: (status, counts) => respond(status, counts),
        gone: () => this.over,
      });
    }
  }
  const server = new DimseServer(ScriptedScp as never);
  server.listen(port);
  return fake;
}

const uidsOf = (file: string) => {
  const elements = Dataset.fromFile(file)!.getElements();
  return { study: String(elements.StudyInstanceUID), series: String(elements.SeriesInstanceUID), sop: String(elements.SOPInstanceUID) };
};
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("a PACS that misbehaves", () => {
  let fake: FakePacs;
  let caseId: string;
  const caller = async (id = caseId) => requireCaseImaging(get(`/cases/${id}/pacs`, physician), context, id, "queryPacs");
  beforeAll(async () => {
    fake = await startFakePacs();
    await getDb().institution.update({
      where: { id: "demo-wuhan" },
      data: { pacsHost: "127.0.0.1", pacsPort: fake.port, pacsAeTitle: PACS_AE, pacsCallingAeTitle: OUR_AE },
    });
    caseId = await newCaseOf(physician);
  });
  afterAll(async () => {
    fake?.close();
    await getDb().institution.update({ where: { id: "demo-wuhan" }, data: { pacsPort: orthanc.dicomPort } });
  });

  it("sends images nobody asked for: they are refused on their original UIDs, never stored, and counted for the page", async () => {
    const planned = TINY.slice(0, 2);
    const tiny = uidsOf(TINY[0]);
    const statuses = new Map<string, number>();
    fake.script = {
      // The listing: two instances of the series.
      find: (identifier, answer) => {
        expect(identifier).toMatchObject({ QueryRetrieveLevel: "IMAGE", StudyInstanceUID: tiny.study, SeriesInstanceUID: tiny.series });
        for (const file of planned) answer.pending({ ...identifier, SOPInstanceUID: uidsOf(file).sop });
        answer.done(Status.Success);
      },
      // The C-GET of the series: the two, an instance of the same series not listed, and another patient's CT.
      get: (_identifier, answer) =>
        void (async () => {
          for (const file of [...planned, TINY[2], CT[0]]) statuses.set(uidsOf(file).sop, await answer.store(file));
          answer.done(0xb000, { completed: 2, failed: 2 });
        })(),
    };
    const done = await pull(caseId, [`${tiny.study}/${tiny.series}`]);
    expect(done).toMatchObject({ status: "DONE", errorKey: null, expected: 2, stored: 2, unrequested: 2, rejected: 0, failed: 0 });
    expect(statuses).toEqual(
      new Map([
        [uidsOf(TINY[0]).sop, Status.Success],
        [uidsOf(TINY[1]).sop, Status.Success],
        [uidsOf(TINY[2]).sop, UNREQUESTED_STATUS],
        [uidsOf(CT[0]).sop, UNREQUESTED_STATUS],
      ]),
    );
    // Only the planned instances are in the case: the other patient's study never arrived.
    const ctx = await caseDeidContext(getDb(), caseId);
    expect(await storedInstances(caseId)).toHaveLength(2);
    expect((await getDb().imagingStudy.findMany({ where: { caseId } })).map((s) => s.studyInstanceUid)).toEqual([caseUid(tiny.study, ctx)]);
    const sops = (await storedInstances(caseId)).map((i) => i.sopInstanceUid).sort();
    expect(sops).toEqual(planned.map((f) => caseUid(uidsOf(f).sop, ctx)).sort());

    // The page shows the count; the words say so in both languages.
    const page = await run(pacsRoute.loader, { request: get(`/cases/${caseId}/pacs?poll=1`, physician), params: { caseId } });
    expect(page.data.pulls[0]).toMatchObject({ unrequested: 2 });
    expect((await tIn("en"))("imaging:pacs.unrequested", { count: 2 })).toBe("Refused 2 images the PACS sent that were not asked for; they were not stored.");
    expect((await tIn("zh-CN"))("imaging:pacs.unrequested", { count: 2 })).toMatch(/拒收.*2.*未请求/);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "pacs.pullDone", entityId: caseId }, orderBy: { occurredAt: "desc" } });
    expect(JSON.parse(audit.details)).toMatchObject({ unrequested: 2, stored: 2 });
    expect(audit.details).not.toContain(uidsOf(CT[0]).study);
  });

  it("trickles C-FIND answers for ever: the search ends at its deadline with a clear error, and the association is gone", async () => {
    fake.script = {
      find: (identifier, answer) =>
        void (async () => {
          for (let i = 0; !answer.gone(); i++) {
            answer.pending({ ...identifier, StudyInstanceUID: `1.2.3.${i}`, PatientName: "SLOW" });
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        })(),
    };
    const ended = fake.ended;
    const started = Date.now();
    const found = await searchPacs({
      ...(await caller()),
      search: { intent: "search", patientId: "SLOW" },
      timeouts: { find: 1_000 },
    });
    expect(found).toMatchObject({ ok: false, errorKey: "imaging:pacs.errors.searchDeadline" });
    // Ended by the deadline, not by the PDU timeout (60 s) that each answer resets.
    expect(Date.now() - started).toBeLessThan(15_000);
    while (fake.ended === ended) await tick();
    for (const lng of ["en", "zh-CN"] as const) expect((await tIn(lng))("imaging:pacs.errors.searchDeadline")).not.toBe("imaging:pacs.errors.searchDeadline");
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "pacs.search", entityId: caseId }, orderBy: { occurredAt: "desc" } });
    expect(audit.outcome).toBe("failure");
  });

  it("answers 30,000 matches: the search is cancelled after the limit and asks for narrower criteria, without reading them all", async () => {
    const TOTAL = 30_000;
    let sent = 0;
    let honourCancel = true;
    fake.script = {
      find: (identifier, answer) =>
        void (async () => {
          while (sent < TOTAL && !answer.gone()) {
            if (honourCancel && answer.cancelled()) return answer.done(Status.Cancel);
            for (let i = 0; i < 25 && sent < TOTAL; i++, sent++)
              answer.pending({ ...identifier, StudyInstanceUID: `1.2.826.0.1.3680043.8.498.9.${sent}`, PatientID: "MANY", StudyDate: "20240301" });
            await new Promise((resolve) => setImmediate(resolve));
          }
          if (!answer.gone()) answer.done(Status.Success);
        })(),
    };
    const cancels = fake.cancels;
    const found = await pacsAction(caseId, { intent: "search", patientId: "MANY" });
    expect(found.status).toBe(200);
    expect(found.data).toMatchObject({ truncated: true });
    expect(found.data.studies).toHaveLength(MAX_STUDIES);
    expect(fake.cancels).toBe(cancels + 1);
    // Bounded work: the PACS stopped a few batches after the 101st answer (answers already on the wire are read), not at 30,000.
    expect(sent).toBeLessThan(5_000);
    expect((await tIn("en"))("imaging:pacs.truncated", { count: MAX_STUDIES })).toMatch(/^More than 100 studies match.*Narrow the search/);
    expect((await tIn("zh-CN"))("imaging:pacs.truncated", { count: MAX_STUDIES })).toMatch(/超过100个.*缩小检索范围/);

    // A PACS that ignores the C-CANCEL is cut off (A-ABORT) a few answers later, the studies kept all the same.
    sent = 0;
    honourCancel = false;
    const ended = fake.ended;
    const ignored = await pacsAction(caseId, { intent: "search", patientId: "MANY" });
    expect(ignored.data).toMatchObject({ truncated: true });
    expect(ignored.data.studies).toHaveLength(MAX_STUDIES);
    while (fake.ended === ended) await tick();
    expect(sent).toBeLessThan(5_000);
  });

  it("stalls a C-GET: the pull ends at the idle deadline, and the case is free for the next pull", async () => {
    const tiny = uidsOf(TINY[3]);
    const stalledCase = await newCaseOf(physician);
    fake.script = {
      find: (identifier, answer) => {
        answer.pending({ ...identifier, SOPInstanceUID: tiny.sop });
        answer.done(Status.Success);
      },
      // Pending C-GET answers every 100 ms, never an instance.
      get: (_identifier, answer) =>
        void (async () => {
          while (!answer.gone()) {
            answer.pending();
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        })(),
    };
    const started = await startPacsPull({ ...(await caller(stalledCase)), picks: [`${tiny.study}/${tiny.series}`], timeouts: { getIdle: 1_000 } });
    expect(started).toMatchObject({ ok: true });
    const pullId = (started as { pullId: string }).pullId;
    await pacsPullSettled(pullId);
    const stalled = await getDb().pacsPull.findUniqueOrThrow({ where: { id: pullId } });
    expect(stalled).toMatchObject({ status: "FAILED", errorKey: "imaging:pacs.errors.pullStalled", stored: 0 });
    for (const lng of ["en", "zh-CN"] as const) expect((await tIn(lng))(stalled.errorKey!)).not.toBe(stalled.errorKey);

    // Not blocked: the next pull starts (and, the PACS still stalling, ends the same way).
    const again = await startPacsPull({ ...(await caller(stalledCase)), picks: [`${tiny.study}/${tiny.series}`], timeouts: { getIdle: 500 } });
    expect(again).toMatchObject({ ok: true });
    await pacsPullSettled((again as { pullId: string }).pullId);
  });

  it("refuses a search by date alone wider than a week, on the date field, in both languages", async () => {
    const finds = vi.fn();
    fake.script = { find: finds };
    const wide = await pacsAction(caseId, { intent: "search", dateFrom: "1900-01-01" });
    expect(wide.status).toBe(400);
    expect(wide.data.error).toBe("imaging:pacs.errors.dateRangeTooWide");
    expect(wide.data.result.error.dateTo).toEqual(["imaging:pacs.errors.dateRangeTooWide"]);
    const eightDays = await pacsAction(caseId, { intent: "search", dateFrom: "2024-03-01", dateTo: "2024-03-08" });
    expect(eightDays.data.result.error.dateTo).toEqual(["imaging:pacs.errors.dateRangeTooWide"]);
    const openStart = await pacsAction(caseId, { intent: "search", dateTo: "2024-03-08" });
    expect(openStart.data.result.error.dateFrom).toEqual(["imaging:pacs.errors.dateRangeTooWide"]);
    expect(finds).not.toHaveBeenCalled();
    expect((await tIn("en"))("imaging:pacs.errors.dateRangeTooWide")).toMatch(/at most 7 days/);
    expect((await tIn("zh-CN"))("imaging:pacs.errors.dateRangeTooWide")).toMatch(/不超过7天/);
    // A week, or any range with a patient ID, goes to the PACS.
    fake.script = { find: (_identifier, answer) => answer.done(Status.Success) };
    expect((await pacsAction(caseId, { intent: "search", dateFrom: "2024-03-01", dateTo: "2024-03-07" })).status).toBe(200);
    expect((await pacsAction(caseId, { intent: "search", patientId: "99000", dateFrom: "1900-01-01" })).status).toBe(200);
  });
});
