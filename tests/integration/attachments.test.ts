import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as download from "~/routes/cases.$caseId.attachments.$attachmentId";
import * as upload from "~/routes/cases.$caseId.attachments";
import * as editRoute from "~/routes/cases.$caseId.edit";
import * as newCase from "~/routes/cases.new";
import { getDb } from "~/platform/db.server";
import { objectPath, storageRoot } from "~/platform/storage.server";
import { FIRST_ENTRY, packetForm } from "../support/case-packet";
import { makeGenomicFiles } from "../support/genomic-files";
import { BASE, csrfFor, get, post, run, signIn } from "../support/remix";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

async function draft(cookie: string) {
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, cookie) });
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
}

async function uploadRequest(caseId: string, cookie: string, bytes: Buffer, fileName: string, kind = "PATHOLOGY_REPORT") {
  const body = new FormData();
  body.set("csrf", await csrfFor(cookie));
  body.set("kind", kind);
  body.set("file", new Blob([new Uint8Array(bytes)]), fileName);
  return new Request(`${BASE}/cases/${caseId}/attachments`, { method: "POST", body, headers: { cookie } });
}

const tempFiles = () => readdirSync(path.join(storageRoot(), "tmp"), { withFileTypes: true }).length;

describe("attachments", () => {
  it("stores a PDF by content hash and streams it only to people who may see the case", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const result = await run(upload.action, { request: await uploadRequest(caseId, physician, PDF, "病理报告.pdf"), params: { caseId } });
    expect(result.status).toBe(201);
    const { attachment } = JSON.parse(result.data);
    const row = await getDb().attachment.findUniqueOrThrow({ where: { id: attachment.id } });
    expect(row).toMatchObject({ fileName: "病理报告.pdf", mimeType: "application/pdf", kind: "PATHOLOGY_REPORT", size: PDF.length });
    expect(readFileSync(objectPath(row.sha256))).toEqual(PDF);
    expect(tempFiles()).toBe(0);

    const params = { caseId, attachmentId: row.id };
    const mine = await download.loader({
      request: get(`/cases/${caseId}/attachments/${row.id}`, physician),
      params,
      context: { requestId: "t", clientIp: null, cspNonce: "" },
    });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-disposition")).toContain(encodeURIComponent("病理报告.pdf"));
    expect(Buffer.from(await mine.arrayBuffer())).toEqual(PDF);

    for (const email of ["physician2@demo.test", "consultant2@demo.test", "admin@demo.test"]) {
      const denied = await run(download.loader, { request: get(`/cases/${caseId}/attachments/${row.id}`, await signIn(email)), params });
      expect(denied.status, email).toBe(404);
    }
    const audited = await getDb().auditEvent.findMany({ where: { entityId: caseId, action: { in: ["attachment.upload", "attachment.download"] } } });
    expect(audited.map((e) => e.action).sort()).toEqual(["attachment.download", "attachment.upload"]);
  });

  it("refuses a file that is not PDF, JPEG or PNG by content, whatever its name, and keeps nothing", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const result = await run(upload.action, {
      request: await uploadRequest(caseId, physician, Buffer.from("MZ\x90\x00 not really a pdf"), "report.pdf"),
      params: { caseId },
    });
    expect(result.status).toBe(415);
    expect(JSON.parse(result.data).error).toBe("cases:attachments.errors.type");
    expect(await getDb().attachment.count({ where: { caseId } })).toBe(0);
    expect(tempFiles()).toBe(0);
  });

  it("refuses raw genomic data by content whatever its name, says why in the reader's language, keeps nothing and audits the refusal", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const files = makeGenomicFiles();
    for (const file of files) {
      const result = await run(upload.action, {
        request: await uploadRequest(caseId, physician, file.bytes, "NGS-report.pdf", "LAB_RESULT"),
        params: { caseId },
      });
      expect(result.status, file.name).toBe(422);
      expect(JSON.parse(result.data).error, file.name).toBe("cases:errors.rawGenomicData");
    }
    expect(await getDb().attachment.count({ where: { caseId } })).toBe(0);
    expect(tempFiles()).toBe(0);
    const refusals = await getDb().auditEvent.findMany({ where: { entityId: caseId, action: "attachment.upload" }, orderBy: { id: "asc" } });
    expect(refusals.map((e) => [e.outcome, JSON.parse(e.details).format])).toEqual(files.map((f) => ["denied", f.format]));
    const report = await run(upload.action, { request: await uploadRequest(caseId, physician, PDF, "NGS-report.pdf", "LAB_RESULT"), params: { caseId } });
    expect(report.status).toBe(201);
  });

  it("refuses a file whose name carries a phone number, identity number or email, and keeps nothing", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    for (const name of ["张三 13812345678 病理报告.pdf", "report 11010519491231002X.pdf", "zhang.san@example.cn.pdf"]) {
      const result = await run(upload.action, { request: await uploadRequest(caseId, physician, PDF, name), params: { caseId } });
      expect(result.status, name).toBe(422);
      expect(JSON.parse(result.data).error, name).toBe("cases:errors.identifierInFileName");
    }
    expect(await getDb().attachment.count({ where: { caseId } })).toBe(0);
    expect(tempFiles()).toBe(0);
  });

  it("refuses a file over the size limit and keeps nothing", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    process.env.ATTACHMENT_MAX_MB = "0.01";
    try {
      const big = Buffer.concat([PDF, Buffer.alloc(64 * 1024, 0x20)]);
      const result = await run(upload.action, { request: await uploadRequest(caseId, physician, big, "big.pdf"), params: { caseId } });
      expect(result.status).toBe(413);
    } finally {
      delete process.env.ATTACHMENT_MAX_MB;
    }
    expect(await getDb().attachment.count({ where: { caseId } })).toBe(0);
    expect(tempFiles()).toBe(0);
  });

  it("leaves nothing behind when the upload is cut off half-way", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const boundary = "----cutoff";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nOTHER\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(head));
        controller.enqueue(PDF);
        controller.error(new Error("client went away"));
      },
    });
    const request = new Request(`${BASE}/cases/${caseId}/attachments`, {
      method: "POST",
      body,
      headers: { cookie: physician, "x-csrf-token": await csrfFor(physician), "content-type": `multipart/form-data; boundary=${boundary}` },
      duplex: "half",
    } as RequestInit);
    await expect(upload.action({ request, params: { caseId }, context: { requestId: "t", clientIp: null, cspNonce: "" } })).rejects.toThrow();
    expect(await getDb().attachment.count({ where: { caseId } })).toBe(0);
    expect(tempFiles()).toBe(0);
  });

  it("accepts uploads only from the treating side while the packet is theirs to change", async () => {
    const physician = await signIn("physician@demo.test");
    const coordinator = await signIn("coordinator@demo.test");
    const caseId = await draft(physician);
    const version = String((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).version);
    expect(
      (await run(editRoute.action, { request: post(`/cases/${caseId}/edit`, { ...packetForm(), intent: "submit", version }, physician), params: { caseId } }))
        .status,
    ).toBe(302);
    expect((await run(upload.action, { request: await uploadRequest(caseId, physician, PDF, "late.pdf"), params: { caseId } })).status).toBe(404);
    expect((await run(upload.action, { request: await uploadRequest(caseId, coordinator, PDF, "c.pdf"), params: { caseId } })).status).toBe(404);
  });
});
