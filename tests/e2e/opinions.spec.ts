/**
 * The whole path of an opinion in the browser: two consultants draft at once
 * without losing an edit, a wrong password does not sign, the coordinator
 * delivers (and crafted deliveries to anyone else are refused and audited),
 * the physician reads it in Chinese, downloads the PDF, acknowledges and asks
 * a follow-up that a consultant answers; outsiders see nothing; an amendment
 * shows its reason; a Chinese search finds it; the case is archived.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { expect, signIn, TEXT, test } from "./fixtures";
import { ROOT } from "./own-server";

const en = TEXT.en.opinions;
const zh = TEXT["zh-CN"].opinions;
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));

let caseId = "";
let caseCode = "";
let outsiders = { coordinator: "", physician2: "" };
const opinionUrl = () => `/cases/${caseId}/opinion`;

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  const out = execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "tests/support/create-opinion-case.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "file:./tests/.artifacts/e2e-db/e2e.db" },
    encoding: "utf8",
  });
  ({ caseId, code: caseCode, outsiders } = JSON.parse(out.trim().split("\n").at(-1)!));
});

async function as(browser: Browser, email: string, lng: "en" | "zh-CN" = "en"): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, lng);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

const section = (page: Page, title: string) => page.getByRole("region", { name: title, exact: true });

async function translate(page: Page, title: string, translations: [string, string][]) {
  await page.getByText(fill(en.translation.open, { section: title })).click();
  const details = page.locator("details", { has: page.getByText(fill(en.translation.open, { section: title })) });
  for (const [english, chinese] of translations) await details.getByLabel(english).fill(chinese);
  await details.getByLabel(en.translation.statusLabel).selectOption({ label: en.translation.status.REVIEWED });
  await details.getByRole("button", { name: fill(en.translation.save, { section: title }) }).click();
  await expect(details.getByText(en.translation.status.REVIEWED, { exact: false }).first()).toBeVisible();
}

test("two consultants draft together without losing an edit, and a wrong password does not sign", async ({ browser }) => {
  test.setTimeout(120_000);
  const a = await as(browser, "consultant@demo.test");
  const b = await as(browser, "consultant3@demo.test");
  await a.goto(opinionUrl());
  await a.getByRole("button", { name: en.start.fromBoard }).click();
  const plan = en.sections.plan;
  await expect(section(a, plan).getByLabel(en.plan.summary)).toHaveValue(/first-line osimertinib/);
  await b.goto(opinionUrl());

  // Live presence: B sees who is editing which section.
  await section(a, plan).getByRole("button", { name: en.plan.add }).click();
  await expect(section(b, plan).getByText(fill(en.presence.editing, { names: "Dr. Sarah Miller" }))).toBeVisible();

  // Different sections at once: both kept, and each sees the other's save without reloading.
  const item = section(a, plan).getByRole("group", { name: fill(en.plan.itemN, { n: 1 }) });
  // Focus follows "Add" to the new item's first field.
  await expect(item.getByLabel(en.plan.treatment)).toBeFocused();
  await item.getByLabel(en.plan.treatment).fill("Targeted therapy");
  await item.getByLabel(en.plan.regimen).fill("Osimertinib 80 mg daily");
  await item.getByLabel(en.plan.intent).selectOption({ label: en.intent.PALLIATIVE });
  await item.getByLabel(en.plan.priority).fill("1");
  await item.getByLabel(en.plan.evidenceSystem).selectOption("ESCAT");
  await item.getByLabel(en.plan.evidenceLevel).selectOption("I-A");
  const workup = en.sections.workup;
  await section(b, workup).getByRole("button", { name: en.workup.add }).click();
  await expect(section(b, workup).getByLabel(fill(en.workup.itemN, { n: 1 }))).toBeFocused();
  await section(b, workup)
    .getByLabel(fill(en.workup.itemN, { n: 1 }))
    .fill("Brain MRI in 3 months");
  await section(a, plan)
    .getByRole("button", { name: fill(en.editor.save, { section: plan }) })
    .click();
  await section(b, workup)
    .getByRole("button", { name: fill(en.editor.save, { section: workup }) })
    .click();
  await expect(
    section(b, plan)
      .getByRole("group", { name: fill(en.plan.itemN, { n: 1 }) })
      .getByLabel(en.plan.regimen),
  ).toHaveValue("Osimertinib 80 mg daily");
  await expect(section(a, workup).getByLabel(fill(en.workup.itemN, { n: 1 }))).toHaveValue("Brain MRI in 3 months");

  // The same section at once: B is told of A's save, and saving shows both versions instead of overwriting.
  const diagnosis = en.sections.diagnosis;
  await section(b, diagnosis).getByLabel(en.diagnosis.comment).fill("B: EGFR exon 19 deletion confirmed by NGS.");
  await section(a, diagnosis).getByLabel(en.diagnosis.comment).fill("A: stage IVB by bone metastases.");
  await section(a, diagnosis)
    .getByRole("button", { name: fill(en.editor.save, { section: diagnosis }) })
    .click();
  await expect(section(b, diagnosis).getByText(fill(en.conflict.newerSaved, { name: "Dr. Sarah Miller" }))).toBeVisible();
  await section(b, diagnosis)
    .getByRole("button", { name: fill(en.editor.save, { section: diagnosis }) })
    .click();
  const conflict = section(b, diagnosis).getByRole("alert");
  await expect(conflict).toContainText("A: stage IVB by bone metastases.");
  await expect(conflict).toContainText("B: EGFR exon 19 deletion confirmed by NGS.");
  await section(b, diagnosis).getByLabel(en.diagnosis.comment).fill("A: stage IVB by bone metastases. B: EGFR exon 19 deletion confirmed by NGS.");
  await conflict.getByRole("button", { name: fill(en.conflict.saveMine, { section: diagnosis }) }).click();
  await expect(section(a, diagnosis).getByLabel(en.diagnosis.comment)).toHaveValue(
    "A: stage IVB by bone metastases. B: EGFR exon 19 deletion confirmed by NGS.",
  );

  // The rest, then the Chinese translations.
  for (const part of ["diagnosis", "stage"] as const) {
    await section(a, diagnosis).getByRole("group", { name: en.diagnosis[part] }).getByLabel(en.editor.agreement).selectOption({ label: en.agreement.AGREE });
  }
  await section(a, diagnosis)
    .getByRole("button", { name: fill(en.editor.save, { section: diagnosis }) })
    .click();
  await expect(section(a, diagnosis).getByRole("status").getByText(en.editor.saved)).toBeVisible();
  const answers = en.sections.answers;
  await section(a, answers).getByLabel("Is first-line osimertinib monotherapy recommended?").fill("Yes: osimertinib 80 mg daily until progression.");
  await section(a, answers).getByLabel("Do the bone metastases need local radiotherapy?").fill("Only for painful or threatening lesions.");
  await section(a, answers)
    .getByRole("button", { name: fill(en.editor.save, { section: answers }) })
    .click();
  await expect(section(a, answers).getByRole("status").getByText(en.editor.saved)).toBeVisible();

  const sign = a.getByRole("region", { name: en.sign.title });
  await expect(sign.getByText(en.sign.ready)).toBeVisible();

  // An entry not saved, here a trial the save refuses as invalid, is missing for sign-off; leaving the page asks first.
  const trials = en.sections.trials;
  await section(a, trials).getByRole("button", { name: en.trials.add }).click();
  await section(a, trials).getByLabel(en.trials.registryId).fill("NCT123");
  const unsavedTrials = sign.getByText(`${trials}: ${en.sign.unsaved}`);
  await expect(unsavedTrials).toBeVisible();
  await expect(sign.getByText(en.sign.ready)).toHaveCount(0);
  await expect(sign.getByRole("button", { name: en.sign.submit })).toBeDisabled();
  await section(a, trials)
    .getByRole("button", { name: fill(en.editor.save, { section: trials }) })
    .click();
  await expect(section(a, trials).getByText(en.errors.trialIdInvalid)).toBeVisible();
  await expect(unsavedTrials).toBeVisible();
  const leaving = a.waitForEvent("dialog");
  const reloaded = a.reload();
  const warning = await leaving;
  expect(warning.type()).toBe("beforeunload");
  await warning.accept();
  await reloaded;
  await expect(sign.getByText(en.sign.ready)).toBeVisible();
  await expect(sign.getByRole("button", { name: en.sign.submit })).toBeEnabled();
  await translate(a, plan, [
    ["Targeted therapy", "靶向治疗"],
    ["Osimertinib 80 mg daily", "奥希替尼 80 mg 每日一次"],
    ["The board recommends first-line osimertinib; palliative radiotherapy for painful bone lesions.", "会诊组建议一线奥希替尼；疼痛骨病灶行姑息放疗。"],
  ]);
  await translate(a, diagnosis, [
    ["A: stage IVB by bone metastases. B: EGFR exon 19 deletion confirmed by NGS.", "A：骨转移，IVB期。B：NGS证实EGFR 19外显子缺失。"],
  ]);
  await translate(a, workup, [["Brain MRI in 3 months", "3个月后复查脑部MRI"]]);
  await translate(a, answers, [
    ["Yes: osimertinib 80 mg daily until progression.", "是：奥希替尼 80 mg 每日一次，直至进展。"],
    ["Only for painful or threatening lesions.", "仅用于疼痛或有风险的病灶。"],
  ]);

  await sign.getByLabel(en.sign.password).fill("not-my-password");
  await sign.getByRole("button", { name: en.sign.submit }).click();
  await expect(sign.getByText(en.errors.wrongPassword)).toBeVisible();
  await expect(section(a, plan)).toBeVisible();

  await sign.getByLabel(en.sign.password).fill("demo-tumorboard-2026");
  await sign.getByRole("button", { name: en.sign.submit }).click();
  await expect(a.getByText(fill(en.page.signedBy, { name: "Dr. Sarah Miller" }))).toBeVisible();
  await expect(a.locator("code.hash")).toHaveText(/^[0-9a-f]{64}$/);
  // The other editor's page follows: the draft is gone, the signed version shows.
  await expect(b.getByText(fill(en.page.signedBy, { name: "Dr. Sarah Miller" }))).toBeVisible();
  await a.context().close();
  await b.context().close();
});

test("the coordinator delivers to the treating physician only; crafted deliveries are refused and audited", async ({ browser }) => {
  const coordinator = await as(browser, "coordinator@demo.test");
  await coordinator.goto(opinionUrl());
  const delivery = coordinator.getByRole("region", { name: en.delivery.title });
  await expect(delivery.getByLabel(/李伟 Li Wei/)).toBeChecked();
  const opinionId = await delivery.locator('input[name="opinionId"]').last().inputValue();
  for (const recipient of [outsiders.coordinator, outsiders.physician2, "patient@example.com"]) {
    const response = await coordinator.request.post(opinionUrl(), {
      form: { intent: "deliver", opinionId, recipient },
      headers: { origin: new URL(coordinator.url()).origin },
    });
    expect(response.status()).toBe(403);
  }
  await coordinator.reload();
  // Every section's translation is reviewed: the panel says so, and offers no English-only choice.
  await expect(delivery.getByText(en.delivery.ready)).toBeVisible();
  await expect(delivery.getByText(en.delivery.missing_other.split("{{")[0].trim())).toHaveCount(0);
  await expect(delivery.getByText(en.delivery.englishOnlyOpen)).toHaveCount(0);
  await expect(delivery.getByRole("button", { name: en.delivery.submit })).toBeEnabled();
  await delivery.getByRole("button", { name: en.delivery.submit }).click();
  await expect(coordinator.getByText(/Delivered to 李伟 Li Wei/)).toBeVisible();
  await coordinator.context().close();

  const admin = await as(browser, "admin@demo.test");
  await admin.goto(`/admin/audit?action=opinion.deliver&outcome=denied`);
  await expect(admin.getByRole("row").filter({ hasText: "opinion.deliver" })).toHaveCount(3);
  await admin.context().close();
});

test("the physician reads it in Chinese, downloads the PDF, acknowledges and asks; a consultant answers", async ({ browser }) => {
  const physician = await as(browser, "physician@demo.test", "zh-CN");
  await physician.goto(opinionUrl());
  await expect(physician.getByText("奥希替尼 80 mg 每日一次").first()).toBeVisible();
  const [download] = await Promise.all([
    physician.waitForEvent("download"),
    physician.getByRole("link", { name: fill(zh.page.downloadPdf, { n: 1 }) }).click(),
  ]);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "opinion-pdf-")), "opinion.pdf");
  await download.saveAs(file);
  expect(readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  expect(text).toContain("Osimertinib 80 mg daily");
  expect(text).toContain("奥希替尼 80 mg 每日一次");
  expect(text).toContain(caseCode);
  // It opens with the case summary in the reader's Chinese; the site as the physician typed it (English) is the original.
  const summary = text.slice(text.indexOf("临床摘要"), text.indexOf("Version 1 /")).replace(/\s+/g, " ");
  for (const line of [`病例：${caseCode}`, "提交时年龄：58 岁", "性别：男", "肿瘤类型：实体瘤", "原发部位：C34.1 肺上叶 原文（英文）：Right upper lobe"])
    expect(summary).toContain(line);
  const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" });
  expect(fonts).toMatch(/^[A-Z]{6}\+NotoSansSC-Regular\s.*\byes\s+yes\s+yes\b/m);

  await physician.getByRole("button", { name: zh.acknowledge.submit }).click();
  await expect(physician.getByText(new RegExp(fill(zh.page.acknowledgedName, { name: "李伟 Li Wei", time: ".*" })))).toBeVisible();
  await physician.getByLabel(zh.followUps.askLabel).fill("若出现脑转移，是否继续奥希替尼？");
  await physician.getByRole("button", { name: zh.followUps.askSubmit }).click();
  await expect(physician.getByText("若出现脑转移，是否继续奥希替尼？")).toBeVisible();

  const consultant = await as(browser, "consultant@demo.test");
  await consultant.goto(opinionUrl());
  await consultant.getByLabel(en.followUps.answerLabel).fill("Yes, continue osimertinib; add local therapy if symptomatic.");
  await consultant.getByRole("button", { name: en.followUps.answerSubmit }).click();
  await expect(consultant.getByText("Yes, continue osimertinib; add local therapy if symptomatic.")).toBeVisible();
  await physician.reload();
  await expect(physician.getByText("Yes, continue osimertinib; add local therapy if symptomatic.")).toBeVisible();
  await physician.context().close();
  await consultant.context().close();
});

test("another hospital's physician and a consultant not on the case cannot see the opinion", async ({ browser }) => {
  for (const email of ["physician2@demo.test", "consultant2@demo.test"]) {
    const page = await as(browser, email);
    const response = await page.goto(opinionUrl());
    expect(response?.status()).toBe(404);
    await expect(page.getByText("奥希替尼")).toHaveCount(0);
    await page.context().close();
  }
});

test("an amendment shows its reason and what changed; a Chinese search finds the opinion; the case is archived", async ({ browser }) => {
  test.setTimeout(90_000);
  const consultant = await as(browser, "consultant@demo.test");
  await consultant.goto(opinionUrl());
  await consultant.getByLabel(en.amend.reason).fill("Dose corrected after renal function results.");
  await consultant.getByRole("button", { name: en.amend.start }).click();
  const plan = en.sections.plan;
  const item = section(consultant, plan).getByRole("group", { name: fill(en.plan.itemN, { n: 1 }) });
  await item.getByLabel(en.plan.regimen).fill("Osimertinib 40 mg daily");
  await section(consultant, plan)
    .getByRole("button", { name: fill(en.editor.save, { section: plan }) })
    .click();
  await expect(section(consultant, plan).getByRole("status").getByText(en.editor.saved)).toBeVisible();
  await translate(consultant, plan, [["Osimertinib 40 mg daily", "奥希替尼 40 mg 每日一次"]]);
  await consultant.getByLabel(en.sign.password).fill("demo-tumorboard-2026");
  await consultant.getByRole("button", { name: en.sign.submit }).click();
  await expect(consultant.getByText(fill(en.page.versionN, { n: 2 })).first()).toBeVisible();
  await consultant.context().close();

  const coordinator = await as(browser, "coordinator@demo.test");
  await coordinator.goto(opinionUrl());
  await coordinator.getByRole("button", { name: en.delivery.submit }).click();
  await expect(coordinator.getByText(/Delivered to 李伟 Li Wei/).first()).toBeVisible();

  const physician = await as(browser, "physician@demo.test", "zh-CN");
  await physician.goto(opinionUrl());
  await expect(physician.getByText("Dose corrected after renal function results.")).toBeVisible();
  const changes = physician.getByRole("table", { name: zh.amend.changes });
  await expect(changes).toContainText("Osimertinib 80 mg daily");
  await expect(changes).toContainText("Osimertinib 40 mg daily");
  await expect(changes).toContainText("奥希替尼 40 mg 每日一次");
  await expect(physician.getByRole("heading", { name: zh.page.earlierVersions })).toBeVisible();
  await physician.context().close();

  await coordinator.goto(`/search?q=${encodeURIComponent("奥希")}`);
  await expect(coordinator.getByRole("link", { name: caseCode, exact: true }).first()).toBeVisible();
  await coordinator.goto(opinionUrl());
  await coordinator.getByRole("button", { name: en.archive.submit }).click();
  await expect(coordinator.getByText(TEXT.en.cases.status.ARCHIVED)).toBeVisible();
  await expect(coordinator.getByRole("button", { name: en.archive.submit })).toHaveCount(0);
  await coordinator.context().close();
});
