import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as imaging from "~/routes/cases.$caseId.imaging";
import * as newCase from "~/routes/cases.new";
import { getDb } from "~/platform/db.server";
import { objectPath } from "~/platform/storage.server";
import type { DeidContext } from "~/features/imaging/dicom/deidentify";
import { deidentifyFile } from "~/features/imaging/dicom/deidentify-file";
import { ingestDicom } from "~/features/imaging/imaging-ingest.server";
import { partDisposition, UPLOAD_BATCH, uploadBatches } from "~/features/imaging/upload-batch";
import { postUploadBatch, uploadContext } from "../support/browser-upload";
import { BASE, csrfFor, post, run, signIn } from "../support/remix";
import { FIRST_ENTRY } from "../support/case-packet";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const CT = ["ct-series/ct-3slice-01.dcm", "ct-series/ct-3slice-02.dcm", "ct-series/ct-3slice-03.dcm"];

async function draft(cookie: string) {
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, cookie) });
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
}

/** The results of the files sent in batches, as the page sends them; a refusal of a request itself is returned as it is. */
async function each(caseId: string, cookie: string, files: string[], bytesOf: (original: Uint8Array) => Uint8Array) {
  const results: unknown[] = [];
  const prepared = files.map((file) => ({ fileName: path.basename(file), bytes: bytesOf(new Uint8Array(readFileSync(path.join(CORPUS, file)))) }));
  for (const batch of uploadBatches(prepared.map((p) => p.bytes.length))) {
    const answer = await postUploadBatch(
      caseId,
      cookie,
      batch.map((i) => prepared[i]),
    );
    if (answer.status !== 200 && answer.status !== 422) return answer;
    results.push(...JSON.parse(answer.data).results);
  }
  return { status: 200, headers: new Headers(), data: JSON.stringify({ results }) };
}

/** As the case page sends files: de-identified with the case's context as the browser's worker does (a file it cannot read goes as it is, as a hostile client would). */
async function upload(caseId: string, cookie: string, files: string[], context?: DeidContext) {
  const ctx = context ?? (await uploadContext(caseId, cookie).catch(() => null));
  return each(caseId, cookie, files, (original) => {
    const deidentified = ctx ? deidentifyFile(original, ctx) : null;
    return deidentified?.ok ? deidentified.bytes : original;
  });
}

const uploadRaw = (caseId: string, cookie: string, files: string[]) => each(caseId, cookie, files, (original) => original);

describe("DICOM upload to a case", () => {
  it("stores and indexes a CT series, de-identified under the case code, and knows a duplicate", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const result = await upload(caseId, physician, CT);
    expect(result.status).toBe(200);
    expect(JSON.parse(result.data).results.map((r: { status: string }) => r.status)).toEqual(["stored", "stored", "stored"]);

    const studies = await getDb().imagingStudy.findMany({ where: { caseId }, include: { series: { include: { instances: true } } } });
    expect(studies).toHaveLength(1);
    expect(studies[0].series).toHaveLength(1);
    const series = studies[0].series[0];
    expect(series).toMatchObject({ modality: "CT", burnedInRisk: false });
    expect(series.instances).toHaveLength(3);
    for (const instance of series.instances) {
      expect(instance).toMatchObject({
        rows: 512,
        columns: 512,
        frames: 1,
        transferSyntax: "1.2.840.10008.1.2",
        ocrStatus: null,
        sopClassUid: "1.2.840.10008.5.1.4.1.1.2",
      });
      expect(Date.now() - instance.createdAt.getTime()).toBeLessThan(60_000);
      expect(instance.size).toBe(readFileSync(objectPath(instance.sha256)).length);
      expect(JSON.parse(instance.imagePosition!)).toHaveLength(3);
      const stored = readFileSync(objectPath(instance.sha256)).toString("latin1");
      const code = (await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).code;
      expect(stored).toContain(code);
      expect(stored).not.toContain("JANCT000");
      expect(stored).not.toContain("03086212");
    }

    const again = await upload(caseId, physician, [CT[0]]);
    expect(JSON.parse(again.data).results).toMatchObject([{ status: "duplicate" }]);
    expect(await getDb().imagingInstance.count({ where: { series: { study: { caseId } } } })).toBe(3);
  });

  it("stores an instance sent twice at once only once: the other is a duplicate, and the quota counts it once", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const ctx = await uploadContext(caseId, physician);
    const files = CT.map((file) => {
      const deidentified = deidentifyFile(new Uint8Array(readFileSync(path.join(CORPUS, file))), ctx);
      if (!deidentified.ok) throw new Error(`${file} not de-identified`);
      return deidentified.bytes;
    });
    // Both copies are prepared at once, so both usually pass the early duplicate check and meet at the unique key.
    const raced = await Promise.all(files.flatMap((bytes, i) => [0, 1].map(() => ingestDicom(getDb(), caseId, bytes.slice(), `${i}`, { deidentified: true }))));
    expect(raced.map((r) => r.status).sort()).toEqual(["duplicate", "duplicate", "duplicate", "stored", "stored", "stored"]);
    const stored = await getDb().imagingInstance.findMany({ where: { series: { study: { caseId } } } });
    expect(stored).toHaveLength(3);
    expect((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).imagingBytes).toBe(BigInt(stored.reduce((n, i) => n + i.size, 0)));
  });

  it("rejects malformed files with a reason each, stores the good ones beside them, and half-stores nothing", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const result = await upload(caseId, physician, [
      "malformed/no-rows.dcm",
      "syntax/ct1-explicit-le.dcm",
      "malformed/rtplan-truncated.dcm",
      "pathology/openslide-small.svs",
    ]);
    const results = JSON.parse(result.data).results;
    expect(results.map((r: { status: string; reasonKey?: string }) => [r.status, r.reasonKey ?? null])).toEqual([
      ["rejected", "imaging:rejections.missingRows"],
      ["stored", null],
      ["rejected", "imaging:rejections.truncated"],
      ["rejected", "imaging:rejections.notDicom"],
    ]);
    expect(await getDb().imagingInstance.count({ where: { series: { study: { caseId } } } })).toBe(1);
  });

  it("takes a batch in one request: each part named by its UTF-8 file name, one audit row, no more parts than a batch holds", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const ctx = await uploadContext(caseId, physician);
    const slices = CT.map((file) => deidentifyFile(new Uint8Array(readFileSync(path.join(CORPUS, file))), ctx)).map((r) => (r.ok ? r.bytes : new Uint8Array()));
    const answer = await postUploadBatch(caseId, physician, [
      { fileName: "胸部CT/第1层.dcm", bytes: slices[0] },
      { fileName: "胸部CT/损坏.dcm", bytes: new Uint8Array(400) },
      { fileName: "胸部CT/第2层.dcm", bytes: slices[1] },
    ]);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.data).results.map((r: { fileName: string; status: string }) => [r.fileName, r.status])).toEqual([
      ["胸部CT_第1层.dcm", "stored"],
      ["胸部CT_损坏.dcm", "rejected"],
      ["胸部CT_第2层.dcm", "stored"],
    ]);
    const audits = await getDb().auditEvent.findMany({ where: { action: "imaging.upload", entityId: caseId } });
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0].details!)).toMatchObject({ stored: 2, rejected: [{ file: "胸部CT_损坏.dcm" }] });

    const tooMany = Array.from({ length: UPLOAD_BATCH.files + 1 }, (_, i) => ({ fileName: `n${i}.dcm`, bytes: new Uint8Array(400) }));
    expect(JSON.parse((await postUploadBatch(caseId, physician, tooMany)).data).results).toHaveLength(UPLOAD_BATCH.files);
    const single = await run(imaging.action, {
      request: new Request(`${BASE}/cases/${caseId}/imaging`, {
        method: "POST",
        body: new Uint8Array(slices[2]),
        headers: { cookie: physician, "x-csrf-token": await csrfFor(physician), "content-type": "application/dicom" },
      }),
      params: { caseId },
    });
    expect(single.status).toBe(415);
    expect(await getDb().imagingInstance.count({ where: { series: { study: { caseId } } } })).toBe(2);
  });

  it("audits the files stored before a batch's connection broke", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const ctx = await uploadContext(caseId, physician);
    const slice = deidentifyFile(new Uint8Array(readFileSync(path.join(CORPUS, CT[0]))), ctx);
    if (!slice.ok) throw new Error(slice.reason);
    const boundary = "broken-batch";
    const chunks = [
      new TextEncoder().encode(`--${boundary}\r\nContent-Type: application/dicom\r\n${partDisposition("a.dcm")}\r\n\r\n`),
      slice.bytes,
      new TextEncoder().encode(`\r\n--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
    ];
    // The chunks arrive one by one, then the connection breaks in the middle of the second file.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.error(new Error("connection reset"));
      },
    });
    const headers = {
      cookie: physician,
      "x-csrf-token": await csrfFor(physician),
      "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}`,
    };
    await expect(
      run(imaging.action, {
        request: new Request(`${BASE}/cases/${caseId}/imaging`, { method: "POST", body, headers, duplex: "half" } as RequestInit),
        params: { caseId },
      }),
    ).rejects.toThrow("connection reset");
    expect(await getDb().imagingInstance.count({ where: { series: { study: { caseId } } } })).toBe(1);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "imaging.upload", entityId: caseId } });
    expect(JSON.parse(audit.details)).toMatchObject({ stored: 1, interrupted: true });
  });

  it("refuses images past the case's quota, counting only what was stored, even when uploads race", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    process.env.IMAGING_QUOTA_MB = "1"; // room for one CT slice of about 0.5 MB, not two
    try {
      const raced = await Promise.all([upload(caseId, physician, [CT[0]]), upload(caseId, physician, [CT[1]]), upload(caseId, physician, [CT[2]])]);
      const results = raced.flatMap((r) => JSON.parse(r.data).results as { status: string; reasonKey?: string }[]);
      expect(results.filter((r) => r.status === "stored")).toHaveLength(1);
      expect(results.filter((r) => r.reasonKey === "imaging:rejections.quota")).toHaveLength(2);
    } finally {
      delete process.env.IMAGING_QUOTA_MB;
    }
    const stored = await getDb().imagingInstance.findMany({ where: { series: { study: { caseId } } } });
    expect(stored).toHaveLength(1);
    expect((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).imagingBytes).toBe(BigInt(stored[0].size));
  });

  it("flags series that may carry burned-in text", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    await upload(caseId, physician, ["multiframe/us-30f-jpeg-ybr.dcm"]);
    const series = await getDb().imagingSeries.findFirstOrThrow({ where: { study: { caseId } } });
    expect(series).toMatchObject({ modality: "US", burnedInRisk: true });
  });

  it("takes only files de-identified with this case's context: originals and other cases' files are refused, nothing stored", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const raw = JSON.parse((await uploadRaw(caseId, physician, [CT[0]])).data).results;
    expect(raw).toMatchObject([{ status: "rejected", reasonKey: "imaging:rejections.stillIdentifying" }]);
    const otherCase = await draft(physician);
    const other = await uploadContext(otherCase, physician);
    const foreign = JSON.parse((await upload(caseId, physician, [CT[1]], other)).data).results;
    expect(foreign).toMatchObject([{ status: "rejected", reasonKey: "imaging:rejections.otherContext" }]);
    expect(await getDb().imagingStudy.count({ where: { caseId } })).toBe(0);
    expect(await getDb().auditEvent.count({ where: { action: "imaging.uploadContext", entityId: otherCase } })).toBe(1);
  });

  it("gives the de-identification context only to those who may add imaging", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const answer = await run(imaging.loader, {
      request: new Request(`${BASE}/cases/${caseId}/imaging`, { headers: { cookie: physician } }),
      params: { caseId },
    });
    expect(answer.headers.get("cache-control")).toBe("no-store");
    for (const email of ["physician2@demo.test", "consultant@demo.test", "admin@demo.test"]) {
      const refused = await run(imaging.loader, {
        request: new Request(`${BASE}/cases/${caseId}/imaging`, { headers: { cookie: await signIn(email) } }),
        params: { caseId },
      });
      expect(refused.status, email).toBe(404);
    }
  });

  it("lets no one outside the case upload", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    for (const email of ["physician2@demo.test", "consultant@demo.test", "admin@demo.test"]) {
      expect((await uploadRaw(caseId, await signIn(email), [CT[0]])).status, email).toBe(404);
    }
    expect(await getDb().imagingStudy.count({ where: { caseId } })).toBe(0);
  });
});
