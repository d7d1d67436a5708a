/**
 * The translation editor checks the glossary and remembers reviewed translations: a wrong Chinese name for
 * osimertinib is marked as it is typed and refused by the server with the text kept; once saved, a case asking almost
 * the same question opens with that translation filled in and its match shown.
 */
import { execFileSync } from "node:child_process";
import { expect, signIn, TEXT, test } from "./fixtures";
import { ROOT } from "./own-server";

const en = TEXT.en.cases;
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));

test("a planted wrong drug name is caught, and the memory fills in a close question with its match", async ({ page }) => {
  test.setTimeout(90_000);
  const out = execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "tests/support/create-translation-cases.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "file:./tests/.artifacts/e2e-db/e2e.db" },
    encoding: "utf8",
  });
  const { brain, liver } = JSON.parse(out.trim().split("\n").at(-1)!) as Record<"brain" | "liver", { id: string }>;
  const title = fill(en.form.questionN, { n: 1 });
  const textLabel = fill(en.translation.textLabel, { title });
  await signIn(page, "coordinator@demo.test", "en");
  await expect(page).not.toHaveURL(/\/login/);

  await page.goto(`/cases/${brain.id}`);
  const question = page.getByRole("region", { name: title });
  await question.getByText(en.translation.add, { exact: true }).click();
  const drug = question.locator("mark", { hasText: "osimertinib" });
  await expect(drug).toHaveAttribute("title", "Glossary: osimertinib — 奥希替尼");
  await expect(question.getByText(fill(en.translationCheck.found_other, { count: 2 }))).toBeVisible();

  const planted = "脑部寡进展后是否应继续使用奥西替尼？";
  await question.getByLabel(textLabel).fill(planted);
  await expect(drug).toHaveClass(/glossary-term-missing/);
  await expect(question.getByText(fill(en.translationCheck.expected, { term: "osimertinib", rendering: "奥希替尼" }))).toBeVisible();
  await question.getByLabel(en.translation.statusLabel).selectOption("REVIEWED");
  await question.getByRole("button", { name: fill(en.translation.save, { title }) }).click();
  await expect(question.getByRole("alert")).toHaveText(en.translation.glossaryMismatch);
  await expect(question.getByLabel(textLabel)).toHaveValue(planted);
  await expect(question.getByText(en.translation.missing)).toBeVisible();

  const corrected = "脑部寡进展后是否应继续使用奥希替尼？";
  await question.getByLabel(textLabel).fill(corrected);
  await expect(drug).not.toHaveClass(/glossary-term-missing/);
  await expect(question.getByText(fill(en.translationCheck.allRendered_other, { count: 2 }))).toBeVisible();
  await question.getByRole("button", { name: fill(en.translation.save, { title }) }).click();
  await expect(question.locator('p[lang="zh-CN"]')).toHaveText(corrected);

  await page.goto(`/cases/${liver.id}`);
  const next = page.getByRole("region", { name: title });
  await next.getByText(fill(en.translation.addSuggested, { match: 92 })).click();
  await expect(next.getByLabel(textLabel)).toHaveValue(corrected);
  await expect(next.getByRole("note")).toContainText(fill(en.translationMemory.pending, { match: 92 }));
  await next.getByLabel(textLabel).fill("肝脏寡进展后是否应继续使用奥希替尼？");
  await expect(next.getByRole("note")).toContainText(fill(en.translationMemory.edited, { match: 92 }));
  await next.getByLabel(en.translation.statusLabel).selectOption("REVIEWED");
  await next.getByRole("button", { name: fill(en.translation.save, { title }) }).click();
  await expect(next.locator('p[lang="zh-CN"]')).toHaveText("肝脏寡进展后是否应继续使用奥希替尼？");
});
