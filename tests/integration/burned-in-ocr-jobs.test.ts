/**
 * The background OCR of flagged images as a job: work interrupted by a
 * shutdown is found again at the next start, a tesseract that hangs is killed
 * after OCR_TIMEOUT_SECONDS, and a tesseract that cannot run leaves the series
 * flagged with a reason until OCR is run again.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { resumeBurnedInOcr, stopBurnedInOcr } from "~/features/imaging/burned-in/burned-in-ocr.server";
import { getDb } from "~/platform/db.server";
import * as reviewRoute from "~/routes/cases.$caseId.burned-in.$seriesId";
import * as newCase from "~/routes/cases.new";
import { FIRST_ENTRY, packetForm } from "../support/case-packet";
import { uploadAsBrowser } from "../support/browser-upload";
import { get, post, run, signIn } from "../support/remix";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
/** A 100x100 RGB secondary capture: flagged for burned-in text, and quick to read. */
const SECONDARY_CAPTURE = "syntax/sc-rgb-jpeg-baseline.dcm";

async function caseWithFlaggedImage() {
  const physician = await signIn("physician@demo.test");
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, physician) });
  const caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
  await uploadAsBrowser(caseId, physician, new Uint8Array(readFileSync(path.join(CORPUS, SECONDARY_CAPTURE))), "sc.dcm");
  const instance = await getDb().imagingInstance.findFirstOrThrow({ where: { series: { study: { caseId } } }, select: { id: true, seriesId: true } });
  return { physician, caseId, ...instance };
}

const statusOf = async (id: string) => (await getDb().imagingInstance.findUniqueOrThrow({ where: { id } })).ocrStatus;
const settled = (id: string) =>
  vi.waitFor(
    async () => {
      const status = await statusOf(id);
      if (status === "PENDING") throw new Error("OCR still reading");
      return status;
    },
    { timeout: 60_000, interval: 100 },
  );

describe("background OCR of flagged images", () => {
  it("finds work a shutdown interrupted again at the next start", async () => {
    const { id } = await caseWithFlaggedImage();
    stopBurnedInOcr(); // as on shutdown, right after the upload
    expect(await statusOf(id)).toBe("PENDING");
    expect(await resumeBurnedInOcr(getDb())).toBeGreaterThanOrEqual(1);
    expect(await settled(id)).toBe("DONE");
  });

  it("leaves the series flagged with a reason when tesseract cannot run, and reads it when run again", async () => {
    vi.stubEnv("PATH", "/nonexistent");
    const { physician, caseId, id, seriesId } = await caseWithFlaggedImage();
    expect(await settled(id)).toBe("FAILED");
    vi.unstubAllEnvs();
    expect((await getDb().imagingInstance.findUniqueOrThrow({ where: { id } })).ocrErrorKey).toBe("imaging:burnedIn.errors.unavailable");

    const edit = await import("~/routes/cases.$caseId.edit");
    const version = String((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).version);
    await run(edit.action, { request: post(`/cases/${caseId}/edit`, { ...packetForm(), intent: "submit", version }, physician), params: { caseId } });
    const coordinator = await signIn("coordinator@demo.test");
    const params = { caseId, seriesId };
    const review = await run(reviewRoute.loader, { request: get(`/cases/${caseId}/burned-in/${seriesId}`, coordinator), params });
    expect(review.data).toMatchObject({ failed: 1, instances: [{ ocrStatus: "FAILED", ocrErrorKey: "imaging:burnedIn.errors.unavailable" }] });
    const act = (intent: string) => run(reviewRoute.action, { request: post(`/cases/${caseId}/burned-in/${seriesId}`, { intent }, coordinator), params });
    expect((await act("clearBurnedIn")).data).toMatchObject({ error: "imaging:burnedIn.failedCannotClear" });
    expect((await getDb().imagingSeries.findUniqueOrThrow({ where: { id: seriesId } })).burnedInClearedAt).toBeNull();

    expect((await act("retryOcr")).status).toBe(302);
    expect(await settled(id)).toBe("DONE");
    expect((await act("clearBurnedIn")).status).toBe(302);
    expect((await getDb().imagingSeries.findUniqueOrThrow({ where: { id: seriesId } })).burnedInClearedAt).not.toBeNull();
  });

  it("kills a tesseract run that takes longer than OCR_TIMEOUT_SECONDS and marks the image failed", async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), "hanging-tesseract-"));
    const pidFile = path.join(bin, "pid");
    writeFileSync(path.join(bin, "tesseract"), `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 120\n`);
    chmodSync(path.join(bin, "tesseract"), 0o755);
    vi.stubEnv("PATH", `${bin}:${process.env.PATH}`);
    vi.stubEnv("OCR_TIMEOUT_SECONDS", "1");
    const { id } = await caseWithFlaggedImage();
    expect(await settled(id)).toBe("FAILED");
    expect((await getDb().imagingInstance.findUniqueOrThrow({ where: { id } })).ocrErrorKey).toBe("imaging:burnedIn.errors.timeout");
    expect(existsSync(pidFile)).toBe(true);
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});
