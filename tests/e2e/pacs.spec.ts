/**
 * The PACS query/retrieve page in a browser, against a real Orthanc playing the hospital PACS: the administrator records the
 * PACS on the institution form, the treating physician follows the case page's link, searches by patient ID, expands the study
 * to its series, pulls it and watches the progress until it is done, and the case's imaging then lists the series. Wrong
 * searches show their errors in the page, every control has a label, and the page works in Chinese.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Page } from "@playwright/test";
import { PACS_AE, startOrthanc, type Orthanc } from "../support/orthanc";
import { expect, signIn, TEXT, test, startCase } from "./fixtures";

const exec = promisify(execFile);
const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const TINY = ["CT5N-2062.dcm", "CT5N-2392.dcm", "CT5N-2693.dcm", "CT5N-3023.dcm", "CT5N-3353.dcm"].map((f) => path.join(CORPUS, "ct-series-tiny", f));
/** Orthanc's ports: away from the other suites' (integration tests use 4300-4399 and 8300-8399). */
const ORTHANC_PORTS = { dicom: [4500, 4599], http: [8500, 8599] } satisfies Parameters<typeof startOrthanc>[0];

/** One study on the PACS, made from the tiny CT corpus series: its own patient, study and two series, fresh instance UIDs. */
const STUDY = {
  patientId: "E2EPACS01",
  patientName: "PACS^E2E",
  accession: "E2EACC01",
  date: "2024-03-01",
  description: "CT CHEST E2E PACS",
  uid: "1.2.826.0.1.3680043.8.498.7101",
  series: [
    { uid: "1.2.826.0.1.3680043.8.498.7101.1", number: 1, description: "Chest axial", count: 3 },
    { uid: "1.2.826.0.1.3680043.8.498.7101.2", number: 2, description: "Chest coronal", count: 2 },
  ],
};
const INSTANCES = STUDY.series.reduce((n, s) => n + s.count, 0);

const en = TEXT.en;
const zh = TEXT["zh-CN"];
type Imaging = typeof en.imaging;

/** An i18n template with its {{values}} filled in. */
function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? `{{${key}}}`));
}

let orthanc: Orthanc;
let work: string;

async function makeStudy(): Promise<string[]> {
  const files: string[] = [];
  let i = 0;
  for (const series of STUDY.series) {
    for (let n = 0; n < series.count; n++, i++) {
      const file = path.join(work, `pacs-${i}.dcm`);
      await copyFile(TINY[i % TINY.length], file);
      await exec("dcmodify", [
        "-nb",
        "-gin",
        ...["-m", `(0010,0010)=${STUDY.patientName}`],
        ...["-m", `(0010,0020)=${STUDY.patientId}`],
        ...["-m", `(0008,0050)=${STUDY.accession}`],
        ...["-m", `(0008,0020)=${STUDY.date.replaceAll("-", "")}`],
        ...["-m", `(0008,1030)=${STUDY.description}`],
        ...["-m", `(0020,000d)=${STUDY.uid}`],
        ...["-m", `(0020,000e)=${series.uid}`],
        ...["-m", `(0020,0011)=${series.number}`],
        ...["-m", `(0008,103e)=${series.description}`],
        ...["-m", `(0020,0013)=${n + 1}`],
        file,
      ]);
      files.push(file);
    }
  }
  return files;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "pacs-e2e-"));
  orthanc = await startOrthanc(ORTHANC_PORTS);
  await orthanc.upload(await makeStudy());
});

test.afterAll(async () => {
  await orthanc?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Every input, select and textarea in the page has an accessible name, and so has every button. */
async function expectLabelled(page: Page) {
  const unnamed = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>("main input:not([type=hidden]), main select, main textarea, main button")) {
      const labelled =
        (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) && el.labels && el.labels.length > 0;
      const named = el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || (el.tagName === "BUTTON" && el.textContent?.trim());
      if (!labelled && !named) out.push(el.outerHTML.slice(0, 160));
    }
    return out;
  });
  expect(unnamed).toEqual([]);
}

/** The PACS page's search form, found by its labels. */
function searchForm(page: Page, text: Imaging) {
  const form = page.getByRole("form", { name: text.pacs.searchTitle });
  return {
    form,
    patientId: form.getByLabel(text.pacs.patientId, { exact: true }),
    accessionNumber: form.getByLabel(text.pacs.accessionNumber, { exact: true }),
    dateFrom: form.getByLabel(text.pacs.dateFrom, { exact: true }),
    dateTo: form.getByLabel(text.pacs.dateTo, { exact: true }),
    submit: form.getByRole("button", { name: text.pacs.search }),
  };
}

let caseUrl: string;

/** Signs in and waits until the sign-in has landed, so the next navigation does not cut it short. */
async function signedIn(page: Page, email: string) {
  await signIn(page, email, "en");
  await expect(page).not.toHaveURL(/\/login/);
}

test("an administrator records the hospital PACS on the physician's institution", async ({ page }) => {
  await signIn(page, "admin@demo.test", "en");
  await page.getByRole("navigation", { name: en.common.nav.label }).getByRole("link", { name: en.common.nav.institutions }).click();
  await page.getByRole("link", { name: fill(en.admin.institutions.editNamed, { name: "Wuhan Riverside Cancer Hospital (demo)" }) }).click();
  const pacs = page.getByRole("group", { name: en.admin.pacs.legend });
  await pacs.getByLabel(en.admin.pacs.host, { exact: true }).fill("127.0.0.1");
  await pacs.getByLabel(en.admin.pacs.port, { exact: true }).fill(String(orthanc.dicomPort));
  await pacs.getByLabel(en.admin.pacs.aeTitle, { exact: true }).fill(PACS_AE);
  // Our calling AE title left empty: the default, TUMORBOARD, which the PACS knows.
  await expect(pacs.getByLabel(en.admin.pacs.callingAeTitle, { exact: true })).toHaveValue("");
  await page.getByRole("button", { name: en.admin.save }).click();
  await expect(page).toHaveURL("/admin/institutions");
});

test("the treating physician searches the PACS from the case, expands the study, pulls it and sees its series in the case", async ({ page }) => {
  test.setTimeout(240_000);
  const text = en.imaging;
  await signIn(page, "physician@demo.test", "en");
  await startCase(page, "en");
  caseUrl = page.url().replace(/\/edit$/, "");
  await page.goto(caseUrl);
  const code = ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").match(/TB-\d{4}-\d+/)?.[0];
  expect(code).toBeTruthy();

  await page.getByRole("link", { name: text.pacs.link }).click();
  await expect(page).toHaveURL(`${caseUrl}/pacs`);
  await expect(page.getByRole("heading", { level: 1, name: fill(text.pacs.title, { code: code! }) })).toBeVisible();
  await expect(page.getByText(fill(text.pacs.target, { ae: PACS_AE, host: "127.0.0.1", port: orthanc.dicomPort }))).toBeVisible();
  await expect(page.getByText(text.pacs.noPulls)).toBeVisible();
  await expectLabelled(page);
  // From here on the page's loader runs again only for the progress polls (`?poll=1`): searching, listing series and pulling
  // do not reload the page (which would audit another page view each time).
  const reloads: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    // Single fetch names the routes it reloads in `_routes`, and leaves it out when it reloads them all.
    const routes = url.searchParams.get("_routes");
    if (
      request.method() === "GET" &&
      url.pathname.endsWith("/pacs.data") &&
      url.searchParams.get("poll") !== "1" &&
      (routes ?? "routes/cases.$caseId.pacs").includes("routes/cases.$caseId.pacs")
    )
      reloads.push(`${url.pathname}${url.search}`);
  });

  // Search by patient ID: the study with its date, description, modalities and counts.
  const search = searchForm(page, text);
  await search.patientId.fill(STUDY.patientId);
  await search.submit.click();
  const results = page.getByRole("form", { name: fill(text.pacs.results, { count: 1 }) });
  await expect(results).toBeVisible({ timeout: 30_000 });
  const studyRow = results.getByRole("row").filter({ hasText: STUDY.description });
  await expect(studyRow).toContainText(STUDY.date);
  await expect(studyRow).toContainText(STUDY.patientId);
  await expect(studyRow).toContainText(STUDY.accession);
  await expect(studyRow).toContainText("CT");
  await expect(studyRow).toContainText(fill(text.pacs.countsValue, { series: STUDY.series.length, instances: INSTANCES }));
  await expect(page.getByRole("columnheader", { name: text.pacs.studyDate })).toBeVisible();

  // Pulling nothing says so.
  await results.getByRole("button", { name: text.pacs.pull }).click();
  await expect(results.getByRole("alert")).toHaveText(text.pacs.errors.nothingChosen);

  // Expand the study: its series, each choosable by its label.
  const expand = studyRow.getByRole("button", { name: text.pacs.showSeries });
  await expect(expand).toHaveAttribute("aria-expanded", "false");
  await expand.click();
  await expect(studyRow.getByRole("button", { name: text.pacs.hideSeries })).toHaveAttribute("aria-expanded", "true");
  for (const s of STUDY.series) {
    await expect(
      results.getByLabel(fill(text.pacs.seriesLine_other, { number: s.number, modality: "CT", description: s.description, count: s.count }), { exact: true }),
    ).toBeVisible({ timeout: 30_000 });
  }
  await expectLabelled(page);

  // Pull the whole study and watch the progress until it is done.
  await results.getByLabel(fill(text.pacs.chooseStudy, { date: STUDY.date, description: STUDY.description }), { exact: true }).check();
  await results.getByRole("button", { name: text.pacs.pull }).click();
  const pulls = page.getByRole("region", { name: text.pacs.pullsTitle });
  const pull = pulls.getByRole("listitem").first();
  await expect(pull).toBeVisible({ timeout: 30_000 });
  const progress = pull.getByRole("progressbar", { name: text.pacs.progress });
  await expect(progress).toHaveAttribute("max", String(INSTANCES), { timeout: 60_000 });
  await expect(pull).toContainText(text.pacs.status.DONE, { timeout: 120_000 });
  await expect(progress).toHaveAttribute("value", String(INSTANCES));
  await expect(pull).toContainText(fill(text.pacs.pullSummary, { studies: 1, expected: INSTANCES, stored: INSTANCES, skipped: 0, rejected: 0, failed: 0 }));
  await expect(pull.getByRole("alert")).toHaveCount(0);

  // The results are searched again when the pull ends: the study is now marked as in the case.
  await expect(results.getByRole("row").filter({ hasText: STUDY.description })).toContainText(text.pacs.inCase, { timeout: 30_000 });
  expect(reloads).toEqual([]);

  // The case's imaging lists both series, de-identified.
  await page.getByRole("link", { name: fill(text.pacs.back, { code: code! }) }).click();
  await expect(page).toHaveURL(caseUrl);
  for (const s of STUDY.series) {
    const line = new RegExp(
      fill(text.studies.series, { number: s.number, modality: "CT", description: "(.*)", count: s.count }).replace(/[—]/g, "\\s*—\\s*").replace(/\s+/g, "\\s+"),
    );
    await expect(page.getByText(line)).toBeVisible();
  }
  await expect(page.getByText(STUDY.patientId)).toHaveCount(0);
  await expect(page.getByText(STUDY.accession)).toHaveCount(0);
});

test("wrong searches show a clear error in the page, tied to the field", async ({ page }) => {
  const text = en.imaging;
  await signedIn(page, "physician@demo.test");
  await page.goto(`${caseUrl}/pacs`);
  const search = searchForm(page, text);

  // No criteria at all.
  await search.submit.click();
  await expect(search.form.getByText(text.pacs.errors.criterionRequired)).toBeVisible();
  await expect(search.patientId).toHaveAttribute("aria-invalid", "true");
  await expect(search.patientId).toHaveAccessibleDescription(text.pacs.errors.criterionRequired);
  await expect(page.getByRole("form", { name: fill(text.pacs.results, { count: 0 }) })).toHaveCount(0);

  // A wildcard is refused: exact values only.
  await search.patientId.fill("E2E*");
  await search.submit.click();
  await expect(search.form.getByText(text.pacs.errors.patientIdInvalid)).toBeVisible();

  // Dates the wrong way round.
  await search.patientId.fill("");
  await search.dateFrom.fill("2024-03-02");
  await search.dateTo.fill("2024-03-01");
  await search.submit.click();
  await expect(search.form.getByText(text.pacs.errors.dateOrder)).toBeVisible();
  await expect(search.dateTo).toHaveAccessibleDescription(text.pacs.errors.dateOrder);

  // A PACS that is down: said in the page, in words.
  await search.dateFrom.fill("");
  await search.dateTo.fill("");
  await search.patientId.fill(STUDY.patientId);
  await orthanc.kill();
  try {
    await search.submit.click();
    await expect(search.form.getByRole("alert")).toHaveText(text.pacs.errors.unreachable, { timeout: 30_000 });
  } finally {
    await orthanc.start();
  }

  // Corrected, the date range finds the study; a patient the PACS does not know finds nothing.
  await search.patientId.fill("");
  await search.dateFrom.fill("2024-03-01");
  await search.dateTo.fill("2024-03-01");
  await search.submit.click();
  await expect(page.getByRole("form", { name: fill(text.pacs.results, { count: 1 }) })).toContainText(STUDY.description, { timeout: 30_000 });
  await expect(search.form.getByText(text.pacs.errors.dateOrder)).toHaveCount(0);
  await search.dateFrom.fill("");
  await search.dateTo.fill("");
  await search.patientId.fill("NOBODY");
  await search.submit.click();
  await expect(page.getByRole("form", { name: fill(text.pacs.results, { count: 0 }) })).toBeVisible({ timeout: 30_000 });
  await expectLabelled(page);
});

test("the page works in Chinese", async ({ page }) => {
  await signedIn(page, "physician@demo.test");
  await page.goto(`${caseUrl}/pacs`);
  await expect(page.getByRole("heading", { level: 1, name: /^Hospital PACS/ })).toBeVisible();
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  const text = zh.imaging;
  await expect(page).toHaveURL(`${caseUrl}/pacs`);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^${text.pacs.title.replace("{{code}}", "")}`) })).toBeVisible();
  await expect(page.getByText(text.pacs.privacy)).toBeVisible();
  const search = searchForm(page, text);
  await expect(search.patientId).toBeVisible();
  await expect(search.accessionNumber).toBeVisible();

  await search.submit.click();
  await expect(search.form.getByText(text.pacs.errors.criterionRequired)).toBeVisible();

  await search.accessionNumber.fill(STUDY.accession);
  await search.submit.click();
  const results = page.getByRole("form", { name: fill(text.pacs.results, { count: 1 }) });
  const studyRow = results.getByRole("row").filter({ hasText: STUDY.description });
  await expect(studyRow).toContainText(text.pacs.inCase, { timeout: 30_000 });
  await studyRow.getByRole("button", { name: text.pacs.showSeries }).click();
  await expect(
    results.getByLabel(fill(text.pacs.seriesLine_other, { number: 1, modality: "CT", description: "Chest axial", count: 3 }), { exact: true }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(results.getByRole("button", { name: text.pacs.pull })).toBeVisible();

  const pulls = page.getByRole("region", { name: text.pacs.pullsTitle });
  await expect(pulls.getByRole("listitem").first()).toContainText(text.pacs.status.DONE);
  await expect(pulls.getByRole("progressbar", { name: text.pacs.progress })).toBeVisible();
  await expectLabelled(page);
});
