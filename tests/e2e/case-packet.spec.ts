import type { Browser, Page } from "@playwright/test";
import { expect, signIn, TEXT, test } from "./fixtures";

const zh = TEXT["zh-CN"].cases;
const en = TEXT.en.cases;
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

async function as(browser: Browser, email: string, lng: "en" | "zh-CN"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, lng);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

test("a case goes from a Chinese packet to a consultant reading it with its translation, and no one else can open it", async ({ page, browser }) => {
  test.setTimeout(120_000);

  // The physician in Wuhan builds the packet in Chinese.
  await signIn(page, "physician@demo.test", "zh-CN");
  await page.getByRole("link", { name: zh.list.new }).click();
  await page.getByLabel(zh.form.age, { exact: true }).fill("61");
  await expect(page).toHaveURL(/\/cases\/[^/]+\/edit$/);
  const caseUrl = page.url().replace(/\/edit$/, "");
  const caseId = caseUrl.split("/").pop()!;
  await page.getByLabel(zh.form.sex, { exact: true }).selectOption("MALE");
  await page.getByLabel(zh.form.cancerType, { exact: true }).selectOption("SOLID");
  await page.getByLabel(zh.form.icd10, { exact: true }).fill("C34.1");
  // The site and the histology are picked from the ICD-O-3 lists; the side stays as written beside the code.
  await page.getByLabel(zh.form.primarySiteCode, { exact: true }).fill("C34.1");
  await expect(page.getByText(zh.form.chosen.replace("{{title}}", "C34.1 肺上叶"))).toBeVisible();
  await page.getByLabel(zh.form.primarySite, { exact: true }).fill("右肺上叶");
  await page.getByLabel(zh.form.icdO3, { exact: true }).fill("8140/3");
  await expect(page.getByText(zh.form.chosen.replace("{{title}}", "8140/3 腺癌，非特指"))).toBeVisible();
  await page.getByLabel(zh.form.histology, { exact: true }).fill("腺癌");
  await page.getByLabel(zh.form.diagnosisDate, { exact: true }).fill("2026-03-02");
  await page.getByLabel(zh.form.tnmT, { exact: true }).selectOption("T2a");
  await page.getByLabel(zh.form.tnmN, { exact: true }).selectOption("N2");
  await page.getByLabel(zh.form.tnmM, { exact: true }).selectOption("M1c");
  await page.getByLabel(zh.form.stageGroup, { exact: true }).selectOption("IVB");
  await page.getByLabel(zh.form.ecog, { exact: true }).selectOption("1");
  await page.getByRole("textbox", { name: zh.form.clinicalHistory, exact: true }).fill("2026年3月因咳嗽就诊，CT示右肺上叶占位，穿刺病理为腺癌。");

  await page.getByRole("button", { name: zh.form.addBiomarker }).click();
  const biomarker = page.getByRole("group", { name: zh.form.biomarkerN.replace("{{n}}", "1") });
  await biomarker.getByLabel(zh.form.gene, { exact: true }).selectOption("MET");
  await biomarker.getByLabel(zh.form.alterationType, { exact: true }).selectOption("EXON14_SKIPPING");
  await biomarker.getByLabel(zh.form.method, { exact: true }).selectOption("NGS");
  await biomarker.getByLabel(zh.form.resultCode, { exact: true }).selectOption("POSITIVE");
  await biomarker.getByLabel(zh.form.vaf, { exact: true }).fill("18.5");

  await page.getByRole("button", { name: zh.form.addLine }).click();
  const line = page.getByRole("group", { name: zh.form.lineN.replace("{{n}}", "1") });
  await line.getByLabel(zh.form.drugN.replace("{{n}}", "1"), { exact: true }).fill("奥希替尼");
  await line.getByLabel(zh.form.regimen, { exact: true }).fill("80 mg 每日一次");
  await line.getByLabel(zh.form.startDate, { exact: true }).fill("2026-04-01");
  await line.getByLabel(zh.form.bestResponse, { exact: true }).selectOption("PR");

  await page.getByLabel(zh.form.questionN.replace("{{n}}", "1"), { exact: true }).fill("下一步是否推荐赛沃替尼？");
  await page.getByLabel(TEXT["zh-CN"].common.specialties.THORACIC_ONCOLOGY, { exact: true }).check();
  await page.getByLabel(TEXT["zh-CN"].common.specialties.MEDICAL_ONCOLOGY, { exact: true }).check();

  await page.getByLabel(zh.form.consentDate, { exact: true }).fill("2026-10-01");
  await page.getByLabel(zh.form.consentForm, { exact: true }).selectOption("WRITTEN");
  await page.getByLabel(zh.form.consentRecipient, { exact: true }).selectOption({ label: "太平洋海岸癌症中心（演示）" });
  await page.getByLabel(zh.form.consentPurpose, { exact: true }).fill("跨境第二诊疗意见");
  await page.getByRole("checkbox", { name: zh.dataCategories.CLINICAL_HISTORY, exact: true }).check();
  await page.getByRole("checkbox", { name: zh.dataCategories.PATHOLOGY, exact: true }).check();

  await page.getByLabel(zh.attachments.kind, { exact: true }).selectOption("PATHOLOGY_REPORT");
  await page.getByLabel(zh.attachments.file, { exact: true }).setInputFiles({ name: "pathology-report.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: zh.attachments.upload }).click();
  await expect(page.getByText(zh.attachments.uploaded)).toBeVisible();
  await expect(page.getByRole("link", { name: "pathology-report.pdf" })).toBeVisible();

  await page.getByRole("button", { name: zh.form.submit }).click();
  await expect(page).toHaveURL(caseUrl);
  await expect(page.locator(".badge", { hasText: zh.status.SUBMITTED })).toBeVisible();
  const code = (await page.getByRole("heading", { level: 1 }).textContent())!;
  const attachmentUrl = (await page.getByRole("link", { name: "pathology-report.pdf" }).getAttribute("href"))!;

  // The coordinator returns it with a reason.
  const coordinator = await as(browser, "coordinator@demo.test", "en");
  await coordinator.getByRole("link", { name: code }).click();
  await expect(coordinator.getByRole("heading", { name: en.checklist.title })).toBeVisible();
  await coordinator.getByLabel(en.actions.returnReason).fill("Please add the date of the last CT scan to the history.");
  await coordinator.getByRole("button", { name: en.actions.return }).click();
  await expect(coordinator.locator(".badge", { hasText: en.status.RETURNED })).toBeVisible();

  // The physician sees why, fixes it and resubmits.
  await page.goto(caseUrl);
  await expect(page.getByRole("note").filter({ hasText: "Please add the date of the last CT scan to the history." })).toBeVisible();
  await page.getByRole("link", { name: zh.view.edit }).click();
  await page
    .getByRole("textbox", { name: zh.form.clinicalHistory, exact: true })
    .fill("2026年3月因咳嗽就诊，CT示右肺上叶占位，穿刺病理为腺癌。末次胸部CT：2026年10月20日。");
  await page.getByRole("button", { name: zh.form.submit }).click();
  await expect(page).toHaveURL(caseUrl);
  await expect(page.locator(".badge", { hasText: zh.status.SUBMITTED })).toBeVisible();

  // The coordinator translates, then assigns consultant@demo.test.
  await coordinator.reload();
  const history = coordinator.getByRole("region", { name: en.form.clinicalHistory });
  await history.getByText(en.translation.add).click();
  await history
    .getByLabel(en.translation.textLabel.replace("{{title}}", en.form.clinicalHistory))
    .fill("Seen in March 2026 for cough; CT showed a right upper lobe mass; biopsy: adenocarcinoma. Last chest CT: 20 October 2026.");
  await history.getByLabel(en.translation.statusLabel).selectOption("REVIEWED");
  await history.getByRole("button", { name: en.translation.save.replace("{{title}}", en.form.clinicalHistory) }).click();
  await expect(history.locator(`p[lang="en"]`)).toContainText("Last chest CT: 20 October 2026.");
  await coordinator.getByRole("link", { name: en.actions.triage }).click();
  await coordinator.getByLabel(en.assign.filter).selectOption("MEDICAL_ONCOLOGY");
  await coordinator.getByRole("button", { name: en.list.apply }).click();
  await coordinator.getByRole("radio", { name: /Dr\. Sarah Miller/ }).check();
  await coordinator.getByRole("button", { name: en.assign.submit }).click();
  await expect(coordinator.locator(".badge", { hasText: en.status.TRIAGED })).toBeVisible();

  // The consultant finds it in the queue, coded in English, the Chinese as entered one click away.
  const consultant = await as(browser, "consultant@demo.test", "en");
  const row = consultant.getByRole("row").filter({ hasText: code });
  await expect(row).toContainText("C34.1 Upper lobe, lung");
  await expect(row).toContainText("8140/3 Adenocarcinoma, NOS");
  await consultant.getByRole("link", { name: code }).click();
  const site = consultant.getByRole("definition").filter({ hasText: "C34.1 Upper lobe, lung" });
  await expect(site.getByText("右肺上叶")).toBeHidden();
  await site.getByText(en.coded.asEntered).click();
  await expect(site.getByText("右肺上叶")).toBeVisible();
  await expect(consultant.getByRole("definition").filter({ hasText: "8140/3 Adenocarcinoma, NOS" })).toBeVisible();
  const treatment = consultant.getByRole("row").filter({ hasText: "osimertinib" });
  await expect(treatment).toContainText(en.responses.PR);
  await expect(treatment.getByText("80 mg 每日一次")).toBeHidden();
  await expect(consultant.getByRole("row").filter({ has: consultant.getByRole("cell", { name: "MET", exact: true }) })).toContainText(
    en.alterationTypes.EXON14_SKIPPING,
  );
  const narrative = consultant.getByRole("region", { name: en.form.clinicalHistory });
  await expect(narrative.locator(`p[lang="zh-CN"]`)).toContainText("末次胸部CT");
  await expect(narrative.locator(`p[lang="en"]`)).toContainText("Last chest CT: 20 October 2026.");
  await expect(narrative.locator(".translation-REVIEWED")).toHaveText(en.translation.statusREVIEWED);

  // Nobody else gets in: not the unassigned consultant, not the other hospital.
  for (const email of ["consultant2@demo.test", "physician2@demo.test"]) {
    const outsider = await as(browser, email, "en");
    expect((await outsider.goto(caseUrl))?.status(), email).toBe(404);
    expect((await outsider.request.get(attachmentUrl)).status(), email).toBe(404);
  }
  expect(caseId).toBeTruthy();
});

test("a new packet becomes a case with its first save, identifiers are refused beside their field, and an emptied draft is deleted", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "physician@demo.test", "zh-CN");
  await expect(page).toHaveURL(/\/cases$/);
  const caseCount = async () =>
    Number(
      /\d+/.exec(
        (await page
          .getByRole("status")
          .filter({ hasText: zh.list.count.split("{{")[0] })
          .textContent())!,
      )![0],
    );
  const before = await caseCount();

  // Opening the form creates nothing.
  await page.getByRole("link", { name: zh.list.new }).click();
  await expect(page).toHaveURL(/\/cases\/new$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(zh.form.newTitle);
  await expect(page.getByRole("button", { name: zh.form.submit })).toHaveCount(0);
  await page.goto("/cases");
  expect(await caseCount()).toBe(before);

  // The first autosave holding something creates the case; the page moves to its address and keeps the form where the user is.
  await page.getByRole("link", { name: zh.list.new }).click();
  const age = page.getByLabel(zh.form.age, { exact: true });
  await age.fill("61");
  await expect(page).toHaveURL(/\/cases\/[^/]+\/edit$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("TB-");
  await expect(age).toBeFocused();
  const caseUrl = page.url().replace(/\/edit$/, "");

  // A phone number is refused by the autosave, beside its field, in the reader's language; the rest is saved.
  const history = page.getByRole("textbox", { name: zh.form.clinicalHistory, exact: true });
  await history.fill("咳嗽两月。家属电话 138 0013 8000。");
  await expect(history).toHaveAccessibleDescription(zh.errors.identifierPhone);
  await expect(history).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("status").filter({ hasText: zh.save.savedExceptIdentifiers.split("{{")[0] })).toBeVisible();
  await history.fill("咳嗽两月。");
  await expect(page.getByText(zh.errors.identifierPhone)).toHaveCount(0);
  await page.reload();
  await expect(history).toHaveValue("咳嗽两月。");
  await expect(age).toHaveValue("61");

  // "Add" puts the cursor in the new row.
  await page.getByRole("button", { name: zh.form.addBiomarker }).click();
  await expect(page.getByRole("group", { name: zh.form.biomarkerN.replace("{{n}}", "1") }).getByLabel(zh.form.gene, { exact: true })).toBeFocused();
  await page.getByRole("button", { name: zh.form.addLine }).click();
  await expect(
    page.getByRole("group", { name: zh.form.lineN.replace("{{n}}", "1") }).getByLabel(zh.form.drugN.replace("{{n}}", "1"), { exact: true }),
  ).toBeFocused();
  await page.getByRole("button", { name: zh.form.addQuestion }).click();
  await expect(page.getByLabel(zh.form.questionN.replace("{{n}}", "2"), { exact: true })).toBeFocused();

  // The imaging upload is one link away.
  await page.getByRole("link", { name: zh.form.imagingUpload }).click();
  await expect(page).toHaveURL(`${caseUrl}#imaging`);
  await expect(page.getByLabel(TEXT["zh-CN"].imaging.upload.files)).toBeVisible();

  // Emptied again, the draft is its author's to delete, once confirmed.
  await page.goBack();
  await age.fill("");
  await history.fill("");
  await expect(page.getByRole("status").filter({ hasText: zh.save.savedAt.split("{{")[0] })).toBeVisible();
  await page.getByRole("link", { name: zh.form.viewCase }).click();
  await expect(page.getByLabel(zh.actions.withdrawReason)).toHaveCount(0);
  await page.getByText(zh.actions.deleteDraft).click();
  const code = (await page.getByRole("heading", { level: 1 }).textContent())!;
  await page.getByRole("button", { name: zh.actions.deleteDraftSubmit.replace("{{code}}", code) }).click();
  await expect(page).toHaveURL(/\/cases\?deleted=/);
  await expect(page.getByRole("status").filter({ hasText: zh.list.draftDeleted.replace("{{code}}", code) })).toBeVisible();
  expect(await caseCount()).toBe(before);
});
