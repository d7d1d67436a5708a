import { expect, signIn, signOut, TEXT, test, type Lng } from "./fixtures";

const ACCOUNTS = [
  { email: "physician@demo.test", home: "/cases", heading: "physician" },
  { email: "physician2@demo.test", home: "/cases", heading: "physician" },
  { email: "consultant@demo.test", home: "/queue", heading: "consultant" },
  { email: "consultant2@demo.test", home: "/queue", heading: "consultant" },
  { email: "coordinator@demo.test", home: "/board", heading: "coordinator" },
  { email: "admin@demo.test", home: "/admin", heading: null },
] as const;

for (const lng of ["en", "zh-CN"] as Lng[]) {
  for (const account of ACCOUNTS) {
    test(`${account.email} signs in, sees their home and signs out (${lng})`, async ({ page }) => {
      const text = TEXT[lng];
      await signIn(page, account.email, lng);
      await expect(page).toHaveURL(account.home);
      await expect(page.locator("html")).toHaveAttribute("lang", lng);
      const heading = account.heading ? text.home[account.heading].title : text.admin.users.title;
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      await expect(page.getByRole("navigation", { name: text.common.nav.label })).toBeVisible();
      await expect(page.getByRole("status").filter({ hasText: text.common.realtime.connected })).toBeVisible();
      await signOut(page, lng);
      await expect(page.getByRole("heading", { name: text.auth.login.title })).toBeVisible();
      await page.goto(account.home);
      await expect(page).toHaveURL(/\/login\?redirectTo=/);
    });
  }

  test(`a wrong password shows the error in the page's language (${lng})`, async ({ page }) => {
    const text = TEXT[lng];
    await signIn(page, "consultant@demo.test", lng, "definitely-not-it");
    await expect(page.getByRole("alert")).toHaveText(text.auth.errors.invalidCredentials);
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByLabel(text.auth.login.password, { exact: true })).toHaveValue("");
  });

  test(`after a mistyped password, the right one signs in with a click (${lng})`, async ({ page }) => {
    const text = TEXT[lng];
    await signIn(page, "consultant@demo.test", lng, "a-typo-in-the-password");
    await expect(page.getByRole("alert")).toHaveText(text.auth.errors.invalidCredentials);
    await page.getByLabel(text.auth.login.password, { exact: true }).fill("demo-tumorboard-2026");
    await page.getByRole("button", { name: text.auth.login.submit }).click();
    await expect(page).toHaveURL("/queue");
  });
}

test("the header language switch is remembered", async ({ page }) => {
  await page.goto("/login?lng=en");
  await expect(page.getByRole("heading", { name: TEXT.en.auth.login.title })).toBeVisible();
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("heading", { name: TEXT["zh-CN"].auth.login.title })).toBeVisible();
  await expect(page.getByRole("button", { name: "中文" })).toHaveAttribute("aria-pressed", "true");
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await signIn(page, "consultant2@demo.test", "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: TEXT["zh-CN"].home.consultant.title })).toBeVisible();
});

test.describe("a browser that prefers Chinese", () => {
  test.use({ locale: "zh-CN" });
  test("gets Chinese by default from Accept-Language", async ({ page }) => {
    await page.goto("/login");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { name: TEXT["zh-CN"].auth.login.title })).toBeVisible();
  });
});
