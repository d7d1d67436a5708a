/**
 * `npm run bench:upload [-- --slices 400 --runs 3]`: a CT series of about 200 MB (the corpus CT slices with fresh UIDs) is
 * uploaded in headless Chromium from a case page, alternating two ways, each into a new case:
 *  - before: the original files sent one request each to the server, which de-identifies them (STOW-RS, as uploads worked
 *    until de-identification moved into the browser);
 *  - now: the case page's upload worker de-identifies each file and only its output is sent, in batches, while the
 *    server checks it.
 * Prints each run and the medians in MB/s of original data; the last line is one JSON object.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";
import { CSRF_FIELD, CSRF_HEADER } from "~/features/identity/csrf";
import { benchCase, benchWorkspace, median, signedInPage, startOurServer } from "./bench-server";

const { values } = parseArgs({ options: { slices: { type: "string", default: "400" }, runs: { type: "string", default: "3" } } });
const sliceCount = Number(values.slices);
const runs = Number(values.runs);
const corpus = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const work = benchWorkspace("upload");

const { parsePart10, writePart10, tagOf, encodeString } = await import("~/features/imaging/dicom/part10");
type Element = import("~/features/imaging/dicom/part10").Element;
const { dictionaryVr } = await import("~/features/imaging/dicom/deid-profile");

/** The series as files on disk, as a user would pick them. */
function writeSeries(): { files: string[]; bytes: number } {
  const dir = path.join(work, "series");
  mkdirSync(dir, { recursive: true });
  const slices = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) =>
    parsePart10(readFileSync(path.join(corpus, "ct-series", f)), dictionaryVr),
  );
  const root = "1.2.826.0.1.3680043.10.1453.78";
  let bytes = 0;
  const files = Array.from({ length: sliceCount }, (_, i) => {
    const slice = slices[i % slices.length];
    const uid = `${root}.3.${i + 1}`;
    const replace = (tag: number, value: string, vr: string) => (e: Element) => (e.tag === tag ? { ...e, value: encodeString(value, vr) } : e);
    const dataset = slice.dataset
      .map(replace(tagOf(0x0020, 0x000d), `${root}.1`, "UI"))
      .map(replace(tagOf(0x0020, 0x000e), `${root}.2`, "UI"))
      .map(replace(tagOf(0x0008, 0x0018), uid, "UI"));
    const file = path.join(dir, `slice-${String(i + 1).padStart(4, "0")}.dcm`);
    const encoded = writePart10({ ...slice, dataset, meta: slice.meta.map(replace(tagOf(0x0002, 0x0003), uid, "UI")) });
    writeFileSync(file, encoded);
    bytes += encoded.length;
    return file;
  });
  return { files, bytes };
}

async function before(page: Page, base: string, caseId: string, files: string[]): Promise<number> {
  await page.goto(`${base}/cases/${caseId}`);
  await page.evaluate(() => {
    const input = document.createElement("input");
    input.type = "file";
    input.multiple = true;
    input.id = "bench-originals";
    document.body.append(input);
  });
  const started = Date.now();
  await page.locator("#bench-originals").setInputFiles(files);
  const csrf = await page.locator(`input[name="${CSRF_FIELD}"]`).first().inputValue();
  const stored = await page.evaluate(
    async ({ url, csrf, csrfHeader }) => {
      const input = document.getElementById("bench-originals") as HTMLInputElement;
      let ok = 0;
      for (const file of Array.from(input.files ?? [])) {
        const boundary = "bench-before";
        const body = new Blob([`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, file, `\r\n--${boundary}--\r\n`]);
        const response = await fetch(url, {
          method: "POST",
          body,
          headers: { "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}`, [csrfHeader]: csrf },
        });
        if (response.status === 200) ok++;
      }
      return ok;
    },
    { url: `${base}/dicomweb/cases/${caseId}/studies`, csrf, csrfHeader: CSRF_HEADER },
  );
  if (stored !== files.length) throw new Error(`before: ${stored} of ${files.length} stored`);
  return Date.now() - started;
}

async function now(page: Page, base: string, caseId: string, files: string[]): Promise<number> {
  await page.goto(`${base}/cases/${caseId}`);
  const started = Date.now();
  await page.getByLabel("DICOM files or ZIP archives", { exact: true }).setInputFiles(files);
  await page
    .getByRole("status")
    .filter({ hasText: `Stored ${files.length}, already present 0, refused 0, failed 0` })
    .waitFor({ timeout: 600_000 });
  return Date.now() - started;
}

const { files, bytes } = writeSeries();
const mb = bytes / 1024 / 1024;
const { base, process: server } = await startOurServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const { page } = await signedInPage(browser, base);

  const times: { before: number[]; now: number[] } = { before: [], now: [] };
  for (let run = 1; run <= runs; run++) {
    for (const way of ["before", "now"] as const) {
      const { caseId } = await benchCase();
      const ms = await (way === "before" ? before : now)(page, base, caseId, files);
      times[way].push(ms);
      console.log(`run ${run} ${way}: ${(ms / 1000).toFixed(1)} s, ${(mb / (ms / 1000)).toFixed(1)} MB/s`);
    }
  }
  const result = {
    files: files.length,
    megabytes: Number(mb.toFixed(1)),
    beforeMedianSeconds: median(times.before) / 1000,
    nowMedianSeconds: median(times.now) / 1000,
    beforeMBps: Number((mb / (median(times.before) / 1000)).toFixed(1)),
    nowMBps: Number((mb / (median(times.now) / 1000)).toFixed(1)),
  };
  console.log(
    `${files.length} files, ${result.megabytes} MB: before (server de-identifies) ${result.beforeMBps} MB/s, now (browser de-identifies) ${result.nowMBps} MB/s (medians of ${runs})`,
  );
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
  server.kill();
  rmSync(work, { recursive: true, force: true });
}
process.exit();
