/**
 * A live board in three browsers (the chair, a second consultant and the
 * Wuhan case's physician) against a server of its own, which is killed and
 * restarted in the middle of the session.
 */
import type { Browser, Page } from "@playwright/test";
import { ownBoardServer } from "./own-server";
import { expect, signIn, TEXT, test, type Lng } from "./fixtures";

const r = TEXT.en.room;
const zh = TEXT["zh-CN"].room;

async function participant(browser: Browser, base: string, email: string, roomUrl: string, lng: Lng = "en"): Promise<Page> {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await signIn(page, email, lng);
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto(roomUrl);
  if (lng === "zh-CN") pagesInChinese.add(page);
  await expect(connection(page)).toContainText(TEXT[lng].room.connection.live);
  return page;
}

const pagesInChinese = new WeakSet<Page>();
const lngOf = (page: Page): Lng => (pagesInChinese.has(page) ? "zh-CN" : "en");
const connection = (page: Page) => page.getByRole("status", { name: TEXT[lngOf(page)].room.connection.label });
const chatLines = (page: Page) => page.getByRole("list", { name: TEXT[lngOf(page)].room.chat.messages }).getByRole("listitem");

test("the board follows the chair and the presenter, keeps another hospital out, and loses nothing when the server restarts", async ({ browser }) => {
  test.setTimeout(240_000);
  const own = ownBoardServer("board");
  const base = own.base;
  let server = await own.start();
  try {
    const { sessionId, caseCode } = own.createBoard();
    const roomUrl = `/sessions/${sessionId}/room`;

    const chair = await participant(browser, base, "consultant@demo.test", roomUrl);
    const consultant = await participant(browser, base, "consultant2@demo.test", roomUrl);
    // The Wuhan physician takes part in Chinese.
    const physician = await participant(browser, base, "physician@demo.test", roomUrl, "zh-CN");
    await expect(chair.getByRole("heading", { name: r.presence.title.replace("{{count}}", "3") })).toBeVisible();

    // Another hospital's physician is not invited: no room, and nothing of the Wuhan case.
    const outsider = await (await browser.newContext({ baseURL: base })).newPage();
    await signIn(outsider, "physician2@demo.test", "en");
    await expect(outsider).not.toHaveURL(/\/login/);
    const denied = await outsider.goto(roomUrl);
    expect(denied?.status()).toBe(404);
    await expect(outsider.locator("body")).not.toContainText(caseCode);

    // The chair starts and moves the board to the case; everyone follows.
    await chair.getByRole("button", { name: r.chair.start }).click();
    await chair.getByRole("button", { name: r.agenda.focusNamed.replace("{{code}}", caseCode) }).click();
    for (const page of [chair, consultant, physician])
      await expect(page.getByRole("heading", { name: TEXT[lngOf(page)].room.case.title.replace("{{code}}", caseCode) })).toBeVisible();

    // The presenter (the chair) scrolls to slice 3; the followers' viewers show slice 3.
    const viewport = (page: Page) => page.getByRole("img", { name: lngOf(page) === "en" ? /^Image \d+ of \d+$/ : /^第 \d+ \/ \d+ 幅图像$/ });
    await expect(viewport(chair)).toHaveAttribute("data-slice", "1", { timeout: 20_000 });
    await viewport(chair).focus();
    await chair.keyboard.press("ArrowDown");
    await chair.keyboard.press("ArrowDown");
    await expect(viewport(chair)).toHaveAttribute("data-slice", "3");
    for (const page of [consultant, physician]) await expect(viewport(page)).toHaveAttribute("data-slice", "3");
    // A follower steps away and scrolls alone; the presenter's next move no longer moves them until they follow again.
    await consultant.getByRole("button", { name: r.viewer.stepAway }).click();
    await viewport(consultant).focus();
    await consultant.keyboard.press("Home");
    await expect(viewport(consultant)).toHaveAttribute("data-slice", "1");
    await chair.keyboard.press("ArrowUp");
    await expect(viewport(physician)).toHaveAttribute("data-slice", "2");
    await expect(viewport(consultant)).toHaveAttribute("data-slice", "1");
    await consultant.getByRole("button", { name: r.viewer.follow }).click();
    await chair.keyboard.press("ArrowDown");
    await expect(viewport(consultant)).toHaveAttribute("data-slice", "3");

    // Discussion in both languages.
    await consultant.getByRole("textbox", { name: r.chat.message, exact: true }).fill("EGFR exon 19 deletion: osimertinib first line.");
    await consultant.getByRole("button", { name: r.chat.send }).click();
    await expect(physician.getByLabel(zh.chat.languageLabel)).toHaveValue("zh-CN");
    await physician.getByRole("textbox", { name: zh.chat.message, exact: true }).fill("患者 ECOG 1，无脑转移。");
    await physician.getByRole("button", { name: zh.chat.send }).click();
    for (const page of [chair, consultant, physician]) await expect(chatLines(page)).toHaveCount(2);

    // The server dies. A message written meanwhile waits, and goes once the server is back.
    server.kill("SIGKILL");
    await new Promise((resolve) => server.once("exit", resolve));
    for (const page of [chair, consultant, physician]) await expect(connection(page)).toContainText(TEXT[lngOf(page)].room.connection.reconnecting);
    await consultant.getByRole("textbox", { name: r.chat.message, exact: true }).fill("Written while the server was down.");
    await consultant.getByRole("button", { name: r.chat.send }).click();
    await expect(connection(consultant)).toContainText(r.pending.replace("{{count}}", "1"));
    server = await own.start();
    for (const page of [chair, consultant, physician]) {
      await expect(connection(page)).toContainText(TEXT[lngOf(page)].room.connection.live, { timeout: 30_000 });
      await expect(chatLines(page)).toHaveCount(3);
    }
    // Reloading replays the room from the database: all the chat is there, once.
    await physician.reload();
    await expect(chatLines(physician)).toHaveCount(3);
    await expect(chatLines(physician).nth(1)).toContainText("患者 ECOG 1，无脑转移。");
    await expect(chatLines(physician).nth(2)).toContainText("Written while the server was down.");
    // And the reloaded page shows the presenter's image as it is now, without waiting for the presenter to move.
    await expect(viewport(physician)).toHaveAttribute("data-slice", "3", { timeout: 20_000 });
  } catch (error) {
    console.log(own.logTail());
    throw error;
  } finally {
    server.kill("SIGKILL");
  }
});
