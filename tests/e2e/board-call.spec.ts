/**
 * The board's call is handed off to the meeting tool the programme uses: the
 * session page and the room offer the configured Zoom meeting (with its
 * passcode) to those who may enter the room and to nobody else; the room's
 * join button opens the meeting in a window of its own while the shared
 * viewer keeps a second participant in step, and the chair moves between the
 * agenda's cases with N and P.
 */
import type { Browser, Page } from "@playwright/test";
import { ownBoardServer } from "./own-server";
import { expect, signIn, TEXT, test } from "./fixtures";

const r = TEXT.en.room;
const s = TEXT.en.sessions;
const named = (text: string, values: Record<string, string>) => Object.entries(values).reduce((t, [k, v]) => t.replace(`{{${k}}}`, v), text);
const ZOOM_JOIN = "https://zoom.us/j/84512345678";

async function signedIn(browser: Browser, base: string, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await signIn(page, email, "en");
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

async function enterRoom(page: Page, roomUrl: string) {
  await page.goto(roomUrl);
  await expect(page.getByRole("status", { name: r.connection.label })).toContainText(r.connection.live);
}

const viewport = (page: Page) => page.getByRole("img", { name: /^Image \d+ of \d+$/ });
const joinName = named(s.meeting.joinWith, { provider: s.meeting.providers.ZOOM });

test("the room's join button opens the board's Zoom meeting in a new window while the shared viewer stays in sync", async ({ browser }) => {
  test.setTimeout(240_000);
  const own = ownBoardServer("call");
  const server = await own.start();
  try {
    const { sessionId, caseCode, secondCaseCode } = own.createBoard({ twoCases: true, zoom: true });
    const roomUrl = `/sessions/${sessionId}/room`;

    // The session page shows the call, built from the meeting ID, with its passcode.
    const chair = await signedIn(browser, own.base, "consultant@demo.test");
    await chair.goto(`/sessions/${sessionId}`);
    const sessionCall = chair.getByRole("link", { name: joinName });
    await expect(sessionCall).toHaveAttribute("href", ZOOM_JOIN);
    await expect(sessionCall).toHaveAttribute("target", "_blank");
    await expect(chair.getByText(named(s.meeting.passcode, { passcode: "tb2026" }))).toBeVisible();

    // Nobody outside the board is shown the call: an interpreter who is not invited gets no room and no link.
    const outsider = await signedIn(browser, own.base, "interpreter@demo.test");
    expect((await outsider.goto(roomUrl))?.status()).toBe(404);
    expect((await outsider.goto(`/sessions/${sessionId}`))?.status()).toBe(404);
    await expect(outsider.locator("body")).not.toContainText("zoom.us");
    await expect(outsider.locator("body")).not.toContainText("tb2026");

    await enterRoom(chair, roomUrl);
    const consultant = await signedIn(browser, own.base, "consultant2@demo.test");
    await enterRoom(consultant, roomUrl);
    for (const page of [chair, consultant]) {
      const call = page.getByRole("link", { name: joinName });
      await expect(call).toHaveAttribute("href", ZOOM_JOIN);
      await expect(call).toHaveAttribute("target", "_blank");
      await expect(call).toHaveAttribute("rel", "noopener noreferrer");
      await expect(page.getByText(named(s.meeting.passcode, { passcode: "tb2026" }))).toBeVisible();
    }

    // The chair starts; N opens the first case, N the next, P the one before.
    await chair.getByRole("button", { name: r.chair.start }).click();
    await expect(chair.getByRole("button", { name: r.chair.end })).toBeVisible();
    await chair.keyboard.press("n");
    for (const page of [chair, consultant]) await expect(page.getByRole("heading", { name: named(r.case.title, { code: caseCode }) })).toBeVisible();
    await chair.keyboard.press("n");
    for (const page of [chair, consultant]) await expect(page.getByRole("heading", { name: named(r.case.title, { code: secondCaseCode! }) })).toBeVisible();
    await chair.keyboard.press("p");
    for (const page of [chair, consultant]) await expect(page.getByRole("heading", { name: named(r.case.title, { code: caseCode }) })).toBeVisible();
    for (const page of [chair, consultant]) await expect(viewport(page)).toHaveAttribute("data-slice", "1", { timeout: 20_000 });

    // The meeting opens in a window of its own; the stand-in answers for zoom.us, which this machine cannot reach.
    await chair.context().route("https://zoom.us/**", (route) => route.fulfill({ contentType: "text/html", body: "<title>Zoom</title><p>Zoom stand-in</p>" }));
    const [meeting] = await Promise.all([chair.context().waitForEvent("page"), chair.getByRole("link", { name: joinName }).click()]);
    await meeting.waitForLoadState();
    expect(meeting.url()).toBe(ZOOM_JOIN);
    await expect(meeting.getByText("Zoom stand-in")).toBeVisible();
    // noopener: the meeting's window has no handle on the room.
    expect(await meeting.evaluate(() => window.opener)).toBeNull();
    await expect(chair).toHaveURL(new RegExp(`${roomUrl}$`));

    // With the call open beside it, the room still leads: the presenter's slices reach the second participant.
    await viewport(chair).focus();
    await chair.keyboard.press("ArrowDown");
    await chair.keyboard.press("ArrowDown");
    await expect(viewport(chair)).toHaveAttribute("data-slice", "3");
    await expect(viewport(consultant)).toHaveAttribute("data-slice", "3");
    await expect(viewport(consultant)).toHaveAttribute("data-drawn", /^3 /);
    await meeting.close();
    await chair.keyboard.press("ArrowUp");
    await expect(viewport(consultant)).toHaveAttribute("data-slice", "2");
    await expect(chair.getByRole("status", { name: r.connection.label })).toContainText(r.connection.live);
  } catch (error) {
    console.log(own.logTail());
    throw error;
  } finally {
    server.kill("SIGKILL");
  }
});
