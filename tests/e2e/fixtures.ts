import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import enAdmin from "../../locales/en/admin.json" with { type: "json" };
import enAuth from "../../locales/en/auth.json" with { type: "json" };
import enCases from "../../locales/en/cases.json" with { type: "json" };
import enCommon from "../../locales/en/common.json" with { type: "json" };
import enHome from "../../locales/en/home.json" with { type: "json" };
import enImaging from "../../locales/en/imaging.json" with { type: "json" };
import enRoom from "../../locales/en/room.json" with { type: "json" };
import enOpinions from "../../locales/en/opinions.json" with { type: "json" };
import enSessions from "../../locales/en/sessions.json" with { type: "json" };
import zhAdmin from "../../locales/zh-CN/admin.json" with { type: "json" };
import zhAuth from "../../locales/zh-CN/auth.json" with { type: "json" };
import zhCases from "../../locales/zh-CN/cases.json" with { type: "json" };
import zhCommon from "../../locales/zh-CN/common.json" with { type: "json" };
import zhHome from "../../locales/zh-CN/home.json" with { type: "json" };
import zhImaging from "../../locales/zh-CN/imaging.json" with { type: "json" };
import zhRoom from "../../locales/zh-CN/room.json" with { type: "json" };
import zhOpinions from "../../locales/zh-CN/opinions.json" with { type: "json" };
import zhSessions from "../../locales/zh-CN/sessions.json" with { type: "json" };
import enReports from "../../locales/en/reports.json" with { type: "json" };
import zhReports from "../../locales/zh-CN/reports.json" with { type: "json" };
import enSearch from "../../locales/en/search.json" with { type: "json" };
import zhSearch from "../../locales/zh-CN/search.json" with { type: "json" };
import enPdf from "../../locales/en/pdf.json" with { type: "json" };
import zhPdf from "../../locales/zh-CN/pdf.json" with { type: "json" };

export const DEMO_PASSWORD = "demo-tumorboard-2026";
export const TEXT = {
  en: {
    auth: enAuth,
    common: enCommon,
    home: enHome,
    admin: enAdmin,
    cases: enCases,
    imaging: enImaging,
    sessions: enSessions,
    room: enRoom,
    opinions: enOpinions,
    reports: enReports,
    search: enSearch,
    pdf: enPdf,
  },
  "zh-CN": {
    auth: zhAuth,
    common: zhCommon,
    home: zhHome,
    admin: zhAdmin,
    cases: zhCases,
    imaging: zhImaging,
    sessions: zhSessions,
    room: zhRoom,
    opinions: zhOpinions,
    reports: zhReports,
    search: zhSearch,
    pdf: zhPdf,
  },
};
export type Lng = keyof typeof TEXT;

/** Collects CSP violations and uncaught errors of every page in a browser context. */
export function collectPageProblems(context: BrowserContext, problems: string[]) {
  context.on("console", (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect)/i.test(message.text())) problems.push(message.text());
  });
  context.on("weberror", (error) => problems.push(`uncaught: ${error.error().message}`));
}

/** Every page in every test must run without CSP violations or uncaught errors. */
export const test = base.extend<{ pageProblems: string[] }>({
  pageProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      collectPageProblems(page.context(), problems);
      await use(problems);
      expect(problems).toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export async function signIn(page: Page, email: string, lng: Lng = "en", password = DEMO_PASSWORD) {
  const text = TEXT[lng];
  await page.goto(`/login?lng=${lng}`);
  await page.getByLabel(text.auth.login.email, { exact: true }).fill(email);
  await page.getByLabel(text.auth.login.password, { exact: true }).fill(password);
  await page.getByRole("button", { name: text.auth.login.submit }).click();
}

/** A page in a browser context of its own, signed in as `email` reading `lng`. */
export async function signedInPage(browser: Browser, email: string, lng: Lng): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, lng);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

/** A locale string with its {{placeholders}} filled in, as i18next does. */
export const filled = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));

/** Starts a case from the case list as a treating physician: the case exists once the form's first field is saved, at /cases/<id>/edit. */
export async function startCase(page: Page, lng: Lng = "en") {
  await page.getByRole("link", { name: TEXT[lng].cases.list.new }).click();
  await page.getByLabel(TEXT[lng].cases.form.age, { exact: true }).fill("61");
  await expect(page).toHaveURL(/\/edit$/);
}

export async function signOut(page: Page, lng: Lng = "en") {
  await page.getByRole("button", { name: TEXT[lng].common.signOut }).click();
  await expect(page).toHaveURL(/\/login$/);
}
