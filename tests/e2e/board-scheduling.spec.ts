/**
 * A coordinator working in Chinese schedules a board at midnight Beijing time:
 * the zone is found by its Chinese city name, an unknown zone is refused in
 * Chinese with the form kept, the treating side's working hours are warned of
 * before any case is on the agenda, and the agenda shows each case's diagnosis
 * in the reader's language.
 */
import { expect, signIn, TEXT, test } from "./fixtures";

const zh = TEXT["zh-CN"].sessions;
const en = TEXT.en.sessions;
const fill = (template: string, values: Record<string, string>) => template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key]);

test("a midnight Beijing board is scheduled by the zone's Chinese name, warned of for the treating side, and its agenda shows diagnoses", async ({ page }) => {
  const title = `夜间会诊 ${Date.now()}`;
  const day = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  await signIn(page, "coordinator@demo.test", "zh-CN");
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/sessions/new");

  const zone = page.getByRole("combobox", { name: zh.form.timeZone });
  await expect(zone).toHaveAccessibleDescription(TEXT["zh-CN"].common.timeZoneHint);
  const choices = page.locator(`datalist#${await zone.getAttribute("list")} option`);
  await expect(choices.first()).toHaveAttribute("value", "Asia/Shanghai — Beijing/Shanghai 北京/上海");
  expect(await choices.count()).toBeGreaterThan(400);

  await page.getByLabel(zh.form.title, { exact: true }).fill(title);
  await page.getByLabel(zh.form.date, { exact: true }).fill(day);
  await page.getByLabel(zh.form.time, { exact: true }).fill("00:00");
  await page.getByLabel(zh.form.chair, { exact: true }).selectOption({ label: "Dr. Sarah Miller · 太平洋海岸癌症中心（演示）" });

  await zone.fill("亚特兰蒂斯");
  await page.getByRole("button", { name: zh.form.create }).click();
  await expect(page.getByText(zh.errors.timeZoneInvalid)).toBeVisible();
  await expect(page.getByLabel(zh.form.title, { exact: true })).toHaveValue(title);
  await expect(page.getByLabel(zh.form.time, { exact: true })).toHaveValue("00:00");

  // No case is on the agenda yet: the treating hospitals' clock is what says midnight.
  await zone.fill("北京");
  const hospitalsWarning = fill(zh.warnings.item, { zone: "北京时间", start: "00:00", end: "01:00", names: zh.warnings.treatingHospitals });
  await expect(page.getByRole("note")).toContainText(hospitalsWarning);
  await page.getByRole("button", { name: zh.form.create }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("note")).toContainText(hospitalsWarning);

  const agenda = page.getByRole("region", { name: zh.detail.agenda });
  const wuhanCase = page.locator("#agenda-case option").filter({ hasText: "武汉" }).first();
  await page.getByLabel(zh.detail.caseToAdd).selectOption((await wuhanCase.getAttribute("value"))!);
  await page.getByRole("button", { name: zh.detail.add }).click();
  await expect(agenda.locator("tbody tr")).toHaveCount(1);
  await expect(page.getByRole("note")).toContainText(fill(zh.warnings.item, { zone: "北京时间", start: "00:00", end: "01:00", names: "李伟 Li Wei" }));

  // The diagnosis has a column of its own: as the Wuhan physician wrote it for a Chinese reader, its codes' names for an English one.
  const diagnosisCell = async (text: typeof zh) => {
    const table = page.getByRole("region", { name: text.detail.agenda }).getByRole("table");
    const column = (await table.locator("thead th").allTextContents()).indexOf(text.detail.diagnosis);
    expect(column).toBe(2);
    return table.locator("tbody tr").first().locator("td").nth(column);
  };
  await expect(await diagnosisCell(zh)).toHaveText(/^(右肺上叶|左肺下叶) · (肺腺癌（肉瘤样成分约10%）|浸润性腺癌，腺泡为主型)$/);
  const sessionUrl = new URL(page.url()).pathname;
  await page.goto(`${sessionUrl}?lng=en`);
  await expect(page.getByRole("heading", { level: 2, name: en.detail.agenda })).toBeVisible();
  const english = await diagnosisCell(en);
  await expect(english).toHaveText(/^(Upper|Lower) lobe, lung · (Adenocarcinoma, NOS|Acinar adenocarcinoma)$/);
  await expect(english.locator('span[lang="en"]')).toHaveCount(2);

  // Cancelled, the case goes back to review for the other tests' boards.
  await page.goto(`${sessionUrl}/edit?lng=en`);
  await page.getByRole("button", { name: en.detail.cancelSession }).click();
  await expect(page.locator(".badge", { hasText: en.status.CANCELLED })).toBeVisible();
});
