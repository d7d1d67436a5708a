/**
 * A step that waits for someone tells them at once: the coordinator returns a
 * case, and the Chinese-reading physician's header counts it live; the list
 * names the case and shows the English reason marked as untranslated; the
 * physician chooses not to get returns by email, and the choice stays.
 */
import { execFileSync } from "node:child_process";
import type { Browser, Page } from "@playwright/test";
import { expect, signIn, TEXT, test } from "./fixtures";
import { ROOT } from "./own-server";

const en = TEXT.en;
const zh = TEXT["zh-CN"];
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));

let caseId = "";
let code = "";

test.beforeAll(() => {
  const out = execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "tests/support/create-submitted-case.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "file:./tests/.artifacts/e2e-db/e2e.db" },
    encoding: "utf8",
  });
  ({ id: caseId, code } = JSON.parse(out.trim().split("\n").at(-1)!));
});

async function as(browser: Browser, email: string, lng: "en" | "zh-CN"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, lng);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

test("a returned case reaches the physician live, named by its code, with the reason marked untranslated; email choices are kept", async ({ browser }) => {
  const physician = await as(browser, "physician@demo.test", "zh-CN");
  const bell = physician.getByRole("link", { name: new RegExp(`^${zh.common.notifications.title}`) });
  const unreadBefore = Number((await bell.getAttribute("aria-label"))!.match(/\d+/)![0]);
  // Live: what arrives from now on is counted without a reload.
  await expect(physician.locator('[data-status="connected"]')).toBeVisible();

  const coordinator = await as(browser, "coordinator@demo.test", "en");
  await coordinator.goto(`/cases/${caseId}`);
  await coordinator.getByLabel(en.cases.actions.returnReason).fill("Please add the pathology report.");
  await coordinator.getByRole("button", { name: en.cases.actions.return }).click();
  await expect(coordinator.getByText("Please add the pathology report.").first()).toBeVisible();
  await coordinator.context().close();

  await expect(bell).toHaveAttribute("aria-label", fill(zh.common.notifications.linkLabel, { count: unreadBefore + 1 }));
  await bell.click();
  const item = physician.getByRole("listitem").filter({ hasText: fill(zh.cases.notifications.caseReturned, { code }) });
  await expect(item.getByRole("link", { name: fill(zh.cases.notifications.caseReturned, { code }) })).toHaveAttribute("href", `/cases/${caseId}`);
  await expect(item.locator('q[lang="en"]')).toHaveText("Please add the pathology report.");
  await expect(item.getByText(fill(zh.common.translation.untranslated, { language: zh.cases.languages.en }))).toBeVisible();

  const returns = physician.getByLabel(zh.common.notifications.kinds.caseReturned);
  await expect(returns).toBeChecked();
  await returns.uncheck();
  await physician.getByRole("button", { name: zh.common.notifications.email.save }).click();
  await expect(physician.getByText(zh.common.notifications.email.saved)).toBeVisible();
  await physician.reload();
  await expect(physician.getByLabel(zh.common.notifications.kinds.caseReturned)).not.toBeChecked();
  await expect(physician.getByLabel(zh.common.notifications.kinds.opinionDelivered)).toBeChecked();
  await physician.context().close();
});
