/**
 * Phones and tablets. At 390×844 and 768×1024 every role's main pages fit the
 * screen's width (the page does not scroll sideways and no element sticks out
 * past an edge, except inside a box that scrolls or clips on its own), and a
 * screenshot of each is attached to the report. The header folds into a menu;
 * the case and the opinion read in one column with tappable actions; the
 * viewer fills a phone's screen and answers swipes, pinches and two-finger drags.
 */
import type { ChildProcess } from "node:child_process";
import type { Browser, BrowserContext, CDPSession, Page, TestInfo } from "@playwright/test";
import { ownBoardServer } from "./own-server";
import { collectPageProblems, expect, signIn, TEXT, test, type Lng } from "./fixtures";

const SCREENS = [
  { name: "phone", width: 390, height: 844 },
  { name: "tablet", width: 768, height: 1024 },
] as const;
type Screen = (typeof SCREENS)[number];

const own = ownBoardServer("small-screens");
let server: ChildProcess;
const ids = { sessionId: "", boardCaseId: "", seriesUrl: "", signedCaseId: "", deliveredCaseId: "", draftCaseId: "", packetUrl: "" };

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  server = await own.start();
  const board = own.createBoard();
  ids.sessionId = board.sessionId;
  ids.boardCaseId = board.caseId;
  ids.signedCaseId = own.setUp<{ caseId: string }>("create-signed-opinion-case.ts").caseId;
  ids.deliveredCaseId = own.setUp<{ caseId: string }>("create-signed-opinion-case.ts", "--deliver").caseId;
  ids.draftCaseId = own.setUp<{ caseId: string }>("create-opinion-case.ts").caseId;

  // A packet being written, and an opinion being drafted.
  const physician = await signedIn(browser, "physician@demo.test", "en", SCREENS[1]);
  await physician.getByRole("link", { name: TEXT.en.cases.list.new }).click();
  await expect(physician).toHaveURL(/\/cases\/new$/);
  ids.packetUrl = new URL(physician.url()).pathname;
  await physician.goto(`/cases/${ids.boardCaseId}`);
  ids.seriesUrl = (await physician.getByRole("link", { name: /Series .*3 images/ }).getAttribute("href"))!;
  const consultant = await signedIn(browser, "consultant@demo.test", "en", SCREENS[1]);
  await consultant.goto(`/cases/${ids.draftCaseId}/opinion`);
  await consultant.getByRole("button", { name: TEXT.en.opinions.start.fromBoard }).click();
  await expect(consultant.getByRole("region", { name: TEXT.en.opinions.sections.plan, exact: true })).toBeVisible();
  await Promise.all([physician.context().close(), consultant.context().close()]);
});

test.afterAll(() => {
  server?.kill("SIGKILL");
});

// The pages of these tests' own contexts, like every test's page, run without CSP violations or uncaught errors.
const pageProblems: string[] = [];
test.afterEach(() => {
  expect(pageProblems.splice(0)).toEqual([]);
});

async function onScreen(browser: Browser, screen: Screen): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: own.base, viewport: { width: screen.width, height: screen.height }, isMobile: true, hasTouch: true });
  collectPageProblems(context, pageProblems);
  return context;
}

async function signedIn(browser: Browser, email: string, lng: Lng, screen: Screen): Promise<Page> {
  const page = await (await onScreen(browser, screen)).newPage();
  await signIn(page, email, lng);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

type Tour = { who: string; email: string | null; lng: Lng; pages: () => Record<string, string> };
const TOURS: Tour[] = [
  { who: "signed-out visitor", email: null, lng: "en", pages: () => ({ "sign-in": "/login?lng=en", "sign-in in Chinese": "/login?lng=zh-CN" }) },
  {
    who: "treating physician",
    email: "physician@demo.test",
    lng: "zh-CN",
    pages: () => ({
      cases: "/cases",
      "case page": `/cases/${ids.boardCaseId}`,
      "case packet form": ids.packetUrl,
      viewer: ids.seriesUrl,
      "delivered opinion": `/cases/${ids.deliveredCaseId}/opinion`,
      sessions: "/sessions",
      session: `/sessions/${ids.sessionId}`,
      "board room": `/sessions/${ids.sessionId}/room`,
      "PACS inbox": "/inbox",
      search: "/search?q=%E8%85%BA%E7%99%8C",
      notifications: "/notifications",
      "sign-in security": "/account/security",
    }),
  },
  {
    who: "consultant",
    email: "consultant@demo.test",
    lng: "en",
    pages: () => ({
      queue: "/queue",
      "case page": `/cases/${ids.boardCaseId}`,
      viewer: ids.seriesUrl,
      "opinion draft": `/cases/${ids.draftCaseId}/opinion`,
      "signed opinion": `/cases/${ids.signedCaseId}/opinion`,
      sessions: "/sessions",
      session: `/sessions/${ids.sessionId}`,
      "board room": `/sessions/${ids.sessionId}/room`,
      search: "/search?q=osimertinib",
      notifications: "/notifications",
      glossary: "/glossary",
    }),
  },
  {
    who: "coordinator",
    email: "coordinator@demo.test",
    lng: "en",
    pages: () => ({
      "coordination board": "/board",
      "case page": `/cases/${ids.boardCaseId}`,
      "opinion to deliver": `/cases/${ids.signedCaseId}/opinion`,
      sessions: "/sessions",
      "new session": "/sessions/new",
      session: `/sessions/${ids.sessionId}`,
      "session schedule": `/sessions/${ids.sessionId}/edit`,
      "board room": `/sessions/${ids.sessionId}/room`,
      reports: "/reports",
      search: "/search?q=lung",
      glossary: "/glossary",
      "cross-border ledger": "/compliance/cross-border",
      notifications: "/notifications",
    }),
  },
  {
    who: "administrator",
    email: "admin@demo.test",
    lng: "en",
    pages: () => ({
      accounts: "/admin",
      "new account": "/admin/users/new",
      institutions: "/admin/institutions",
      "new institution": "/admin/institutions/new",
      institution: "/admin/institutions/demo-wuhan",
      "sign-in security": "/admin/security",
      "audit log": "/admin/audit",
      "case metadata": "/cases",
    }),
  },
];

/**
 * What is wider than the screen: the page's scroll width, and each outermost element whose box passes the left or
 * right edge with no box around it that scrolls or clips it (that box is checked itself). Elements moved wholly off
 * screen on purpose (the skip link) do not count. The screen's width is the measure, not innerWidth: a phone widens
 * its layout viewport to the page's content, so innerWidth grows with the overflow it should reveal.
 */
function overflowOf(width: number): { scrollWidth: number; outside: string[] } {
  const sticksOut = (element: Element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > 0 && (box.right > width + 0.5 || box.left < -0.5);
  };
  // A box that clips holds what is laid out inside it; an absolutely placed element only if it is placed in that box or within it.
  const clipped = (element: Element) => {
    const { position } = getComputedStyle(element);
    const placedIn = position === "fixed" ? null : position === "absolute" ? (element as HTMLElement).offsetParent : element.parentElement;
    for (let above = element.parentElement; above && placedIn && above !== document.documentElement; above = above.parentElement)
      if (getComputedStyle(above).overflowX !== "visible" && above.contains(placedIn)) return true;
    return false;
  };
  const offending = [...document.body.querySelectorAll("*")].filter((element) => sticksOut(element) && !clipped(element));
  const outermost = offending.filter((element) => !offending.includes(element.parentElement!));
  const describe = (element: Element) => {
    const box = element.getBoundingClientRect();
    const classes = [...element.classList].map((c) => `.${c}`).join("");
    const text = (element.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 40);
    return `<${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}${classes}> "${text}" from ${Math.round(box.left)} to ${Math.round(box.right)}`;
  };
  return { scrollWidth: document.documentElement.scrollWidth, outside: outermost.map(describe) };
}

/** The page is drawn as its user sees it: live pages connected, the viewer's first slice drawn. */
async function settled(page: Page, signedIn: boolean) {
  if (signedIn) await expect(page.locator(".realtime-status")).toHaveAttribute("data-status", "connected");
  if (page.url().includes("/room")) await expect(page.locator("[data-connection]")).toHaveAttribute("data-connection", "live");
  if (page.url().includes("/series/")) await expect(page.locator(".viewer-viewport")).toHaveAttribute("data-drawn", /^1 /, { timeout: 20_000 });
}

/** A screenshot of the whole page, kept in the test's artifacts (tests/.artifacts/playwright) and attached to its report; never compared. */
async function attachScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name.replace(/[^a-z0-9]+/gi, "-")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

for (const screen of SCREENS)
  for (const tour of TOURS)
    test(`the ${tour.who}'s pages fit a ${screen.name} screen (${screen.width}×${screen.height}), screenshots attached`, async ({ browser }, testInfo) => {
      test.setTimeout(150_000);
      const page = tour.email ? await signedIn(browser, tour.email, tour.lng, screen) : await (await onScreen(browser, screen)).newPage();
      const problems: string[] = [];
      for (const [name, path] of Object.entries(tour.pages())) {
        const response = await page.goto(path);
        expect(response!.status(), path).toBe(200);
        await settled(page, tour.email !== null);
        const { scrollWidth, outside } = await page.evaluate(overflowOf, screen.width);
        if (scrollWidth > screen.width || outside.length > 0)
          problems.push(`${name} (${path}): ${scrollWidth} px wide on a ${screen.width} px screen\n    ${outside.join("\n    ")}`);
        await attachScreenshot(page, testInfo, `${screen.name} ${tour.who} ${name}`);
      }
      expect(problems, problems.join("\n")).toEqual([]);
      await page.context().close();
    });

for (const screen of SCREENS)
  test(`on a ${screen.name} the header folds into a menu button: it opens by keyboard or touch, Escape closes it and gives focus back`, async ({ browser }) => {
    const page = await signedIn(browser, "coordinator@demo.test", "en", screen);
    await settled(page, true);
    const c = TEXT.en.common;
    const menu = page.getByRole("button", { name: c.menu });
    const panel = page.locator(`[id="${await menu.getAttribute("aria-controls")}"]`);
    const navigation = page.getByRole("navigation", { name: c.nav.label });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(navigation).toBeHidden();
    await expect(page.getByRole("button", { name: c.signOut })).toBeHidden();
    expect((await page.locator(".app-header").boundingBox())!.height).toBeLessThan(80);

    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(navigation.getByRole("link", { name: c.nav.board })).toBeFocused();
    for (const part of [navigation, panel.getByRole("button", { name: "中文" }), panel.getByRole("button", { name: c.signOut })])
      await expect(part).toBeVisible();
    expect((await panel.getByRole("button", { name: c.signOut }).boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Escape");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(menu).toBeFocused();
    await expect(navigation).toBeHidden();

    // A tap opens it; a tap inside keeps it open, one on the page outside closes it.
    await menu.tap();
    await panel.getByText("Emily Zhang 张艾米").tap();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await page.getByRole("main").tap({ position: { x: 8, y: 8 } });
    await expect(menu).toHaveAttribute("aria-expanded", "false");

    // Following a link closes it on the new page.
    await menu.tap();
    await navigation.getByRole("link", { name: c.nav.sessions }).tap();
    await expect(page).toHaveURL(/\/sessions$/);
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(navigation).toBeHidden();

    // The language switch and signing out are inside.
    await menu.tap();
    await panel.getByRole("button", { name: "中文" }).tap();
    const zh = TEXT["zh-CN"].common;
    const menuZh = page.getByRole("button", { name: zh.menu });
    await expect(menuZh).toHaveAttribute("aria-expanded", "false");
    await menuZh.tap();
    await panel.getByRole("button", { name: zh.signOut }).tap();
    await expect(page).toHaveURL(/\/login$/);

    // A wide screen shows everything in the header and no menu button.
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, "coordinator@demo.test", "en");
    await expect(navigation).toBeVisible();
    await expect(menu).toBeHidden();
    await page.context().close();
  });

/** Boxes side by side: pairs of the page's blocks that share some height but no width. */
function sideBySide(): string[] {
  const blocks = [...document.querySelectorAll("main :is(section, aside, article, fieldset, dt, dd, .side-by-side > *)")]
    .map((element) => ({ element, box: element.getBoundingClientRect() }))
    .filter(({ box }) => box.width > 0 && box.height > 0);
  const name = (element: Element) => `<${element.tagName.toLowerCase()}> "${(element.textContent ?? "").trim().slice(0, 30)}"`;
  return blocks.flatMap((a, i) =>
    blocks
      .slice(i + 1)
      .filter((b) => a.box.top < b.box.bottom && b.box.top < a.box.bottom && (a.box.right <= b.box.left || b.box.right <= a.box.left))
      .map((b) => `${name(a.element)} beside ${name(b.element)}`),
  );
}

/** Text set smaller than 14 px, and buttons, fields and disclosures less than 44 px tall. */
function smallTextAndTargets(): { smallText: string[]; smallTargets: string[] } {
  const shown = (element: Element) => element.getBoundingClientRect().width > 1 && getComputedStyle(element).visibility !== "hidden";
  const describe = (element: Element) => `<${element.tagName.toLowerCase()}> "${(element.textContent ?? "").trim().slice(0, 30)}"`;
  const smallText = [...document.querySelectorAll("main *")]
    .filter((element) => [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim()))
    .filter((element) => shown(element) && parseFloat(getComputedStyle(element).fontSize) < 14)
    .map((element) => `${describe(element)} ${getComputedStyle(element).fontSize}`);
  const smallTargets = [
    ...document.querySelectorAll(
      'main :is(button, .button-primary, .button-secondary, .button-danger, select, summary, input:not([type="hidden"], [type="checkbox"], [type="radio"], [type="range"]))',
    ),
  ]
    .filter((element) => shown(element) && element.getBoundingClientRect().height < 44)
    .map((element) => `${describe(element)} ${Math.round(element.getBoundingClientRect().height)} px`);
  return { smallText, smallTargets };
}

test("on a phone the case and the opinion read in one column, in text of 14 px or more, with actions at least 44 px tall", async ({ browser }) => {
  const pages = [
    { email: "physician@demo.test", lng: "zh-CN" as const, paths: [`/cases/${ids.boardCaseId}`, `/cases/${ids.deliveredCaseId}/opinion`] },
    { email: "consultant@demo.test", lng: "en" as const, paths: [`/cases/${ids.boardCaseId}`, `/cases/${ids.draftCaseId}/opinion`] },
  ];
  for (const { email, lng, paths } of pages) {
    const page = await signedIn(browser, email, lng, SCREENS[0]);
    for (const path of paths) {
      await page.goto(path);
      await settled(page, true);
      expect(await page.evaluate(sideBySide), path).toEqual([]);
      expect(await page.evaluate(smallTextAndTargets), path).toEqual({ smallText: [], smallTargets: [] });
    }
    await page.context().close();
  }
});

test("on a phone the viewer fills the screen under its tools; one finger swipes through the slices, two pinch to zoom and drag the window", async ({
  browser,
}) => {
  const page = await signedIn(browser, "consultant@demo.test", "en", SCREENS[0]);
  await page.goto(ids.seriesUrl);
  const v = TEXT.en.imaging.viewer;
  const image = page.getByRole("img", { name: /^Image \d of 3$/ });
  await expect(image).toHaveAttribute("data-drawn", /^1 /, { timeout: 20_000 });
  const box = (await image.boundingBox())!;
  expect(box.x).toBe(0);
  expect(box.width).toBe(SCREENS[0].width);
  expect(box.y + box.height).toBeLessThanOrEqual(SCREENS[0].height);
  expect(box.height).toBeGreaterThan(SCREENS[0].height * 0.6);
  expect(await image.locator("canvas").evaluate((canvas: HTMLCanvasElement) => [canvas.width, canvas.height])).toEqual([box.width, Math.round(box.height)]);

  const cdp = await page.context().newCDPSession(page);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  // One finger up by two and a half slices' travel: two slices on, and the page stays put.
  await touch(cdp, [[x, y + 30]], [[x, y - 30]]);
  await expect(image).toHaveAttribute("data-drawn", /^3 /);
  await touch(cdp, [[x, y - 30]], [[x, y + 30]]);
  await expect(image).toHaveAttribute("data-drawn", /^1 /);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);

  // Two fingers moved apart about their midpoint: twice the zoom, the same window.
  const [, center, width] = (await image.getAttribute("data-drawn"))!.split(" ").map(Number);
  await touch(
    cdp,
    [
      [x - 50, y],
      [x + 50, y],
    ],
    [
      [x - 100, y],
      [x + 100, y],
    ],
  );
  await expect(image).toContainText(v.overlayZoom.replace("{{zoom}}", "200"));
  await expect(image).toHaveAttribute("data-drawn", `1 ${center} ${width}`);

  // Two fingers dragged together, right and down: a wider window with a higher center, the zoom kept.
  await touch(
    cdp,
    [
      [x - 60, y - 40],
      [x + 60, y - 40],
    ],
    [
      [x - 20, y + 20],
      [x + 100, y + 20],
    ],
  );
  await expect(image).toHaveAttribute("data-drawn", `1 ${center + 60} ${width + 40}`);
  await expect(image).toContainText(v.overlayZoom.replace("{{zoom}}", "200"));
  await page.context().close();
});

/** Fingers put down at `from`, moved to `to` in steps as a hand does, and lifted (Chromium's own touch input, through the DevTools protocol). */
async function touch(cdp: CDPSession, from: [number, number][], to: [number, number][]) {
  const points = (t: number) => from.map(([x, y], id) => ({ id, x: x + (to[id][0] - x) * t, y: y + (to[id][1] - y) * t }));
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: points(0) });
  for (let step = 1; step <= 8; step++) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: points(step / 8) });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
}
