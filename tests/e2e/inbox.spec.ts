import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { E2E_DICOM_PORT } from "../playwright.config";
import { expect, signIn, TEXT, test, startCase } from "./fixtures";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const CT = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) => path.join(CORPUS, "ct-series", f));
const en = TEXT.en;
const zh = TEXT["zh-CN"];

test("a study the hospital PACS sends without a matching case waits in the inbox until the physician attaches it to a case", async ({ page, browser }) => {
  await signIn(page, "admin@demo.test", "en");
  await page.getByRole("link", { name: en.common.nav.institutions }).click();
  await page
    .getByRole("link", {
      name: en.admin.institutions.editNamed.replace("{{name}}", "Hangzhou West Lake Hospital (demo)"),
    })
    .click();
  await page.getByLabel(en.admin.institutions.aeTitles).fill("HZ_E2E_PACS");
  await page.getByRole("button", { name: en.admin.save }).click();
  await expect(page).toHaveURL("/admin/institutions");

  await promisify(execFile)("storescu", ["-aet", "HZ_E2E_PACS", "-aec", "TUMORBOARD", "127.0.0.1", String(E2E_DICOM_PORT), ...CT]);

  const physicianContext = await browser.newContext();
  const physician = await physicianContext.newPage();
  await signIn(physician, "physician2@demo.test", "zh-CN");
  await startCase(physician, "zh-CN");
  const caseUrl = physician.url().replace(/\/edit$/, "");
  const heading = physician.getByRole("heading", { level: 1 });
  await expect(heading).toContainText(/TB-\d{4}-\d+/);
  const caseCode = (await heading.textContent())!.match(/TB-\d{4}-\d+/)![0];

  await physician.getByRole("link", { name: zh.common.nav.inbox }).click();
  await expect(physician.getByRole("heading", { level: 1, name: zh.imaging.inbox.title })).toBeVisible();
  const row = physician.getByRole("row").filter({ hasText: "HZ_E2E_PACS" });
  await expect(row).toContainText(zh.imaging.inbox.counts_other.replace("{{series}}", "1").replace("{{count}}", "3"));

  await row.getByRole("button", { name: new RegExp(zh.imaging.inbox.attach) }).click();
  await expect(row.getByRole("alert")).toHaveText(zh.imaging.inbox.chooseCase);

  await row.getByLabel(zh.imaging.inbox.caseLabel, { exact: true }).selectOption({ label: `${caseCode} · ${zh.cases.status.DRAFT}` });
  await row.getByRole("button", { name: new RegExp(zh.imaging.inbox.attach) }).click();
  const done = physician.getByRole("status").filter({
    hasText: zh.imaging.inbox.attached.replace("{{stored}}", "3").replace("{{duplicate}}", "0").replace("{{rejected}}", "0"),
  });
  await expect(done).toBeVisible();
  await expect(physician.getByText(zh.imaging.inbox.empty)).toBeVisible();

  await done.getByRole("link", { name: zh.imaging.inbox.openCase }).click();
  await expect(physician).toHaveURL(caseUrl);
  await expect(physician.getByText(/CT .*3 幅图像/)).toBeVisible();
  await physicianContext.close();
});
