import { expect, signIn, signOut, TEXT, test } from "./fixtures";

test("a physician opening an admin page gets 403, and the admin finds the denial in the audit log", async ({ page, browser }) => {
  await signIn(page, "physician@demo.test", "en");
  await expect(page).toHaveURL("/cases");
  const response = await page.goto("/admin/audit");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: TEXT.en.common.errors.forbidden.title })).toBeVisible();

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, "admin@demo.test", "en");
  await admin.getByRole("navigation", { name: TEXT.en.common.nav.label }).getByRole("link", { name: TEXT.en.common.nav.audit }).click();
  await admin.getByLabel(TEXT.en.admin.audit.actor).fill("physician@demo.test");
  await admin.getByLabel(TEXT.en.admin.audit.outcome).selectOption("denied");
  await admin.getByRole("button", { name: TEXT.en.admin.applyFilters }).click();
  const row = admin.getByRole("row").filter({ hasText: "access.denied" }).filter({ hasText: "/admin/audit" });
  await expect(row.first()).toBeVisible();
  await expect(row.first()).toContainText("physician@demo.test");
  await adminContext.close();
});

test("a socket without a session is refused", async ({ page }) => {
  await page.goto("/login");
  const reply = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/socket.io/?EIO=4&transport=websocket`);
        ws.onmessage = (event) => {
          const data = String(event.data);
          if (data.startsWith("0")) ws.send("40");
          else if (data.startsWith("44")) resolve(data);
        };
        ws.onclose = () => resolve("closed");
        setTimeout(() => resolve("timeout"), 5000);
      }),
  );
  expect(reply).toBe('44{"message":"unauthorized"}');
});

test("after signing out, Back shows no case data: pages and their data are never stored, built assets are", async ({ browser }) => {
  // Without scripts every step is a whole document, as on a workstation where Back reloads the page from the browser's cache.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, "physician@demo.test", "en");
  await expect(page).toHaveURL("/cases");
  const caseList = page.getByRole("heading", { name: TEXT.en.home.physician.title });
  await expect(caseList).toBeVisible();
  expect((await page.goto("/cases"))?.headers()["cache-control"]).toBe("private, no-store");
  expect((await page.request.get("/cases.data")).headers()["cache-control"]).toBe("private, no-store");
  const script = await page.locator("link[rel=modulepreload]").first().getAttribute("href");
  expect((await page.request.get(script!)).headers()["cache-control"]).toContain("immutable");

  await signOut(page);
  // Back asks the server for the case list again, which sends a signed-out browser to sign in.
  const back = await page.goBack();
  expect(back?.request().redirectedFrom()?.url()).toMatch(/\/cases$/);
  await expect(page).toHaveURL(/\/login/);
  await expect(caseList).toHaveCount(0);
  await context.close();
});
