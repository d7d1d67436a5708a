import type { Browser, Page } from "@playwright/test";
import { expect, signIn, TEXT, test } from "./fixtures";

const en = TEXT.en;
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));

/** The first Thursday at least three days ahead on which 08:00 in Beijing is 16:00 the day before in Los Angeles (Pacific standard time). */
function nextWinterThursday(): string {
  const day = new Date();
  day.setUTCHours(0, 0, 0, 0);
  day.setUTCDate(day.getUTCDate() + 3);
  const laHour = (instant: Date) => new Intl.DateTimeFormat("en-US", { hour: "2-digit", hourCycle: "h23", timeZone: "America/Los_Angeles" }).format(instant);
  while (day.getUTCDay() !== 4 || laHour(day) !== "16") day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

async function as(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, "en");
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

test("the coordinator schedules a Thursday 08:00 Beijing board, builds its agenda by keyboard, and only the invitees see it", async ({ page, browser }) => {
  // Four people's pages in turn: 38 s alone on a quiet machine, so the default 45 s is too close under load.
  test.setTimeout(120_000);
  const title = `Thoracic board ${Date.now()}`;
  const date = nextWinterThursday();

  // The Wuhan physician is already signed in: the invitation arrives live.
  const physician = await as(browser, "physician@demo.test");
  const physicianNotifications = physician.getByRole("link", { name: /^Notifications/ });
  const unreadBefore = Number((await physicianNotifications.getAttribute("aria-label"))!.match(/\d+/)![0]);

  await signIn(page, "coordinator@demo.test", "en");
  await expect(page).not.toHaveURL(/\/login/);
  await page.getByRole("navigation", { name: en.common.nav.label }).getByRole("link", { name: en.common.nav.sessions }).click();
  await page.getByRole("link", { name: en.sessions.list.new }).click();

  await page.getByLabel(en.sessions.form.title, { exact: true }).fill(title);
  await page.getByLabel(en.sessions.form.date, { exact: true }).fill(date);
  await page.getByLabel(en.sessions.form.time, { exact: true }).fill("08:00");
  await page.getByLabel(en.sessions.form.timeZone, { exact: true }).fill("Asia/Shanghai");
  await page.getByLabel(en.sessions.form.duration, { exact: true }).fill("60");
  await page.getByLabel(en.sessions.form.chair, { exact: true }).selectOption({ label: "Dr. Sarah Miller · Pacific Coast Cancer Center (demo)" });
  await page.getByRole("checkbox", { name: /Dr\. David Park/ }).check();
  // The coordinator is in Los Angeles: Wednesday 16:00 there, Thursday 08:00 in Beijing beside it.
  const preview = page.locator(".session-preview .session-time");
  await expect(preview.locator("time")).toContainText(/Wednesday.*16:00.*Los Angeles/);
  await expect(preview.locator(".session-time-other")).toContainText(/Thursday.*08:00.*Beijing/);
  await page.getByRole("button", { name: en.sessions.form.create }).click();

  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const when = page.locator(".session-when");
  await expect(when.locator("time")).toContainText(/Wednesday.*16:00.*Los Angeles/);
  await expect(when).toContainText(/Thursday.*08:00.*Beijing/);

  // Two Wuhan cases on the agenda.
  const agenda = page.getByRole("region", { name: en.sessions.detail.agenda });
  for (let added = 1; added <= 2; added++) {
    const wuhanCase = page.locator("#agenda-case option").filter({ hasText: "Wuhan" }).first();
    await page.getByLabel(en.sessions.detail.caseToAdd).selectOption((await wuhanCase.getAttribute("value"))!);
    await page.getByRole("button", { name: en.sessions.detail.add }).click();
    await expect(agenda.locator("tbody tr")).toHaveCount(added);
  }
  const codes = await agenda.locator("tbody tr td:nth-child(2) a").allTextContents();

  // Keyboard: the second case moves up; focus stays on it (its Up button is now disabled, so Down).
  await page.getByRole("button", { name: fill(en.sessions.detail.moveUp, { code: codes[1] }) }).focus();
  await page.keyboard.press("Enter");
  await expect(agenda.locator("tbody tr td:nth-child(2) a")).toHaveText([codes[1], codes[0]]);
  await expect(page.getByRole("button", { name: fill(en.sessions.detail.moveDown, { code: codes[1] }) })).toBeFocused();
  await expect(page.getByText(fill(en.sessions.detail.moved, { code: codes[1], position: 1, count: 2 }))).toBeAttached();
  await page.reload();
  await expect(agenda.locator("tbody tr td:nth-child(2) a")).toHaveText([codes[1], codes[0]]);
  // And by mouse: the second row dragged onto the first.
  await agenda.locator("tbody tr").nth(1).dragTo(agenda.locator("tbody tr").nth(0));
  await expect(agenda.locator("tbody tr td:nth-child(2) a")).toHaveText([codes[0], codes[1]]);
  await page.reload();
  await expect(agenda.locator("tbody tr td:nth-child(2) a")).toHaveText([codes[0], codes[1]]);
  const sessionUrl = new URL(page.url()).pathname;

  // On the agenda, a case is SCHEDULED.
  await agenda.getByRole("link", { name: codes[0] }).click();
  await expect(page.locator(".badge", { hasText: en.cases.status.SCHEDULED })).toBeVisible();

  // The physician got the invitation without reloading, and sees the board on Beijing time with Los Angeles beside it.
  await expect(physicianNotifications).toHaveAttribute("aria-label", fill(en.common.notifications.linkLabel, { count: unreadBefore + 1 }));
  await physicianNotifications.click();
  const invitation = physician.getByRole("link", { name: new RegExp(`invited to the tumor board “${title}”`) });
  await expect(invitation).toBeVisible();
  await invitation.click();
  await expect(physician.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(physician.locator(".session-when time")).toContainText(/Thursday.*08:00.*Beijing/);
  await expect(physician.locator(".session-when")).toContainText(/Wednesday.*16:00.*Los Angeles/);
  await expect(physician.getByRole("region", { name: en.sessions.detail.agenda }).locator("tbody tr td:nth-child(2) a")).toHaveText([codes[0], codes[1]]);
  await physician.goto("/sessions");
  await expect(physician.getByRole("link", { name: title })).toBeVisible();

  // The Hangzhou physician is not invited: no session, no Wuhan case code.
  const outsider = await as(browser, "physician2@demo.test");
  await outsider.goto("/sessions");
  await expect(outsider.getByRole("heading", { level: 1, name: en.sessions.list.title })).toBeVisible();
  await expect(outsider.getByRole("link", { name: title })).toHaveCount(0);
  expect((await outsider.goto(sessionUrl))?.status()).toBe(404);
  for (const code of codes) await expect(outsider.locator("body")).not.toContainText(code);

  // The .ics carries the UTC start and nothing clinical.
  const ics = await physician.request.get(`${sessionUrl}/calendar.ics`);
  expect(ics.status()).toBe(200);
  const calendar = await ics.text();
  expect(calendar).toContain(`DTSTART:${date.replace(/-/g, "")}T000000Z`);
  for (const code of codes) expect(calendar).not.toContain(code);

  // Cancelling gives the cases back to review, so later boards can take them.
  await page.goto(`${sessionUrl}/edit`);
  await page.getByRole("button", { name: en.sessions.detail.cancelSession }).click();
  await expect(page.locator(".badge", { hasText: en.sessions.status.CANCELLED })).toBeVisible();
});
