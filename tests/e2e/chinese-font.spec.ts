/**
 * Chinese renders on machines without a CJK system font: the interface's web
 * font (a subset of Noto Sans SC) is fetched, cached for a year and draws the
 * Chinese text, headings included; where the system has a Chinese font, that
 * font draws it and the web font is not even fetched. Which font drew a text
 * is read from Chromium (DevTools' platform fonts of the node), not from a
 * screenshot.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, TEXT, test } from "./fixtures";

const WEB_FONT_URL = /\/assets\/noto-sans-sc-ui-[\w-]+\.woff2$/;
const login = TEXT["zh-CN"].auth.login;

/** The font files of this machine that have Chinese glyphs, as fontconfig lists them. */
function chineseSystemFonts(): string[] {
  try {
    return execFileSync("fc-list", [":lang=zh", "file"], { encoding: "utf8" })
      .split("\n")
      .map((line) => line.replace(/:\s*$/, "").trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** The login page in Chinese, once its fonts have settled, and the fonts Chromium drew its heading and introduction with. */
async function chineseLoginFonts(page: Page) {
  await page.goto("/login?lng=zh-CN");
  const heading = page.getByRole("heading", { level: 1, name: login.title });
  const intro = page.getByText(login.intro);
  await expect(intro).toBeVisible();
  await page.evaluate(() => document.fonts.ready);
  const devtools = await page.context().newCDPSession(page);
  await devtools.send("DOM.enable");
  await devtools.send("CSS.enable");
  const fontsOf = async (element: typeof intro) => {
    await element.evaluate((node) => node.setAttribute("data-font-probe", ""));
    const { root } = await devtools.send("DOM.getDocument");
    const { nodeId } = await devtools.send("DOM.querySelector", { nodeId: root.nodeId, selector: "[data-font-probe]" });
    const { fonts } = await devtools.send("CSS.getPlatformFontsForNode", { nodeId });
    await element.evaluate((node) => node.removeAttribute("data-font-probe"));
    return fonts.map((font) => font.postScriptName);
  };
  return { heading: await fontsOf(heading), intro: await fontsOf(intro) };
}

test("without a CJK system font, the Chinese text is drawn with the web font, served for a year", async ({ playwright, launchOptions, baseURL }) => {
  // fontconfig as on a machine without Chinese fonts: every font file with Chinese glyphs rejected.
  const config = test.info().outputPath("fonts.conf");
  const rejected = chineseSystemFonts().map((file) => `<glob>${file}</glob>`);
  writeFileSync(
    config,
    `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>` +
      `<include ignore_missing="yes">/etc/fonts/fonts.conf</include><cachedir>${test.info().outputPath("font-cache")}</cachedir>` +
      `<selectfont><rejectfont>${rejected.join("")}</rejectfont></selectfont></fontconfig>`,
  );
  const browser = await playwright.chromium.launch({ ...launchOptions, env: { ...process.env, FONTCONFIG_FILE: config } });
  try {
    const page = await (await browser.newContext({ baseURL })).newPage();
    const fontResponse = page.waitForResponse((response) => WEB_FONT_URL.test(new URL(response.url()).pathname));
    const fonts = await chineseLoginFonts(page);
    const response = await fontResponse;
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(await page.evaluate(() => document.fonts.check('16px "Chinese UI"', "北京"))).toBe(true);
    expect(await page.evaluate(() => [...document.fonts].map((face) => face.status))).toEqual(["loaded", "loaded"]);
    expect(fonts).toEqual({ heading: ["NotoSansSC-Regular"], intro: ["NotoSansSC-Regular"] });
  } finally {
    await browser.close();
  }
});

test("with a CJK system font, the Chinese text is drawn with it and the web font is not fetched", async ({ page }) => {
  test.skip(chineseSystemFonts().length === 0, "this machine has no Chinese system font to prefer");
  const fetched: string[] = [];
  page.on("request", (request) => {
    if (WEB_FONT_URL.test(new URL(request.url()).pathname)) fetched.push(request.url());
  });
  const fonts = await chineseLoginFonts(page);
  expect(fonts.heading).toHaveLength(1);
  expect(fonts.intro).toHaveLength(1);
  expect([...fonts.heading, ...fonts.intro]).not.toContain("NotoSansSC-Regular");
  expect(fetched).toEqual([]);
});
