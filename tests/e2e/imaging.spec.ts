import path from "node:path";
import { expect, signIn, TEXT, test } from "./fixtures";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const zh = TEXT["zh-CN"].imaging;

test("a physician uploads a CT series and a damaged file, and sees each file's result and the indexed series", async ({ page }) => {
  await signIn(page, "physician@demo.test", "zh-CN");
  await page.getByRole("button", { name: TEXT["zh-CN"].cases.list.new }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await page.goto(page.url().replace(/\/edit$/, ""));
  await page.getByLabel(zh.upload.files, { exact: true }).setInputFiles(
    ["ct-series/ct-3slice-01.dcm", "ct-series/ct-3slice-02.dcm", "ct-series/ct-3slice-03.dcm", "malformed/no-rows.dcm"].map((f) => path.join(CORPUS, f)),
  );
  await expect(page.getByRole("status").filter({ hasText: zh.upload.summary.replace("{{stored}}", "3").replace("{{duplicate}}", "0").replace("{{rejected}}", "1").replace("{{failed}}", "0") })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("row").filter({ hasText: "no-rows.dcm" })).toContainText(zh.rejections.missingRows);
  await expect(page.getByText(/CT .*3幅图像/)).toBeVisible();
});
