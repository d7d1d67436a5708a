/**
 * The coordinator's delivery panel says what is actually missing, section by
 * section; delivering in English only is a secondary choice that must be
 * confirmed; and each reader sees the opinion in their own language first.
 */
import { execFileSync } from "node:child_process";
import type { Browser, Page } from "@playwright/test";
import { expect, signIn, TEXT, test } from "./fixtures";
import { ROOT } from "./own-server";

const en = TEXT.en.opinions;
const zh = TEXT["zh-CN"].opinions;
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));

let caseId = "";
const opinionUrl = () => `/cases/${caseId}/opinion`;

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  const out = execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "tests/support/create-signed-opinion-case.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "file:./tests/.artifacts/e2e-db/e2e.db" },
    encoding: "utf8",
  });
  ({ caseId } = JSON.parse(out.trim().split("\n").at(-1)!));
});

async function as(browser: Browser, email: string, lng: "en" | "zh-CN" = "en"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, lng);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

/** The language of each section's first column, in page order. */
const firstColumns = (page: Page) =>
  page.locator(".opinion-view .side-by-side > :first-child").evaluateAll((columns) => columns.map((c) => c.getAttribute("data-column")));

test("the panel names only the sections still missing a translation, and English only needs a confirmed, secondary choice", async ({ browser }) => {
  const coordinator = await as(browser, "coordinator@demo.test");
  await coordinator.goto(opinionUrl());
  const delivery = coordinator.getByRole("region", { name: en.delivery.title });
  await expect(delivery.getByText(fill(en.delivery.missing_other, { count: 2 }))).toBeVisible();
  const missing = delivery.getByRole("list").filter({ hasText: en.errors.translationMissing });
  await expect(missing.getByRole("listitem")).toHaveText([
    `${en.sections.plan}: ${en.errors.translationMissing}`,
    `${en.sections.answers}: ${en.errors.translationMissing}`,
  ]);
  await expect(delivery.getByText(en.sections.diagnosis)).toHaveCount(0);
  await expect(delivery.getByText(en.delivery.ready)).toHaveCount(0);

  const deliverButton = delivery.getByRole("button", { name: en.delivery.submit });
  await expect(deliverButton).toBeDisabled();
  // English only is not offered as a button beside "Deliver": it sits behind a disclosure, after it.
  const englishOnly = delivery.getByRole("button", { name: en.delivery.englishOnlyDecide });
  await expect(englishOnly).toBeHidden();
  const buttons = await delivery.locator("button, summary").allTextContents();
  expect(buttons.indexOf(en.delivery.submit)).toBeLessThan(buttons.indexOf(en.delivery.englishOnlyOpen));
  await delivery.getByText(en.delivery.englishOnlyOpen).click();
  await englishOnly.click();
  await expect(delivery.getByText(en.errors.englishOnlyUnconfirmed)).toBeVisible();
  await expect(delivery.getByText(en.delivery.englishOnlyOn)).toHaveCount(0);

  await delivery.getByLabel(en.delivery.englishOnlyConfirm).check();
  await delivery.getByRole("button", { name: en.delivery.englishOnlyDecide }).click();
  await expect(delivery.getByText(en.delivery.englishOnlyOn)).toBeVisible();
  await expect(deliverButton).toBeEnabled();
  await deliverButton.click();
  await expect(coordinator.getByText(/Delivered to 李伟 Li Wei/)).toBeVisible();
  // The coordinator reads English: English comes first.
  expect(new Set(await firstColumns(coordinator))).toEqual(new Set(["en"]));
  await coordinator.context().close();
});

test("the physician reading Chinese sees the Chinese first, English beside it", async ({ browser }) => {
  const physician = await as(browser, "physician@demo.test", "zh-CN");
  await physician.goto(opinionUrl());
  const diagnosis = physician.getByRole("region", { name: zh.sections.diagnosis, exact: true });
  await expect(diagnosis.locator(".side-by-side > :first-child")).toContainText("IVA期。");
  await expect(diagnosis.locator(".side-by-side > :first-child")).toContainText(zh.view.chinese);
  await expect(diagnosis.locator(".side-by-side > :last-child")).toContainText("Stage IVA.");
  expect(new Set(await firstColumns(physician))).toEqual(new Set(["zh-CN"]));
  await physician.context().close();
});
