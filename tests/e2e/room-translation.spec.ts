/**
 * Translation across the two sides of a live board, in three browsers: the
 * English-speaking chair, the Wuhan physician in Chinese, and the board's
 * interpreter. What one side writes reaches the other marked untranslated;
 * once the interpreter translates it, everyone sees it in their own language
 * at once, with the original a click away. The interpreter reads and
 * translates, and has nothing else to do in the room.
 */
import type { Browser, Locator, Page } from "@playwright/test";
import { ownBoardServer } from "./own-server";
import { expect, signIn, TEXT, test, type Lng } from "./fixtures";

const en = TEXT.en;
const zh = TEXT["zh-CN"];
const fill = (text: string, values: Record<string, string>) => Object.entries(values).reduce((s, [k, v]) => s.replace(`{{${k}}}`, v), text);

async function participant(browser: Browser, base: string, email: string, roomUrl: string, lng: Lng): Promise<Page> {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await signIn(page, email, lng);
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto(roomUrl);
  await expect(page.getByRole("status", { name: TEXT[lng].room.connection.label })).toContainText(TEXT[lng].room.connection.live);
  return page;
}

const untranslatedMark = (scope: Locator) => scope.locator("[data-untranslated]");

test("the interpreter translates a message, a vote and the summary, and each side reads them in its own language with the original a click away", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const own = ownBoardServer("translation");
  const server = await own.start();
  try {
    const { sessionId, caseCode } = own.createBoard({ interpreter: true });
    const roomUrl = `/sessions/${sessionId}/room`;
    const chair = await participant(browser, own.base, "consultant@demo.test", roomUrl, "en");
    const physician = await participant(browser, own.base, "physician@demo.test", roomUrl, "zh-CN");
    const interpreter = await participant(browser, own.base, "interpreter@demo.test", roomUrl, "en");

    await chair.getByRole("button", { name: en.room.chair.start }).click();
    await chair.getByRole("button", { name: fill(en.room.agenda.focusNamed, { code: caseCode }) }).click();
    await expect(interpreter.getByRole("heading", { name: fill(en.room.case.title, { code: caseCode }) })).toBeVisible();
    // The interpreter follows the discussion, not the case: no images, no case tab, nothing to write, vote or summarise.
    await expect(interpreter.getByText(en.room.case.notShown)).toBeVisible();
    await expect(interpreter.getByRole("tab", { name: en.room.tabs.case })).toHaveCount(0);
    await expect(interpreter.getByRole("textbox", { name: en.room.chat.message, exact: true })).toHaveCount(0);
    await expect(interpreter.getByRole("button", { name: en.room.chair.end })).toHaveCount(0);

    // The physician asks in Chinese; the chair gets it marked as untranslated.
    const question = "一线奥希替尼治疗前是否需要做脑部MRI？";
    await physician.getByRole("textbox", { name: zh.room.chat.message, exact: true }).fill(question);
    await physician.getByRole("button", { name: zh.room.chat.send }).click();
    const chairLine = chair.getByRole("list", { name: en.room.chat.messages }).getByRole("listitem").first();
    await expect(chairLine).toContainText(question);
    await expect(untranslatedMark(chairLine)).toHaveText(fill(en.common.translation.untranslated, { language: en.cases.languages["zh-CN"] }));

    // The interpreter translates it into English.
    const interpreterLine = interpreter.getByRole("list", { name: en.room.chat.messages }).getByRole("listitem").first();
    await interpreterLine
      .getByRole("button", {
        name: fill(en.room.translate.openNamed, { subject: fill(en.room.translate.messageOf, { name: "李伟 Li Wei" }), language: en.cases.languages.en }),
      })
      .click();
    // An empty translation is refused in the interpreter's words, and nothing is sent.
    await interpreterLine.getByRole("button", { name: fill(en.common.translation.save, { language: en.cases.languages.en }) }).click();
    await expect(interpreterLine.getByText(en.common.translation.textRequired)).toBeVisible();
    // The brand name instead of the glossary's generic name is refused, naming the term, until the interpreter accepts it.
    const answer = "Is a brain MRI needed before first-line Tagrisso?";
    await interpreterLine.getByLabel(fill(en.common.translation.textLabel, { language: en.cases.languages.en })).fill(answer);
    await interpreterLine.getByRole("button", { name: fill(en.common.translation.save, { language: en.cases.languages.en }) }).click();
    await expect(interpreter.getByRole("alert")).toHaveText(en.room.errors.glossaryMismatch);
    await expect(interpreterLine.getByRole("group", { name: en.cases.translationCheck.title })).toContainText(
      fill(en.cases.translationCheck.expected, { term: "奥希替尼", rendering: "osimertinib" }),
    );
    await expect(untranslatedMark(chairLine)).toBeVisible();
    await interpreterLine.getByLabel(fill(en.cases.translationCheck.acceptAnyway, { term: "奥希替尼" })).check();
    await interpreterLine.getByRole("button", { name: fill(en.common.translation.save, { language: en.cases.languages.en }) }).click();

    // The chair now reads it in English, by whom it was translated, and the Chinese original one click away.
    await expect(chairLine).toContainText(answer);
    await expect(untranslatedMark(chairLine)).toHaveCount(0);
    await expect(chairLine).toContainText("王芳 Wang Fang");
    await expect(chairLine.getByText(question)).toBeHidden();
    await chairLine.getByText(fill(en.common.translation.showOriginal, { language: en.cases.languages["zh-CN"] })).click();
    await expect(chairLine.getByText(question)).toBeVisible();
    // The physician reads their own words as written.
    const physicianLine = physician.getByRole("list", { name: zh.room.chat.messages }).getByRole("listitem").first();
    await expect(physicianLine).toContainText(question);
    await expect(untranslatedMark(physicianLine)).toHaveCount(0);

    // The chair's vote reaches the physician untranslated, then in Chinese once the interpreter translates it.
    await chair.getByRole("tab", { name: en.room.polls.title }).click();
    await chair.getByLabel(en.room.polls.question).fill("Brain MRI before osimertinib?");
    await chair.getByLabel(en.room.polls.options).fill("yes, no");
    await chair.getByRole("button", { name: en.room.polls.open }).click();
    await physician.getByRole("tab", { name: zh.room.polls.title }).click();
    const physicianPoll = physician.getByRole("group").filter({ hasText: "Brain MRI before osimertinib?" });
    await expect(untranslatedMark(physicianPoll)).toHaveText(fill(zh.common.translation.untranslated, { language: zh.cases.languages.en }));
    await interpreter.getByRole("tab", { name: en.room.polls.title }).click();
    await expect(interpreter.getByRole("button", { name: fill(en.room.polls.voteFor, { option: "yes" }) })).toHaveCount(0);
    await interpreter
      .getByRole("button", {
        name: fill(en.room.translate.openNamed, {
          subject: fill(en.room.translate.vote, { question: "Brain MRI before osimertinib?" }),
          language: en.cases.languages["zh-CN"],
        }),
      })
      .click();
    await interpreter.getByLabel(fill(en.room.translate.questionLabel, { language: en.cases.languages["zh-CN"] })).fill("奥希替尼治疗前做脑部MRI？");
    await interpreter.getByLabel(fill(en.room.translate.optionLabel, { option: "yes", language: en.cases.languages["zh-CN"] })).fill("是");
    await interpreter.getByLabel(fill(en.room.translate.optionLabel, { option: "no", language: en.cases.languages["zh-CN"] })).fill("否");
    await interpreter.getByRole("button", { name: fill(en.common.translation.save, { language: en.cases.languages["zh-CN"] }) }).click();
    const translatedPoll = physician.getByRole("group", { name: /奥希替尼治疗前做脑部MRI？/ });
    await expect(untranslatedMark(translatedPoll)).toHaveCount(0);
    await translatedPoll.getByRole("button", { name: fill(zh.room.polls.voteFor, { option: "是" }) }).click();
    await expect(chair.getByTestId(/^tally-\d+-0$/)).toHaveText(fill(en.room.polls.votes, { count: "1" }));
    await translatedPoll.getByText(fill(zh.common.translation.showOriginal, { language: zh.cases.languages.en })).click();
    await expect(translatedPoll.getByText("Brain MRI before osimertinib?")).toBeVisible();

    // The chair's summary, translated by the interpreter, reaches the physician in Chinese.
    const summary = "Osimertinib 80 mg daily first line; brain MRI every 3 months.";
    await chair.getByRole("tab", { name: en.room.summary.title }).click();
    await chair.getByLabel(en.room.summary.label).fill(summary);
    await chair.getByRole("button", { name: en.room.summary.save }).click();
    await physician.getByRole("tab", { name: zh.room.summary.title }).click();
    const physicianSummary = physician.getByRole("tabpanel");
    await expect(physicianSummary).toContainText(summary);
    await expect(untranslatedMark(physicianSummary)).toHaveCount(1);
    await interpreter.getByRole("tab", { name: en.room.summary.title }).click();
    await expect(interpreter.getByLabel(en.room.summary.label)).toHaveCount(0);
    await interpreter
      .getByRole("button", { name: fill(en.room.translate.openNamed, { subject: en.room.translate.summary, language: en.cases.languages["zh-CN"] }) })
      .click();
    const chineseSummary = "一线奥希替尼 80 mg 每日一次；每3个月复查脑部MRI。";
    await interpreter.getByLabel(fill(en.common.translation.textLabel, { language: en.cases.languages["zh-CN"] })).fill(chineseSummary);
    await interpreter.getByRole("button", { name: fill(en.common.translation.save, { language: en.cases.languages["zh-CN"] }) }).click();
    await expect(physicianSummary).toContainText(chineseSummary);
    await expect(untranslatedMark(physicianSummary)).toHaveCount(0);
    await expect(physicianSummary.getByText(summary)).toBeHidden();

    // When the board ends, the physician keeps the summary in Chinese, the original a click away.
    chair.once("dialog", (dialog) => void dialog.accept());
    await chair.getByRole("button", { name: en.room.chair.end }).click();
    const ended = physician.getByRole("article", { name: new RegExp(fill(zh.room.case.title, { code: caseCode })) });
    await expect(ended).toContainText(chineseSummary);
    await ended.getByText(fill(zh.common.translation.showOriginal, { language: zh.cases.languages.en })).click();
    await expect(ended.getByText(summary)).toBeVisible();
  } catch (error) {
    console.log(own.logTail());
    throw error;
  } finally {
    server.kill("SIGKILL");
  }
});
