/**
 * The second factor in Chromium: a consultant enrols with a code the test computes, signs in with TOTP, then with a recovery
 * code; another adds a passkey in Chromium's virtual authenticator and signs in with it.
 */
import { generateSync } from "otplib";
import type { Page } from "@playwright/test";
import { expect, signIn, signOut, TEXT, test } from "./fixtures";

const en = TEXT.en;
const PASSWORD = "amber-glacier-violin-73";

/** The administrator creates a consultant, who must set up a second factor at the first sign-in. */
async function createConsultant(page: Page, email: string, name: string) {
  await signIn(page, "admin@demo.test", "en");
  await page.getByRole("link", { name: en.admin.users.new }).click();
  await page.getByLabel(en.admin.users.email, { exact: true }).fill(email);
  await page.getByLabel(en.admin.users.displayName, { exact: true }).fill(name);
  await page.getByLabel(en.admin.users.role).selectOption("CONSULTANT");
  await page.getByLabel(en.admin.users.institution).selectOption({ label: `Pacific Coast Cancer Center (demo) (${en.admin.institutionKinds.CONSULTING})` });
  await page.getByLabel(en.common.specialties.THORACIC_ONCOLOGY).check();
  await page.getByLabel(en.admin.users.timeZone).fill("America/Los_Angeles");
  await page.getByLabel(en.admin.users.password).fill(PASSWORD);
  await page.getByRole("button", { name: en.admin.users.create }).click();
  await expect(page).toHaveURL("/admin");
}

/** The first sign-in: the key read from the page, the first code computed here; the recovery codes shown once. */
async function enrol(page: Page): Promise<{ secret: string; enrolCode: string; recoveryCode: string }> {
  await expect(page.getByRole("heading", { level: 1, name: en.auth.mfa.enrolTitle })).toBeVisible();
  const secret = (await page.getByTestId("mfa-secret").innerText()).replace(/\s/g, "");
  const enrolCode = generateSync({ secret });
  await page.getByLabel(en.auth.mfa.firstCode).fill(enrolCode);
  await page.getByRole("button", { name: en.auth.mfa.confirm }).click();
  const codes = page.getByRole("list", { name: en.auth.mfa.codesTitle }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const recoveryCode = (await codes.first().innerText()).trim();
  await page.getByRole("link", { name: en.auth.mfa.continue }).click();
  await expect(page).toHaveURL(/\/queue$/);
  return { secret, enrolCode, recoveryCode };
}

test("a consultant enrols a second factor, signs in with a TOTP code, and once with a recovery code", async ({ page, browser }) => {
  await page.goto("/login?lng=en");
  await expect(page.getByText(en.auth.login.demoWithoutSecondFactor)).toBeVisible();
  await createConsultant(page, "lena.berg@demo.test", "Dr. Lena Berg");

  const context = await browser.newContext();
  const consultant = await context.newPage();
  await signIn(consultant, "lena.berg@demo.test", "en", PASSWORD);
  const { secret, enrolCode, recoveryCode } = await enrol(consultant);
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

test("a consultant adds a passkey and signs in with it instead of a code, until it is removed", async ({ page, browser }, testInfo) => {
  await createConsultant(page, "kenji.sato@demo.test", "Dr. Kenji Sato");
  // WebAuthn takes a domain as the relying party, not an IP address: this browser uses the server by the name localhost.
  const context = await browser.newContext({ baseURL: String(testInfo.project.use.baseURL).replace("127.0.0.1", "localhost") });
  const consultant = await context.newPage();
  const cdp = await context.newCDPSession(consultant);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await signIn(consultant, "kenji.sato@demo.test", "en", PASSWORD);
  const { secret } = await enrol(consultant);

  await consultant.getByRole("link", { name: en.auth.mfa.navLink }).click();
  await consultant.getByRole("button", { name: en.auth.passkeys.add }).click();
  await expect(consultant.getByRole("alert")).toContainText(en.auth.passkeys.nameRequired);
  await consultant.getByLabel(en.auth.passkeys.name).fill("Office laptop");
  await consultant.getByLabel(en.auth.mfa.signCode).fill(generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
  await consultant.getByRole("button", { name: en.auth.passkeys.add }).click();
  await expect(consultant.getByText(en.auth.passkeys.added)).toBeVisible();
  await expect(consultant.getByRole("list", { name: en.auth.passkeys.listLabel })).toContainText(`Office laptop`);
  await expect(consultant.getByRole("list", { name: en.auth.passkeys.listLabel })).toContainText(en.auth.passkeys.neverUsed);
  expect((await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials).toHaveLength(1);
  await signOut(consultant);

  await signIn(consultant, "kenji.sato@demo.test", "en", PASSWORD);
  await expect(consultant.getByRole("heading", { level: 1, name: en.auth.mfa.verifyTitle })).toBeVisible();
  await consultant.getByRole("button", { name: en.auth.passkeys.use }).click();
  await expect(consultant).toHaveURL(/\/queue$/);
  await consultant.getByRole("link", { name: en.auth.mfa.navLink }).click();
  await expect(consultant.getByRole("list", { name: en.auth.passkeys.listLabel })).not.toContainText(en.auth.passkeys.neverUsed);

  // Removed, it is no longer offered at sign-in, and the authenticator app's code is asked for.
  await consultant.getByRole("button", { name: en.auth.passkeys.remove.replace("{{name}}", "Office laptop") }).click();
  await expect(consultant.getByText(en.auth.passkeys.removed)).toBeVisible();
  await expect(consultant.getByText(en.auth.passkeys.none)).toBeVisible();
  await signOut(consultant);
  await signIn(consultant, "kenji.sato@demo.test", "en", PASSWORD);
  await expect(consultant.getByRole("heading", { level: 1, name: en.auth.mfa.verifyTitle })).toBeVisible();
  await expect(consultant.getByRole("button", { name: en.auth.passkeys.use })).toHaveCount(0);
  expect((await consultant.request.get("/login/passkey")).status()).toBe(404);
  await context.close();
});
