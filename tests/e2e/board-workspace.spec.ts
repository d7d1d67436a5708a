/**
 * The live room as one screen at 1280×720, with three people: the chair, a
 * second consultant and the coordinator observing (made co-chair by the
 * chair). The page never scrolls, the wheel over the image moves slices only,
 * a vote shows your choice and can be changed, and the end of the board
 * leads each of them on to the case's opinion.
 */
import type { Browser, Page } from "@playwright/test";
import { ownBoardServer } from "./own-server";
import { expect, signIn, TEXT, test } from "./fixtures";

const r = TEXT.en.room;
const joinCall = TEXT.en.sessions.meeting.joinWith.replace("{{provider}}", TEXT.en.sessions.meeting.providers.JITSI);
const named = (text: string, values: Record<string, string>) => Object.entries(values).reduce((s, [k, v]) => s.replace(`{{${k}}}`, v), text);

async function participant(browser: Browser, base: string, email: string, roomUrl: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await signIn(page, email, "en");
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto(roomUrl);
  await expect(page.getByRole("status", { name: r.connection.label })).toContainText(r.connection.live);
  return page;
}

const viewport = (page: Page) => page.getByRole("img", { name: /^Image \d+ of \d+$/ });
const tab = (page: Page, name: string) => page.getByRole("tab", { name });

async function expectOneScreen(page: Page) {
  const { scrollHeight, innerHeight, scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollHeight: document.scrollingElement!.scrollHeight,
    innerHeight: window.innerHeight,
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollHeight).toBeLessThanOrEqual(innerHeight);
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  await expect(page.getByRole("heading", { name: r.agenda.title })).toBeInViewport();
  await expect(viewport(page)).toBeInViewport({ ratio: 1 });
  await expect(page.getByRole("tablist")).toBeInViewport();
  await expect(tab(page, r.chat.title)).toBeInViewport();
}

test("a three-person board is one screen at 1280×720, and its end leads each participant to the case's opinion", async ({ browser }) => {
  test.setTimeout(240_000);
  const own = ownBoardServer("workspace");
  const base = own.base;
  const server = await own.start();
  try {
    const { sessionId, caseCode } = own.createBoard({ report: true });
    const roomUrl = `/sessions/${sessionId}/room`;

    const chair = await participant(browser, base, "consultant@demo.test", roomUrl);
    const consultant = await participant(browser, base, "consultant2@demo.test", roomUrl);
    // The coordinator who scheduled the board is not invited, yet opens the room to observe.
    const coordinator = await participant(browser, base, "coordinator@demo.test", roomUrl);
    const everyone = [chair, consultant, coordinator];
    await expect(chair.getByRole("heading", { name: named(r.presence.title, { count: "3" }) })).toBeVisible();
    await expect(chair.getByRole("list").filter({ hasText: r.presence.observer })).toBeVisible();
    await expect(coordinator.getByRole("button", { name: r.chair.start })).toHaveCount(0);

    // The call is one click away, in a window of its own.
    for (const page of everyone) {
      const call = page.getByRole("link", { name: joinCall });
      await expect(call).toHaveAttribute("href", "https://meet.jit.si/tumorboard-thoracic");
      await expect(call).toHaveAttribute("target", "_blank");
    }

    // The chair makes the coordinator co-chair, starts, and opens the case.
    await chair.getByLabel(r.chair.coChair).selectOption({ label: "Emily Zhang 张艾米" });
    await chair.getByRole("button", { name: r.chair.coChairAppoint }).click();
    await expect(coordinator.getByRole("button", { name: r.chair.start })).toBeVisible();
    await chair.getByRole("button", { name: r.chair.start }).click();
    await chair.getByRole("button", { name: named(r.agenda.focusNamed, { code: caseCode }) }).click();
    for (const page of everyone) {
      await expect(page.getByRole("heading", { name: named(r.case.title, { code: caseCode }) })).toBeVisible();
      await expect(viewport(page)).toHaveAttribute("data-slice", "1", { timeout: 20_000 });
      await expectOneScreen(page);
    }
    // The case itself is one click away.
    await tab(consultant, r.tabs.case).click();
    await expect(consultant.getByRole("tabpanel")).toBeVisible();
    await expect(tab(consultant, r.tabs.case)).toHaveAttribute("aria-selected", "true");
    await expectOneScreen(consultant);

    // The image takes the free space in the centre, and is drawn there.
    const box = (await viewport(chair).boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(500);
    expect(box.height).toBeGreaterThanOrEqual(280);
    expect(
      await viewport(chair)
        .locator("canvas")
        .evaluate((canvas) => canvas.getBoundingClientRect().height),
    ).toBeGreaterThanOrEqual(280);
    await expect(viewport(chair)).toHaveAttribute("data-drawn", /^1 /, { timeout: 20_000 });

    // The wheel over the image moves the presenter's slices, never the page, and the followers follow.
    await chair.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await chair.mouse.wheel(0, 120);
    await expect(viewport(chair)).toHaveAttribute("data-slice", "2");
    await chair.mouse.wheel(0, 120);
    await expect(viewport(chair)).toHaveAttribute("data-slice", "3");
    expect(await chair.evaluate(() => window.scrollY)).toBe(0);
    await expect(viewport(consultant)).toHaveAttribute("data-slice", "3");
    await expect(viewport(consultant)).toHaveAttribute("data-drawn", /^3 /);
    // Below 900 px the columns stack and the page scrolls, but still not under the wheel over the image.
    await chair.setViewportSize({ width: 800, height: 600 });
    await viewport(chair).scrollIntoViewIfNeeded();
    const scrolled = await chair.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(0);
    const narrow = (await viewport(chair).boundingBox())!;
    await chair.mouse.move(narrow.x + narrow.width / 2, Math.max(narrow.y, 0) + 60);
    await chair.mouse.wheel(0, -120);
    await expect(viewport(chair)).toHaveAttribute("data-slice", "2");
    expect(await chair.evaluate(() => window.scrollY)).toBe(scrolled);
    await chair.setViewportSize({ width: 1280, height: 720 });
    await expectOneScreen(chair);

    // The case's SR measurements are listed beside the image: choosing one shows its slice, drawn, to everyone following.
    await chair.getByText(named(r.viewer.reports, { count: "1" })).click();
    await chair.getByRole("button", { name: /Length 1.*slice 2$/ }).click();
    for (const page of [chair, consultant]) {
      await expect(viewport(page)).toHaveAttribute("data-drawn", /^2 /);
      await expect(viewport(page).locator(".viewer-sr-annotations polyline")).toHaveCount(1);
    }
    await chair.getByText(named(r.viewer.reports, { count: "1" })).click();
    await expectOneScreen(chair);

    // F steps away and follows again, but not while typing a message.
    await consultant.keyboard.press("f");
    await expect(consultant.getByRole("button", { name: r.viewer.follow })).toBeVisible();
    await consultant.keyboard.press("f");
    await expect(consultant.getByRole("button", { name: r.viewer.stepAway })).toBeVisible();
    await tab(consultant, r.chat.title).click();
    await consultant.getByRole("textbox", { name: r.chat.message, exact: true }).fill("");
    await consultant.getByRole("textbox", { name: r.chat.message, exact: true }).pressSequentially("f");
    await expect(consultant.getByRole("textbox", { name: r.chat.message, exact: true })).toHaveValue("f");
    await expect(consultant.getByRole("button", { name: r.viewer.stepAway })).toBeVisible();

    // A vote shows your own choice, and can be changed until it is closed.
    await tab(chair, r.polls.title).click();
    await chair.getByLabel(r.polls.question).fill("Osimertinib first line?");
    await chair.getByLabel(r.polls.options).fill("yes, no");
    await chair.getByRole("button", { name: r.polls.open }).click();
    await tab(consultant, r.polls.title).click();
    const voteYes = consultant.getByRole("button", { name: named(r.polls.voteFor, { option: "yes" }) });
    const voteNo = consultant.getByRole("button", { name: named(r.polls.voteFor, { option: "no" }) });
    await voteYes.click();
    await expect(voteYes).toHaveAttribute("aria-pressed", "true");
    await expect(consultant.getByRole("listitem").filter({ has: voteYes })).toContainText(r.polls.yourChoice);
    await voteNo.click();
    await expect(voteNo).toHaveAttribute("aria-pressed", "true");
    await expect(voteYes).toHaveAttribute("aria-pressed", "false");
    await expect(consultant.getByRole("listitem").filter({ has: voteNo })).toContainText(r.polls.yourChoice);
    await expect(consultant.getByRole("listitem").filter({ has: voteYes })).not.toContainText(r.polls.yourChoice);
    await expect(chair.getByTestId(/^tally-\d+-0$/)).toHaveText(named(r.polls.votes_other, { count: "0" }));
    await expect(chair.getByTestId(/^tally-\d+-1$/)).toHaveText(named(r.polls.votes, { count: "1" }));
    await chair.getByRole("button", { name: r.polls.close }).click();
    await expect(consultant.getByRole("button", { name: named(r.polls.voteFor, { option: "yes" }) })).toHaveCount(0);
    const chosen = consultant.getByRole("listitem").filter({ hasText: r.polls.yourChoice });
    await expect(chosen).toHaveCount(1);
    await expect(chosen).toContainText(/^no/);

    // The board's summary, then the co-chair ends the board.
    await tab(chair, r.summary.title).click();
    await chair.getByLabel(r.summary.label).fill("Board agrees: osimertinib first line; MRI brain in 3 months.");
    await chair.getByRole("button", { name: r.summary.save }).click();
    coordinator.once("dialog", (dialog) => void dialog.accept());
    await coordinator.getByRole("button", { name: r.chair.end }).click();

    for (const page of everyone) {
      await expect(page.getByRole("heading", { name: r.ended.title })).toBeVisible();
      const ended = page.getByRole("article", { name: new RegExp(named(r.case.title, { code: caseCode })) });
      await expect(ended).toContainText("Board agrees: osimertinib first line");
      await expect(ended).toContainText(r.ended.discussed);
      await expect(ended.getByRole("link", { name: named(r.ended.opinion, { code: caseCode }) })).toBeVisible();
      // Nothing stale: no chair's panel, no "now discussing", no call to join.
      await expect(page.getByRole("heading", { name: r.chair.title, exact: true })).toHaveCount(0);
      await expect(page.getByText(r.agenda.now)).toHaveCount(0);
      await expect(page.getByRole("link", { name: joinCall })).toHaveCount(0);
    }
    await chair.getByRole("link", { name: named(r.ended.opinion, { code: caseCode }) }).click();
    await expect(chair).toHaveURL(/\/cases\/[^/]+\/opinion$/);
    await expect(chair.getByRole("heading", { name: named(TEXT.en.opinions.page.title, { code: caseCode }), level: 1 })).toBeVisible();
  } catch (error) {
    console.log(own.logTail());
    throw error;
  } finally {
    server.kill("SIGKILL");
  }
});
