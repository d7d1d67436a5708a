/** The second factor in Chromium: a consultant enrols with a code the test computes, signs in with TOTP, then with a recovery code. */
import { generateSync } from "otplib";
import { expect, signIn, signOut, TEXT, test } from "./fixtures";

const en = TEXT.en;
const PASSWORD = "amber-glacier-violin-73";

test("a consultant enrols a second factor, signs in with a TOTP code, and once with a recovery code", async ({ page, browser }) => {
  await page.goto("/login?lng=en");
  await expect(page.getByText(en.auth.login.demoWithoutSecondFactor)).toBeVisible();
  await signIn(page, "admin@demo.test", "en");
  await page.getByRole("link", { name: en.admin.users.new }).click();
  await page.getByLabel(en.admin.users.email, { exact: true }).fill("lena.berg@demo.test");
  await page.getByLabel(en.admin.users.displayName, { exact: true }).fill("Dr. Lena Berg");
  await page.getByLabel(en.admin.users.role).selectOption("CONSULTANT");
  await page.getByLabel(en.admin.users.institution).selectOption({ label: `Pacific Coast Cancer Center (demo) (${en.admin.institutionKinds.CONSULTING})` });
  await page.getByLabel(en.common.specialties.THORACIC_ONCOLOGY).check();
  await page.getByLabel(en.admin.users.timeZone).fill("America/Los_Angeles");
  await page.getByLabel(en.admin.users.password).fill(PASSWORD);
  await page.getByRole("button", { name: en.admin.users.create }).click();
  await expect(page).toHaveURL("/admin");

  const context = await browser.newContext();
  const consultant = await context.newPage();
  await signIn(consultant, "lena.berg@demo.test", "en", PASSWORD);
  await expect(consultant.getByRole("heading", { level: 1, name: en.auth.mfa.enrolTitle })).toBeVisible();
  const secret = (await consultant.getByTestId("mfa-secret").innerText()).replace(/\s/g, "");
  const enrolCode = generateSync({ secret });
  await consultant.getByLabel(en.auth.mfa.firstCode).fill(enrolCode);
  await consultant.getByRole("button", { name: en.auth.mfa.confirm }).click();
  const codes = consultant.getByRole("list", { name: en.auth.mfa.codesTitle }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const recoveryCode = (await codes.first().innerText()).trim();
  await consultant.getByRole("link", { name: en.auth.mfa.continue }).click();
  await expect(consultant).toHaveURL("/queue");
  await signOut(consultant);

  // Next sign-in: the password, then a fresh code (the one used to enrol is spent).
  await signIn(consultant, "lena.berg@demo.test", "en", PASSWORD);
  await expect(consultant.getByRole("heading", { level: 1, name: en.auth.mfa.verifyTitle })).toBeVisible();
  await consultant.getByLabel(en.auth.mfa.code, { exact: true }).fill(enrolCode);
  await consultant.getByRole("button", { name: en.auth.mfa.verify }).click();
  await expect(consultant.getByRole("alert")).toContainText(en.auth.mfa.wrongCode);
  await consultant.getByLabel(en.auth.mfa.code, { exact: true }).fill(generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
  await consultant.getByRole("button", { name: en.auth.mfa.verify }).click();
  await expect(consultant).toHaveURL("/queue");
  await signOut(consultant);

  await signIn(consultant, "lena.berg@demo.test", "en", PASSWORD);
  await consultant.getByLabel(en.auth.mfa.code, { exact: true }).fill(recoveryCode);
  await consultant.getByRole("button", { name: en.auth.mfa.verify }).click();
  await expect(consultant).toHaveURL("/queue");
  await context.close();
});
