import { expect, signIn, TEXT, test } from "./fixtures";

const en = TEXT.en;

test("an admin creates an account, the new user signs in, and disabling it ends their session at once", async ({ page, browser }) => {
  await signIn(page, "admin@demo.test", "en");
  await page.getByRole("link", { name: en.admin.users.new }).click();
  await expect(page.getByRole("heading", { level: 1, name: en.admin.users.newTitle })).toBeVisible();
  await page.getByLabel(en.admin.users.email, { exact: true }).fill("zhou.min@demo.test");
  await page.getByLabel(en.admin.users.displayName, { exact: true }).fill("周敏 Zhou Min");
  await page.getByLabel(en.admin.users.role).selectOption("TREATING_PHYSICIAN");
  await page.getByLabel(en.admin.users.institution).selectOption({ label: `Wuhan Riverside Cancer Hospital (demo) (${en.admin.institutionKinds.TREATING})` });
  await page.getByLabel(en.common.specialties.THORACIC_ONCOLOGY).check();
  await page.getByLabel(en.admin.users.preferredLocale).selectOption("zh-CN");
  await page.getByLabel(en.admin.users.timeZone).fill("Asia/Shanghai");
  await page.getByLabel(en.admin.users.password).fill("short");
  await page.getByRole("button", { name: en.admin.users.create }).click();
  await expect(page.getByText(en.admin.errors.passwordTooShort)).toBeVisible();
  await page.getByLabel(en.admin.users.password).fill("a-good-long-password");
  await page.getByRole("button", { name: en.admin.users.create }).click();
  await expect(page).toHaveURL("/admin");
  const row = page.getByRole("row").filter({ hasText: "zhou.min@demo.test" });
  await expect(row).toContainText(en.common.roles.TREATING_PHYSICIAN);

  const userContext = await browser.newContext();
  const user = await userContext.newPage();
  await signIn(user, "zhou.min@demo.test", "zh-CN", "a-good-long-password");
  await expect(user.getByRole("heading", { level: 1, name: TEXT["zh-CN"].home.physician.title })).toBeVisible();
  await expect(user.getByRole("status").filter({ hasText: TEXT["zh-CN"].common.realtime.connected })).toBeVisible();

  await row.getByRole("link", { name: en.admin.users.editNamed.replace("{{name}}", "周敏 Zhou Min") }).click();
  await page.getByLabel(/Account is active/).uncheck();
  await page.getByRole("button", { name: en.admin.save }).click();
  await expect(page.getByRole("row").filter({ hasText: "zhou.min@demo.test" })).toContainText(en.admin.users.statusDisabled);

  await expect(user.getByRole("status").filter({ hasText: TEXT["zh-CN"].common.realtime.disconnected })).toBeVisible();
  await user.reload();
  await expect(user).toHaveURL(/\/login/);
  await userContext.close();
});

test("an admin creates an institution with Chinese and English names", async ({ page }) => {
  await signIn(page, "admin@demo.test", "en");
  await page.getByRole("navigation", { name: en.common.nav.label }).getByRole("link", { name: en.common.nav.institutions }).click();
  await page.getByRole("link", { name: en.admin.institutions.new }).click();
  await expect(page.getByRole("heading", { level: 1, name: en.admin.institutions.newTitle })).toBeVisible();
  await page.getByLabel(en.admin.institutions.nameEn).fill("Chongqing Demo Cancer Hospital");
  await page.getByLabel(en.admin.institutions.nameZh).fill("重庆演示肿瘤医院");
  await page.getByLabel(en.admin.institutions.country).fill("CN");
  // The zone is found by the hospital's city, as in the session form.
  const zone = page.getByRole("combobox", { name: en.admin.institutions.timeZone });
  await expect(zone).toHaveAccessibleDescription(en.common.timeZoneHint);
  await zone.fill("Chongqing");
  await page.getByRole("button", { name: en.admin.institutions.create }).click();
  await expect(page).toHaveURL("/admin/institutions");
  await expect(page.getByRole("row").filter({ hasText: "重庆演示肿瘤医院" })).toContainText("Chongqing Demo Cancer Hospital");
  await page.getByRole("row").filter({ hasText: "重庆演示肿瘤医院" }).getByRole("link").first().click();
  await expect(page.getByRole("combobox", { name: en.admin.institutions.timeZone })).toHaveValue("Asia/Shanghai");
});
