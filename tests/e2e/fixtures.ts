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

/** A locale string with its {{placeholders}} filled in. */
export const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));

/** A page in a browser context of its own, signed in as `email` in `lng`; with `problems`, the context's CSP violations and uncaught errors are collected there. */
export async function signedInPage(browser: Browser, email: string, lng: Lng, { baseURL, problems }: { baseURL?: string; problems?: string[] } = {}) {
  // Given as undefined, baseURL would override the configured one.
  const context = await browser.newContext(baseURL ? { baseURL } : {});
  if (problems) collectPageProblems(context, problems);
  const page = await context.newPage();
  await signIn(page, email, lng);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

/** Names written in both scripts on purpose: the demo people's, and Chinese's own name beside its English one. */
const BILINGUAL_NAMES = ["李伟 Li Wei", "陈静 Chen Jing", "Emily Zhang 张艾米", "王芳 Wang Fang", "Chinese (中文)"];

/**
 * What a reader sees in the other language without being told so: for an English reader every Chinese character (the
 * bilingual names aside), for a Chinese reader the English that the other side wrote (`otherSideTexts`); and for both,
 * every element tagged with the other language. Such text is shown rightly only when it is marked untranslated (a
 * `[data-untranslated]` mark beside it, or in the legend of its group), an original a click away (inside a <details> such as "Original (Chinese)"), or
 * in a column headed with its language; it must then be tagged with its language too. What the reader types, and the
 * language switch's own names, do not count. Answers a line per offending text.
 */
export async function unmarkedForeignText(page: Page, lng: Lng, otherSideTexts: readonly string[] = []): Promise<string[]> {
  return page.evaluate(
    ({ reader, texts, names }) => {
      const foreign = reader === "en" ? "zh-CN" : "en";
      const isForeign = (lang: string | null | undefined) => (foreign === "zh-CN" ? /^zh/i.test(lang ?? "") : /^en/i.test(lang ?? ""));
      const han = /[\u3400-\u9fff\uf900-\ufaff]/;
      const ignored = (el: Element) => el.closest("script, style, noscript, template, textarea, input, select, .language-switch") !== null;
      const oneClickAway = (el: Element) => {
        const details = el.closest("details");
        return details !== null && !details.querySelector(":scope > summary")?.contains(el);
      };
      // The mark sits beside the text (or beside the element holding it), or in the legend of the group the text is in.
      const markedUntranslated = (el: Element) => {
        let holder: Element | null = el;
        for (let depth = 0; holder?.parentElement && depth < 3; depth++, holder = holder.parentElement)
          if (holder.parentElement.querySelector(":scope > [data-untranslated]")) return true;
        return el.closest("fieldset")?.querySelector(":scope > legend [data-untranslated]") != null;
      };
      const inLabelledColumn = (el: Element) => {
        const column = el.closest("[data-column]");
        if (column) return isForeign(column.getAttribute("data-column"));
        return el.closest(".side-by-side > *")?.querySelector(":scope > .lang-label") != null;
      };
      const taggedForeign = (el: Element) => isForeign(el.closest("[lang]")?.getAttribute("lang"));
      const shownRightly = (el: Element) =>
        !el.checkVisibility() || ignored(el) || oneClickAway(el) || (taggedForeign(el) && (markedUntranslated(el) || inLabelledColumn(el)));
      const describe = (el: Element, text: string) =>
        `${text.trim().slice(0, 80)} — in <${el.tagName.toLowerCase()}${el.className ? ` class="${String(el.className)}"` : ""}> lang=${el.closest("[lang]")?.getAttribute("lang")}`;

      const offenders = new Set<string>();
      for (const el of document.body.querySelectorAll("[lang]")) {
        const text = el.textContent?.trim() ?? "";
        if (text && isForeign(el.getAttribute("lang")) && !shownRightly(el)) offenders.add(describe(el, text));
      }
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? "";
        const foreignText = foreign === "zh-CN" ? han.test(names.reduce((rest, name) => rest.split(name).join(""), text)) : texts.some((t) => text.includes(t));
        if (foreignText && node.parentElement && !shownRightly(node.parentElement)) offenders.add(describe(node.parentElement, text));
      }
      return [...offenders];
    },
    { reader: lng, texts: [...otherSideTexts], names: BILINGUAL_NAMES },
  );
}

/** The reader sees their own language, or the other marked untranslated, or an original a click away (`unmarkedForeignText`). */
export async function expectOwnLanguageOrMarked(page: Page, lng: Lng, otherSideTexts: readonly string[] = []) {
  await expect.poll(() => unmarkedForeignText(page, lng, otherSideTexts), { message: `text in the other language, unmarked, on ${page.url()}` }).toEqual([]);
}
