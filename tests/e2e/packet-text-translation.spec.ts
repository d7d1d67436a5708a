/**
 * The packet's short texts cross sides translated: the English consultant translates a Chinese biomarker note and an
 * uncoded Chinese histology where the case page shows them, the Chinese physician an English specimen; each reader then
 * sees their own language first, who translated it, and the original one click away, in the queue and the board's agenda too.
 */
import type { Locator } from "@playwright/test";
import { expect, fill, signedInPage, TEXT, test } from "./fixtures";
import { onE2eDatabase } from "./own-server";

const en = TEXT.en;
const zh = TEXT["zh-CN"];

let caseId = "";
let code = "";
let sessionId = "";

test.beforeAll(() => {
  ({ id: caseId, code, sessionId } = onE2eDatabase<{ id: string; code: string; sessionId: string }>("tests/support/create-packet-text-case.ts"));
});

/** Opens the translation form beside a text, saves `translation` in the reader's interface language's words, and waits until it is shown. */
async function translate(place: Locator, words: typeof en | typeof zh, into: "en" | "zh-CN", translation: string) {
  const language = words.cases.languages[into];
  await place.getByText(fill(words.common.translation.add, { language }), { exact: true }).click();
  await place.getByLabel(fill(words.common.translation.textLabel, { language })).fill(translation);
  await place.getByRole("button", { name: fill(words.common.translation.save, { language }) }).click();
  await expect(place.locator(`.clinical-value > span[lang="${into}"]`)).toHaveText(translation);
}

test("a Chinese note and histology are read in English and an English specimen in Chinese, each with the original a click away", async ({ browser }) => {
  test.setTimeout(120_000);
  const consultant = await signedInPage(browser, "consultant@demo.test", "en");

  // Before anyone translates, the queue marks the Chinese histology as untranslated.
  await consultant.goto(`/queue?q=${code}`);
  const queued = consultant.getByRole("row").filter({ hasText: code });
  await expect(queued.locator(".clinical-value").filter({ hasText: "浸润性腺癌（腺泡为主型）" }).locator("[data-untranslated]")).toBeVisible();

  // So does the agenda of the board the case is on.
  await consultant.goto(`/sessions/${sessionId}`);
  const onAgenda = consultant.getByRole("region", { name: en.sessions.detail.agenda }).getByRole("row").filter({ hasText: code });
  await expect(onAgenda.locator('span[lang="zh-CN"]', { hasText: "浸润性腺癌（腺泡为主型）" })).toBeVisible();
  await expect(onAgenda.locator("[data-untranslated]")).toHaveText(fill(en.common.translation.untranslated, { language: en.cases.languages["zh-CN"] }));

  await consultant.goto(`/queue?q=${code}`);
  await consultant.getByRole("link", { name: code }).click();
  await expect(consultant).toHaveURL(new RegExp(`/cases/${caseId}$`));
  const biomarker = consultant.getByRole("row").filter({ has: consultant.getByRole("cell", { name: "PD-L1", exact: true }) });
  const note = biomarker.locator(`td[data-label="${en.cases.form.biomarkerNote}"]`);
  await expect(note.locator("[data-untranslated]")).toHaveText(fill(en.cases.coded.untranslated, { language: en.cases.languages["zh-CN"] }));
  await translate(note, en, "en", "22C3 antibody");
  await expect(note.locator("[data-untranslated]")).toHaveCount(0);
  await expect(note.getByText(/^Translated into English by Dr\. Sarah Miller, /)).toBeVisible();
  await expect(note.getByText("22C3抗体")).toBeHidden();
  await note.getByText(fill(en.common.translation.showOriginal, { language: en.cases.languages["zh-CN"] })).click();
  await expect(note.getByText("22C3抗体")).toBeVisible();

  // A rendering other than the glossary's is caught as it is typed, and refused on save with the text kept.
  const histology = consultant.getByRole("definition").filter({ hasText: "浸润性腺癌（腺泡为主型）" });
  const english = en.cases.languages.en;
  await histology.getByText(fill(en.common.translation.add, { language: english }), { exact: true }).click();
  const box = histology.getByLabel(fill(en.common.translation.textLabel, { language: english }));
  await box.fill("Invasive carcinoma, acinar type");
  const check = histology.getByRole("group", { name: en.cases.translationCheck.title });
  await expect(check).toContainText(fill(en.cases.translationCheck.expected, { term: "浸润性腺癌", rendering: "invasive adenocarcinoma" }));
  await histology.getByRole("button", { name: fill(en.common.translation.save, { language: english }) }).click();
  await expect(histology.getByText(en.cases.translation.glossaryMismatch)).toBeVisible();
  await expect(box).toHaveValue("Invasive carcinoma, acinar type");
  await box.fill("Invasive adenocarcinoma, acinar predominant");
  await expect(check).not.toContainText(fill(en.cases.translationCheck.expected, { term: "浸润性腺癌", rendering: "invasive adenocarcinoma" }));
  await histology.getByRole("button", { name: fill(en.common.translation.save, { language: english }) }).click();
  await expect(histology.locator('.clinical-value > span[lang="en"]')).toHaveText("Invasive adenocarcinoma, acinar predominant");

  // The queue now gives the English reader the histology in English, the Chinese a click away.
  await consultant.goto(`/queue?q=${code}`);
  const inList = queued.locator(".clinical-value").filter({ hasText: "Invasive adenocarcinoma, acinar predominant" });
  await expect(inList.locator('span[lang="en"]').first()).toHaveText("Invasive adenocarcinoma, acinar predominant");
  await expect(inList.locator("[data-untranslated]")).toHaveCount(0);
  await expect(inList.getByText("浸润性腺癌（腺泡为主型）")).toBeHidden();
  await inList.getByText(fill(en.common.translation.showOriginal, { language: en.cases.languages["zh-CN"] })).click();
  await expect(inList.getByText("浸润性腺癌（腺泡为主型）")).toBeVisible();
  // And the agenda, unmarked.
  await consultant.goto(`/sessions/${sessionId}`);
  await expect(onAgenda.locator('span[lang="en"]', { hasText: "Invasive adenocarcinoma, acinar predominant" })).toBeVisible();
  await expect(onAgenda.locator("[data-untranslated]")).toHaveCount(0);

  // The Chinese physician reads the note as written, and translates the English specimen.
  const physician = await signedInPage(browser, "physician@demo.test", "zh-CN");
  await physician.goto(`/cases/${caseId}`);
  const row = physician.getByRole("row").filter({ has: physician.getByRole("cell", { name: "PD-L1", exact: true }) });
  const chineseNote = row.locator(`td[data-label="${zh.cases.form.biomarkerNote}"]`);
  await expect(chineseNote.locator('.clinical-value > span[lang="zh-CN"]')).toHaveText("22C3抗体");
  await expect(chineseNote.getByText("22C3 antibody")).toBeHidden();
  const specimen = row.locator(`td[data-label="${zh.cases.summary.specimen}"]`);
  await expect(specimen.locator("[data-untranslated]")).toHaveText(fill(zh.cases.coded.untranslated, { language: zh.cases.languages.en }));
  await translate(specimen, zh, "zh-CN", "石蜡包埋组织块");
  await expect(specimen.getByText(/^由 李伟 Li Wei 译为中文，/)).toBeVisible();
  await specimen.getByText(fill(zh.common.translation.showOriginal, { language: zh.cases.languages.en })).click();
  await expect(specimen.getByText("FFPE block")).toBeVisible();

  // And the English consultant still reads the specimen as written, in English.
  await consultant.goto(`/cases/${caseId}`);
  const englishSpecimen = biomarker.locator(`td[data-label="${en.cases.summary.specimen}"]`);
  await expect(englishSpecimen.locator('.clinical-value > span[lang="en"]')).toHaveText("FFPE block");
  await expect(englishSpecimen.getByText("石蜡包埋组织块")).toBeHidden();
});
