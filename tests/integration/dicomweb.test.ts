import { readFileSync, statSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { parsePart10, stringValue, tagOf } from "~/features/imaging/dicom/part10";
import * as assignRoute from "~/routes/cases.$caseId.assign";
import * as dicomweb from "~/routes/dicomweb.cases.$caseId.$";
import * as newCase from "~/routes/cases.new";
import { createApiToken } from "~/features/identity/api-tokens.server";
import { getDb } from "~/platform/db.server";
import { multipartParts } from "~/features/imaging/dicomweb.server";
import { preloadUrl, VIEWER_ACCEPT } from "~/features/imaging/viewer/instance-cache";
import { parseInstance } from "~/features/imaging/viewer/dicom-image";
import { derivedPath, objectPath } from "~/platform/storage.server";
import { flushRefusals } from "~/features/audit/audit-refusals.server";
import { post, run, signIn } from "../support/remix";
import { callDicomweb, stowBody } from "../support/dicomweb";
import { FIRST_ENTRY } from "../support/case-packet";

const CT = ["ct-series/ct-3slice-01.dcm", "ct-series/ct-3slice-02.dcm", "ct-series/ct-3slice-03.dcm"];

const call = callDicomweb;

async function setUpCase() {
  const physician = await signIn("physician@demo.test");
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, physician) });
  const caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
  const user = await getDb().user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
  const token = await createApiToken(getDb(), user.id, "test PACS");
  return { caseId, token, physician };
}

describe("DICOMweb", () => {
  it("stores a study by STOW-RS with an API token, then finds and retrieves it by QIDO-RS and WADO-RS", async () => {
    const { caseId, token, physician } = await setUpCase();
    const { body, type } = stowBody(CT);
    const stored = await call(dicomweb.action, caseId, "studies", {
      method: "POST",
      body,
      headers: { authorization: `Bearer ${token}`, "content-type": type },
    });
    expect(stored.status).toBe(200);
    expect((await stored.json())["00081199"].Value).toHaveLength(3);

    const studies = await (await call(dicomweb.loader, caseId, "studies", { headers: { cookie: physician } })).json();
    expect(studies).toHaveLength(1);
    const code = (await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).code;
    expect(studies[0]["00100010"].Value[0].Alphabetic).toBe(code);
    expect(studies[0]["00201208"].Value[0]).toBe(3);
    const studyUid = studies[0]["0020000D"].Value[0];

    const series = await (await call(dicomweb.loader, caseId, `studies/${studyUid}/series`, { headers: { cookie: physician } })).json();
    expect(series[0]["00080060"].Value).toEqual(["CT"]);
    const seriesUid = series[0]["0020000E"].Value[0];
    const instances = await (
      await call(dicomweb.loader, caseId, `studies/${studyUid}/series/${seriesUid}/instances`, { headers: { cookie: physician } })
    ).json();
    expect(instances).toHaveLength(3);
    const instanceUid = instances[0]["00080018"].Value[0];
    const instancePath = `studies/${studyUid}/series/${seriesUid}/instances/${instanceUid}`;

    const wado = await call(dicomweb.loader, caseId, instancePath, { headers: { authorization: `Bearer ${token}` } });
    expect(wado.headers.get("content-type")).toMatch(/^multipart\/related; type="application\/dicom"/);
    const [file] = multipartParts(Buffer.from(await wado.arrayBuffer()), wado.headers.get("content-type")!)!;
    const dataset = parsePart10(file, dictionaryVr).dataset;
    expect(stringValue(dataset, tagOf(0x0010, 0x0010))).toBe(code);
    expect(stringValue(dataset, tagOf(0x0008, 0x0018))).toBe(instanceUid);

    const metadata = await (await call(dicomweb.loader, caseId, `${instancePath}/metadata`, { headers: { cookie: physician } })).json();
    expect(metadata[0]["00100020"].Value).toEqual([code]);
    expect(metadata[0]["00280010"].Value).toEqual([512]);
    expect(metadata[0]["7FE00010"].BulkDataURI).toContain(instanceUid);

    const frame = await call(dicomweb.loader, caseId, `${instancePath}/frames/1`, { headers: { cookie: physician } });
    const [pixels] = multipartParts(Buffer.from(await frame.arrayBuffer()), frame.headers.get("content-type")!)!;
    expect(pixels.length).toBe(512 * 512 * 2);
    expect((await call(dicomweb.loader, caseId, `${instancePath}/frames/2`, { headers: { cookie: physician } })).status).toBe(404);
  });

  it("audits a viewer's instance and frame reads of a series as one row and one counted row per minute, not a row per frame", async () => {
    const { caseId, token, physician } = await setUpCase();
    const { body, type } = stowBody(CT);
    await call(dicomweb.action, caseId, "studies", { method: "POST", body, headers: { authorization: `Bearer ${token}`, "content-type": type } });
    const [instance] = await (await call(dicomweb.loader, caseId, "instances", { headers: { cookie: physician } })).json();
    const [study, series, sop] = ["0020000D", "0020000E", "00080018"].map((tag) => instance[tag].Value[0]);
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
    const reads = () => getDb().auditEvent.findMany({ where: { action: "imaging.read", actorId: user.id, entityId: caseId }, orderBy: { id: "asc" } });
    const before = (await reads()).length;
    for (let i = 0; i < 30; i++) {
      const path = `studies/${study}/series/${series}/instances/${sop}${i % 2 ? "" : "/frames/1"}`;
      expect((await call(dicomweb.loader, caseId, path, { headers: { cookie: physician } })).status).toBe(200);
    }
    expect((await reads()).length).toBe(before + 1);
    await flushRefusals();
    const rows = (await reads()).slice(before);
    expect(rows).toHaveLength(2);
    const folded = JSON.parse(rows[1].details as string) as { repeated: number; samples: string[] };
    expect(folded.repeated).toBe(29);
    expect(folded.samples).toEqual(expect.arrayContaining([`wado:instance ${sop}`, `wado:frame ${sop}/1`]));
    // A series-level read is its own row at once.
    await call(dicomweb.loader, caseId, `studies/${study}/series/${series}/metadata`, { headers: { cookie: physician } });
    expect((await reads()).length).toBe(before + 3);
  });

  it("gives compressed instances and frames decoded to Explicit VR Little Endian by default, and as stored on request", async () => {
    const { caseId, physician } = await setUpCase();
    const { body, type } = stowBody(["syntax/ct1-jpegls-lossless.dcm", "syntax/mr-j2k-lossless.dcm"]);
    expect(
      (
        await call(dicomweb.action, caseId, "studies", {
          method: "POST",
          body,
          headers: { cookie: physician, "content-type": type },
        })
      ).status,
    ).toBe(200);
    const stored = await getDb().imagingInstance.findMany({
      where: { series: { study: { caseId } } },
      include: { series: { include: { study: true } } },
    });
    expect(stored.map((i) => i.transferSyntax).sort()).toEqual(["1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90"]);
    const headers = (accept?: string) => ({
      headers: { cookie: physician, ...(accept ? { accept } : {}) },
    });
    const parts = async (response: Response) => multipartParts(Buffer.from(await response.arrayBuffer()), response.headers.get("content-type")!)!;

    for (const instance of stored) {
      const instancePath = `studies/${instance.series.study.studyInstanceUid}/series/${instance.series.seriesInstanceUid}/instances/${instance.sopInstanceUid}`;
      const decoded = await call(dicomweb.loader, caseId, instancePath, headers());
      expect(decoded.status).toBe(200);
      const [file] = await parts(decoded);
      const parsed = parsePart10(file, dictionaryVr);
      expect(parsed.transferSyntax).toBe("1.2.840.10008.1.2.1");
      const pixels = parsed.dataset.find((e) => e.tag === tagOf(0x7fe0, 0x0010))!.value!;
      expect(pixels.length).toBe(instance.rows! * instance.columns! * (instance.bitsAllocated! / 8));

      const frame = await call(dicomweb.loader, caseId, `${instancePath}/frames/1`, headers('multipart/related; type="application/octet-stream"'));
      expect(frame.headers.get("content-type")).toMatch(/type="application\/octet-stream"/);
      expect(Buffer.compare((await parts(frame))[0], Buffer.from(pixels))).toBe(0);

      const asStored = await call(dicomweb.loader, caseId, instancePath, headers('multipart/related; type="application/dicom"; transfer-syntax=*'));
      expect(parsePart10((await parts(asStored))[0], dictionaryVr).transferSyntax).toBe(instance.transferSyntax);

      const refused = await call(
        dicomweb.loader,
        caseId,
        instancePath,
        headers('multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.50'),
      );
      expect(refused.status).toBe(406);
    }
  });

  it("gives the viewer JPEG-LS lossless where the pixels allow it, made once and kept, colour JPEG baseline as stored, and Explicit VR Little Endian elsewhere", async () => {
    const { caseId, physician } = await setUpCase();
    const { body, type } = stowBody(["ct-series/ct-3slice-01.dcm", "syntax/sc-rgb-jpeg-baseline.dcm"]);
    expect((await call(dicomweb.action, caseId, "studies", { method: "POST", body, headers: { cookie: physician, "content-type": type } })).status).toBe(200);
    const stored = await getDb().imagingInstance.findMany({ where: { series: { study: { caseId } } }, include: { series: { include: { study: true } } } });
    const pathOf = (i: (typeof stored)[number]) =>
      `studies/${i.series.study.studyInstanceUid}/series/${i.series.seriesInstanceUid}/instances/${i.sopInstanceUid}`;
    const asViewer = async (i: (typeof stored)[number]) => {
      const response = await call(dicomweb.loader, caseId, pathOf(i), { headers: { cookie: physician, accept: VIEWER_ACCEPT } });
      expect(response.status).toBe(200);
      const [file] = multipartParts(Buffer.from(await response.arrayBuffer()), response.headers.get("content-type")!)!;
      return file;
    };
    const ct = stored.find((i) => i.bitsAllocated === 16)!;
    const coded = await asViewer(ct);
    expect(parsePart10(coded, dictionaryVr).transferSyntax).toBe("1.2.840.10008.1.2.4.80");
    const native = await call(dicomweb.loader, caseId, pathOf(ct), { headers: { cookie: physician } });
    const [nativeFile] = multipartParts(Buffer.from(await native.arrayBuffer()), native.headers.get("content-type")!)!;
    expect(coded.length).toBeLessThan(nativeFile.length / 2);
    const { frameStoredValues } = await import("~/features/imaging/dicom/pixel-module");
    const values = (file: Uint8Array) => {
      const parsed = parseInstance(file);
      return Array.from(frameStoredValues(parsed.pixelModule, parsed.pixelModule.frames[0], parsed.bytes));
    };
    expect(values(coded)).toEqual(values(nativeFile));
    // Kept beside the original, so the next reader is served the same file without coding it again.
    const kept = derivedPath(ct.sha256, "jpeg-ls.dcm");
    expect(Buffer.compare(readFileSync(kept), coded)).toBe(0);
    const keptAt = statSync(kept).mtimeMs;
    expect(Buffer.compare(await asViewer(ct), coded)).toBe(0);
    expect(statSync(kept).mtimeMs).toBe(keptAt);
    // A preload link sets no Accept header: the accept query parameter says the same.
    const preloaded = await call(dicomweb.loader, caseId, preloadUrl(pathOf(ct)), { headers: { cookie: physician } });
    expect(Buffer.compare(multipartParts(Buffer.from(await preloaded.arrayBuffer()), preloaded.headers.get("content-type")!)![0], coded)).toBe(0);

    // Colour JPEG baseline, which JPEG-LS does not code here, goes as stored for the browser to decode; a viewer that
    // cannot decode it (RGB without a colour transform) asks again without JPEG baseline and gets native pixels.
    const colour = stored.find((i) => i.photometricInterpretation !== "MONOCHROME2")!;
    const asStored = await asViewer(colour);
    expect(parsePart10(asStored, dictionaryVr).transferSyntax).toBe("1.2.840.10008.1.2.4.50");
    expect(Buffer.compare(asStored, readFileSync(objectPath(colour.sha256)))).toBe(0);
    const withoutJpeg = VIEWER_ACCEPT.split(", ")
      .filter((range) => !range.includes("1.2.840.10008.1.2.4.50"))
      .join(", ");
    const decoded = await call(dicomweb.loader, caseId, pathOf(colour), { headers: { cookie: physician, accept: withoutJpeg } });
    expect(parsePart10(multipartParts(Buffer.from(await decoded.arrayBuffer()), decoded.headers.get("content-type")!)![0], dictionaryVr).transferSyntax).toBe(
      "1.2.840.10008.1.2.1",
    );
  });

  it("answers 401 without credentials, and an audited 404 to users who may not see the case", async () => {
    const { caseId, token } = await setUpCase();
    const { body, type } = stowBody([CT[0]]);
    await call(dicomweb.action, caseId, "studies", { method: "POST", body, headers: { authorization: `Bearer ${token}`, "content-type": type } });
    expect((await call(dicomweb.loader, caseId, "studies")).status).toBe(401);
    expect((await call(dicomweb.loader, caseId, "studies", { headers: { authorization: "Bearer tbt_" + "x".repeat(43) } })).status).toBe(401);
    for (const email of ["physician2@demo.test", "consultant2@demo.test"]) {
      const response = await call(dicomweb.loader, caseId, "studies", { headers: { cookie: await signIn(email) } });
      expect(response.status, email).toBe(404);
      const user = await getDb().user.findUniqueOrThrow({ where: { email } });
      expect(await getDb().auditEvent.count({ where: { actorId: user.id, action: "access.denied" } })).toBeGreaterThan(0);
    }
    const revoked = await getDb().apiToken.updateMany({ data: { revokedAt: new Date() } });
    expect(revoked.count).toBeGreaterThan(0);
    expect((await call(dicomweb.loader, caseId, "studies", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it("reports refused parts of a STOW request and keeps the good ones", async () => {
    const { caseId, physician } = await setUpCase();
    const { body, type } = stowBody(["syntax/ct1-explicit-le.dcm", "malformed/no-rows.dcm"]);
    const response = await call(dicomweb.action, caseId, "studies", { method: "POST", body, headers: { cookie: physician, "content-type": type } });
    expect(response.status).toBe(202);
    const result = await response.json();
    expect(result["00081199"].Value).toHaveLength(1);
    expect(result["00081198"].Value).toHaveLength(1);
    expect(
      (await call(dicomweb.action, caseId, "studies", { method: "POST", body, headers: { cookie: physician, "content-type": "application/json" } })).status,
    ).toBe(415);

    const cut = await call(dicomweb.action, caseId, "studies", {
      method: "POST",
      body: body.subarray(0, 200),
      headers: { cookie: physician, "content-type": type },
    });
    expect(cut.status).toBe(400);
    expect(await cut.text()).toBe("Malformed multipart body");

    // Parts are read one at a time as they stream, even without a Content-Length: each past the limit is refused, none is held.
    process.env.IMAGING_MAX_FILE_MB = "0.001";
    try {
      const stream = new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(body)), c.close()) });
      const big = await call(dicomweb.action, caseId, "studies", {
        method: "POST",
        body: stream,
        headers: { cookie: physician, "content-type": type },
        duplex: "half",
      } as RequestInit);
      expect(big.status).toBe(409);
      const refused = (await big.json())["00081198"].Value;
      expect(refused.map((r: Record<string, { Value: string[] }>) => r["00081196"].Value[0])).toEqual([
        "imaging:rejections.fileTooLarge",
        "imaging:rejections.fileTooLarge",
      ]);
    } finally {
      delete process.env.IMAGING_MAX_FILE_MB;
    }
  });

  it("keeps series that may show burned-in text from consultants", async () => {
    const { caseId, physician } = await setUpCase();
    const { body, type } = stowBody(["multiframe/us-30f-jpeg-ybr.dcm", CT[0]]);
    await call(dicomweb.action, caseId, "studies", { method: "POST", body, headers: { cookie: physician, "content-type": type } });
    // Complete and submit the case, then assign consultant@demo.test through the real routes.
    const { packetForm } = await import("../support/case-packet");
    const edit = await import("~/routes/cases.$caseId.edit");
    const version = String((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).version);
    expect(
      (await run(edit.action, { request: post(`/cases/${caseId}/edit`, { ...packetForm(), intent: "submit", version }, physician), params: { caseId } }))
        .status,
    ).toBe(302);
    const consultant = await getDb().user.findUniqueOrThrow({ where: { email: "consultant@demo.test" } });
    const coordinator = await signIn("coordinator@demo.test");
    await run(assignRoute.action, {
      request: post(`/cases/${caseId}/assign`, { primaryId: consultant.id, dueDate: "2030-01-01" }, coordinator),
      params: { caseId },
    });

    const byCoordinator = await (await call(dicomweb.loader, caseId, "studies", { headers: { cookie: coordinator } })).json();
    const byConsultant = await (await call(dicomweb.loader, caseId, "studies", { headers: { cookie: await signIn("consultant@demo.test") } })).json();
    const modalities = (studies: { "00080061": { Value: string[] } }[]) => studies.flatMap((s) => s["00080061"].Value).sort();
    expect(modalities(byCoordinator)).toEqual(["CT", "US"]);
    expect(modalities(byConsultant)).toEqual(["CT"]);
  });
});

describe("burned-in review", () => {
  it("lets a coordinator clear a flagged series once OCR has read it, audited, after which consultants receive it", { timeout: 180_000 }, async () => {
    const { caseId, physician } = await setUpCase();
    const { body, type } = stowBody(["multiframe/us-30f-jpeg-ybr.dcm"]);
    await call(dicomweb.action, caseId, "studies", { method: "POST", body, headers: { cookie: physician, "content-type": type } });
    const caseRoute = await import("~/routes/cases.$caseId._index");
    const series = await getDb().imagingSeries.findFirstOrThrow({ where: { study: { caseId } } });
    const byPhysician = await run(caseRoute.action, {
      request: post(`/cases/${caseId}`, { intent: "clearBurnedIn", seriesId: series.id }, physician),
      params: { caseId },
    });
    expect(byPhysician.status).toBe(404);
    expect((await getDb().imagingSeries.findUniqueOrThrow({ where: { id: series.id } })).burnedInClearedAt).toBeNull();

    const { packetForm } = await import("../support/case-packet");
    const edit = await import("~/routes/cases.$caseId.edit");
    const version = String((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).version);
    await run(edit.action, { request: post(`/cases/${caseId}/edit`, { ...packetForm(), intent: "submit", version }, physician), params: { caseId } });
    const coordinator = await signIn("coordinator@demo.test");
    const clear = () =>
      run(caseRoute.action, { request: post(`/cases/${caseId}`, { intent: "clearBurnedIn", seriesId: series.id }, coordinator), params: { caseId } });
    const instance = () => getDb().imagingInstance.findFirstOrThrow({ where: { seriesId: series.id } });
    if ((await instance()).ocrStatus === "PENDING") expect((await clear()).data).toMatchObject({ error: "imaging:burnedIn.stillReading" });
    const started = Date.now();
    await vi.waitFor(
      async () => {
        if ((await instance()).ocrStatus === "PENDING") throw new Error("OCR still reading");
      },
      { timeout: 150_000, interval: 250 },
    );
    console.info(`burned-in OCR of a 30-frame 320x240 ultrasound: ${Date.now() - started} ms after the clear button was refused`);
    expect((await instance()).ocrStatus).toBe("DONE");
    const cleared = await run(caseRoute.action, {
      request: post(`/cases/${caseId}`, { intent: "clearBurnedIn", seriesId: series.id }, coordinator),
      params: { caseId },
    });
    expect(cleared.data).toMatchObject({ error: null });
    expect(await getDb().auditEvent.count({ where: { action: "imaging.clearBurnedIn", entityId: caseId } })).toBe(1);
    const consultant = await getDb().user.findUniqueOrThrow({ where: { email: "consultant@demo.test" } });
    await run(assignRoute.action, {
      request: post(`/cases/${caseId}/assign`, { primaryId: consultant.id, dueDate: "2030-01-01" }, coordinator),
      params: { caseId },
    });
    const studies = await (await call(dicomweb.loader, caseId, "studies", { headers: { cookie: await signIn("consultant@demo.test") } })).json();
    expect(studies.flatMap((s: { "00080061": { Value: string[] } }) => s["00080061"].Value)).toEqual(["US"]);
  });
});
