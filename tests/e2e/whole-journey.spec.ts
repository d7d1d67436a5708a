/**
 * The whole journey of a case across the border, each person in a browser of their own: the Wuhan physician works
 * in Chinese, the coordinator and two consultants in English, and the board has an interpreter. The physician submits
 * a Chinese packet; the coordinator returns it with a reason, which she then translates, and the physician corrects
 * and resubmits; the coordinator translates the packet, assigns both consultants and puts the case on a board; in the
 * room each side writes in its own language and the interpreter translates; a consultant drafts and signs the opinion
 * with its reviewed Chinese, the coordinator delivers it, and the physician reads it in Chinese, acknowledges it and
 * asks a follow-up, which is translated, answered and translated back.
 *
 * At every step each reader sees their own language, or the other marked untranslated, or an original a click away
 * (`expectOwnLanguageOrMarked`). Every step that waits for someone reaches them by email, through a real SMTP server,
 * naming the case and nothing clinical.
 */
import type { Locator, Page } from "@playwright/test";
import { bodyOf, decodedSubjectOf, startMailbox } from "../support/mailbox";
import { ownBoardServer } from "./own-server";
import { expect, expectOwnLanguageOrMarked, fill, signedInPage, startCase, TEXT, test, type Lng } from "./fixtures";

const en = TEXT.en;
const zh = TEXT["zh-CN"];
const CHINESE = en.cases.languages["zh-CN"];
const ENGLISH = en.cases.languages.en;

/** What the physician writes, in Chinese. */
const SITE = "右肺上叶";
const HISTOLOGY = "浸润性腺癌（腺泡为主型）";
const URGENCY_REASON = "脑部病灶进展，需尽快确定治疗方案。";
const HISTORY = "2026年3月因咳嗽就诊，CT示右肺上叶占位，穿刺活检病理为浸润性腺癌，EGFR 19号外显子缺失。一线奥希替尼治疗，2026年9月出现脑部寡进展。";
const HISTORY_ADDED = "2026年10月20日脑部MRI：右额叶单发脑转移灶，直径8毫米，无症状。";
const QUESTION = "脑部寡进展后是否继续奥希替尼并联合立体定向放射外科治疗？";
const BIOMARKER_NOTE = "组织标本检测";
const REGIMEN = "80 mg 每日一次";
const CHAT_ZH = "右额叶病灶8毫米，患者无神经系统症状。";
const FOLLOW_UP = "若脑部病灶再次进展，是否考虑更换为其他EGFR抑制剂？";

/** What the other side writes, in English, and its translations. */
const RETURN_REASON = "Please add the date and result of the most recent brain MRI.";
const RETURN_REASON_ZH = "请补充最近一次脑部MRI的日期和结果。";
const HISTORY_EN =
  "Seen in March 2026 for cough; CT showed a right upper lobe mass; biopsy showed invasive adenocarcinoma with EGFR exon 19 deletion. " +
  "First-line osimertinib; brain oligoprogression in September 2026. Brain MRI on 20 October 2026: a single right frontal brain metastasis, 8 mm, asymptomatic.";
const QUESTION_EN = "After brain oligoprogression, should osimertinib be continued together with stereotactic radiosurgery?";
const CHAT_EN = "A single small lesion: local treatment while continuing osimertinib is reasonable.";
const CHAT_EN_ZH = "单个小病灶：继续奥希替尼的同时行局部治疗是合理的。";
const CHAT_ZH_EN = "Right frontal lesion of 8 mm; the patient has no neurological symptoms.";
const POLL = { question: "Continue osimertinib with stereotactic radiosurgery to the brain lesion?", options: ["yes", "no"] };
const POLL_ZH = { question: "继续奥希替尼并对脑部病灶行立体定向放射外科治疗？", options: ["是", "否"] };
const SUMMARY = "Continue osimertinib 80 mg daily; stereotactic radiosurgery to the right frontal lesion; brain MRI every 3 months.";
const SUMMARY_ZH = "继续奥希替尼 80 mg 每日一次；右额叶病灶行立体定向放射外科治疗；每3个月复查脑部MRI。";
const PLAN = { treatment: "Continue osimertinib", regimen: "Osimertinib 80 mg daily" };
const PLAN_ZH = { treatment: "继续奥希替尼", regimen: "奥希替尼 80 mg 每日一次" };
const ANSWER = "Yes: continue osimertinib and treat the brain metastasis with stereotactic radiosurgery.";
const ANSWER_ZH = "是：继续奥希替尼，并对脑转移灶行立体定向放射外科治疗。";
const FOLLOW_UP_EN = "If the brain lesion progresses again, should we switch to another EGFR inhibitor?";
const FOLLOW_UP_ANSWER = "Only if the disease progresses more widely; a second local treatment comes first. Please send us the next MRI.";
const FOLLOW_UP_ANSWER_ZH = "仅在疾病更广泛进展时考虑；应先行第二次局部治疗。请将下一次MRI发给我们。";

/** The English the physician must never meet unmarked. */
const ENGLISH_FROM_THE_OTHER_SIDE = [
  RETURN_REASON,
  HISTORY_EN,
  QUESTION_EN,
  CHAT_EN,
  CHAT_ZH_EN,
  POLL.question,
  SUMMARY,
  PLAN.treatment,
  PLAN.regimen,
  ANSWER,
  FOLLOW_UP_EN,
  FOLLOW_UP_ANSWER,
];
/** What no notification may carry: the diagnosis, the narratives, the drugs, and whatever the two sides wrote to each other. */
const CLINICAL = [
  SITE,
  "腺癌",
  "adenocarcinoma",
  "Adenocarcinoma",
  "lung",
  "EGFR",
  "奥希替尼",
  "osimertinib",
  "Osimertinib",
  "MRI",
  "脑",
  URGENCY_REASON,
  HISTORY,
  HISTORY_ADDED,
  QUESTION,
  BIOMARKER_NOTE,
  CHAT_ZH,
  CHAT_EN,
  SUMMARY,
  RETURN_REASON,
  RETURN_REASON_ZH,
  FOLLOW_UP,
  FOLLOW_UP_ANSWER,
];

const dayAfterTomorrowInBeijing = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date(Date.now() + 2 * 86_400_000));

test("a case crosses the border and back, each reader in their own language or told it is untranslated, and each step mailed without clinical content", async ({
  browser,
}) => {
  test.setTimeout(900_000);
  const mailbox = await startMailbox();
  const own = ownBoardServer("journey", { SMTP_URL: mailbox.url });
  const server = await own.start();
  const problems: string[] = [];
  const as = (email: string, lng: Lng) => signedInPage(browser, email, lng, { baseURL: own.base, problems });

  let caseId = "";
  let code = "";
  /** Waits until `to` has received `count` mails titled `subject`; each names the case, links to `page` of it and carries nothing clinical. */
  async function expectMails(to: string, subject: string, page: "case" | "opinion", count = 1) {
    const received = () => mailbox.mails.filter((mail) => mail.to.includes(to) && decodedSubjectOf(mail) === subject);
    await expect.poll(() => received().length, { message: `mails to ${to}: ${subject}`, timeout: 30_000 }).toBe(count);
    expect(subject).toContain(code);
    for (const mail of received()) {
      const body = bodyOf(mail);
      expect(body).toContain(code);
      expect(body).toMatch(new RegExp(`https?://[^\\s]+/cases/${caseId}${page === "opinion" ? "/opinion" : ""}\\s`));
    }
  }

  try {
    const physician = await as("physician@demo.test", "zh-CN");
    const coordinator = await as("coordinator@demo.test", "en");

    await test.step("the physician writes the packet in Chinese, coded where codes exist, and submits it; the coordinators are mailed", async () => {
      await startCase(physician, "zh-CN");
      caseId = /\/cases\/([^/]+)\/edit$/.exec(physician.url())![1];
      const form = zh.cases.form;
      /** Each field by its exact label: a string is typed, `{ option }` chosen. */
      const enter = async (scope: Page | Locator, fields: [string, string | { option: string }][]) => {
        for (const [label, value] of fields) {
          const field = scope.getByLabel(label, { exact: true });
          await (typeof value === "string" ? field.fill(value) : field.selectOption(value.option));
        }
      };
      await enter(physician, [
        [form.sex, { option: "MALE" }],
        [form.cancerType, { option: "SOLID" }],
        [form.icd10, "C34.1"],
        [form.primarySiteCode, "C34.1"],
      ]);
      await expect(physician.getByText(fill(form.chosen, { title: "C34.1 肺上叶" }))).toBeVisible();
      await enter(physician, [
        [form.primarySite, SITE],
        [form.icdO3, "8140/3"],
      ]);
      await expect(physician.getByText(fill(form.chosen, { title: "8140/3 腺癌，非特指" }))).toBeVisible();
      await enter(physician, [
        [form.histology, HISTOLOGY],
        [form.diagnosisDate, "2026-03-02"],
        [form.tnmT, { option: "T2a" }],
        [form.tnmN, { option: "N2" }],
        [form.tnmM, { option: "M1c" }],
        [form.stageGroup, { option: "IVB" }],
        [form.ecog, { option: "1" }],
        [form.urgency, { option: "URGENT" }],
        [form.urgencyReason, URGENCY_REASON],
      ]);
      await physician.getByRole("textbox", { name: form.clinicalHistory, exact: true }).fill(HISTORY);

      await physician.getByRole("button", { name: form.addBiomarker }).click();
      await enter(physician.getByRole("group", { name: fill(form.biomarkerN, { n: 1 }) }), [
        [form.gene, { option: "EGFR" }],
        [form.alterationType, { option: "EXON19_DELETION" }],
        [form.method, { option: "NGS" }],
        [form.resultCode, { option: "POSITIVE" }],
        [form.vaf, "23.1"],
        [form.biomarkerNote, BIOMARKER_NOTE],
      ]);

      await physician.getByRole("button", { name: form.addLine }).click();
      await enter(physician.getByRole("group", { name: fill(form.lineN, { n: 1 }) }), [
        [fill(form.drugN, { n: 1 }), "奥希替尼"],
        [form.regimen, REGIMEN],
        [form.startDate, "2026-04-01"],
        [form.bestResponse, { option: "PR" }],
      ]);

      await physician.getByLabel(fill(form.questionN, { n: 1 }), { exact: true }).fill(QUESTION);
      await physician.getByLabel(zh.common.specialties.THORACIC_ONCOLOGY, { exact: true }).check();
      await physician.getByLabel(zh.common.specialties.MEDICAL_ONCOLOGY, { exact: true }).check();
      await enter(physician, [
        [form.consentDate, "2026-10-01"],
        [form.consentForm, { option: "WRITTEN" }],
        [form.consentRecipient, { option: "太平洋海岸癌症中心（演示）" }],
        [form.consentPurpose, "跨境第二诊疗意见"],
      ]);
      await physician.getByRole("checkbox", { name: zh.cases.dataCategories.CLINICAL_HISTORY, exact: true }).check();
      await physician.getByRole("checkbox", { name: zh.cases.dataCategories.GENOMICS, exact: true }).check();

      await physician.getByRole("button", { name: form.submit }).click();
      await expect(physician).toHaveURL(`${own.base}/cases/${caseId}`);
      await expect(physician.locator(".badge", { hasText: zh.cases.status.SUBMITTED })).toBeVisible();
      code = (await physician.getByRole("heading", { level: 1 }).textContent())!;
      await expectOwnLanguageOrMarked(physician, "zh-CN");
      await expectMails("coordinator@demo.test", fill(en.cases.email.subject.caseSubmitted, { code }), "case");
    });

    await test.step("the coordinator reads it in English and returns it; the physician is mailed and reads the reason marked untranslated", async () => {
      await coordinator.goto("/board");
      const row = coordinator.getByRole("row").filter({ hasText: code });
      await expect(row).toContainText("C34.1 Upper lobe, lung");
      await expect(row).toContainText("8140/3 Adenocarcinoma, NOS");
      await expectOwnLanguageOrMarked(coordinator, "en");
      await coordinator.getByRole("link", { name: code }).click();
      await expect(coordinator.getByRole("row").filter({ hasText: "osimertinib" })).toContainText(en.cases.responses.PR);
      await expect(coordinator.getByText(BIOMARKER_NOTE)).toBeVisible();
      await expectOwnLanguageOrMarked(coordinator, "en");

      await coordinator.getByLabel(en.cases.actions.returnReason).fill(RETURN_REASON);
      await coordinator.getByRole("button", { name: en.cases.actions.return }).click();
      await expect(coordinator.locator(".badge", { hasText: en.cases.status.RETURNED })).toBeVisible();
      await expectMails("physician@demo.test", fill(zh.cases.email.subject.caseReturned, { code }), "case");

      await physician.reload();
      const note = physician.getByRole("note", { name: zh.cases.view.returnedBecause });
      await expect(note.locator('p[lang="en"]')).toHaveText(RETURN_REASON);
      await expect(note.locator("[data-untranslated]")).toHaveText(fill(zh.common.translation.untranslated, { language: zh.cases.languages.en }));
      await expectOwnLanguageOrMarked(physician, "zh-CN", ENGLISH_FROM_THE_OTHER_SIDE);
      await physician.goto("/notifications");
      const returned = physician.getByRole("listitem").filter({ hasText: fill(zh.cases.notifications.caseReturned, { code }) });
      await expect(returned.locator("[data-untranslated]")).toBeVisible();
      await expectOwnLanguageOrMarked(physician, "zh-CN", ENGLISH_FROM_THE_OTHER_SIDE);
    });

    await test.step("the coordinator translates the reason; the physician reads it in Chinese, the English a click away, corrects and resubmits", async () => {
      const note = coordinator.getByRole("note", { name: en.cases.view.returnedBecause });
      await note.getByText(fill(en.common.translation.add, { language: CHINESE })).click();
      await note.getByLabel(fill(en.common.translation.textLabel, { language: CHINESE })).fill(RETURN_REASON_ZH);
      await note.getByRole("button", { name: fill(en.common.translation.save, { language: CHINESE }) }).click();
      await expect(note.getByText(fill(en.common.translation.edit, { language: CHINESE }))).toBeVisible();
      await expectOwnLanguageOrMarked(coordinator, "en");

      await physician.goto(`/cases/${caseId}`);
      const reason = physician.getByRole("note", { name: zh.cases.view.returnedBecause });
      await expect(reason.locator('p[lang="zh-CN"]')).toHaveText(RETURN_REASON_ZH);
      await expect(reason.locator("[data-untranslated]")).toHaveCount(0);
      await expect(reason.getByText(RETURN_REASON)).toBeHidden();
      await reason.getByText(fill(zh.common.translation.showOriginal, { language: zh.cases.languages.en })).click();
      await expect(reason.getByText(RETURN_REASON)).toBeVisible();
      await expectOwnLanguageOrMarked(physician, "zh-CN", ENGLISH_FROM_THE_OTHER_SIDE);

      await physician.getByRole("link", { name: zh.cases.view.edit }).click();
      await expect(physician).toHaveURL(/\/edit$/);
      await expect(physician.getByRole("note", { name: zh.cases.view.returnedBecause }).locator('p[lang="zh-CN"]')).toHaveText(RETURN_REASON_ZH);
      await expectOwnLanguageOrMarked(physician, "zh-CN", ENGLISH_FROM_THE_OTHER_SIDE);
      await physician.getByRole("textbox", { name: zh.cases.form.clinicalHistory, exact: true }).fill(HISTORY + HISTORY_ADDED);
      await physician.getByRole("button", { name: zh.cases.form.submit }).click();
      await expect(physician).toHaveURL(`${own.base}/cases/${caseId}`);
      await expect(physician.locator(".badge", { hasText: zh.cases.status.SUBMITTED })).toBeVisible();
      await expectOwnLanguageOrMarked(physician, "zh-CN", ENGLISH_FROM_THE_OTHER_SIDE);
      await expectMails("coordinator@demo.test", fill(en.cases.email.subject.caseSubmitted, { code }), "case", 2);
    });

    await test.step("the coordinator translates the packet and assigns both consultants, who are each mailed and read it in English", async () => {
      await coordinator.reload();
      for (const [title, translation] of [
        [en.cases.form.clinicalHistory, HISTORY_EN],
        [fill(en.cases.form.questionN, { n: 1 }), QUESTION_EN],
      ]) {
        const narrative = coordinator.getByRole("region", { name: title });
        await narrative.getByText(en.cases.translation.add, { exact: true }).click();
        await narrative.getByLabel(fill(en.cases.translation.textLabel, { title })).fill(translation);
        await narrative.getByLabel(en.cases.translation.statusLabel).selectOption("REVIEWED");
        await narrative.getByRole("button", { name: fill(en.cases.translation.save, { title }) }).click();
        await expect(narrative.locator('p[lang="en"]')).toHaveText(translation);
      }
      await expectOwnLanguageOrMarked(coordinator, "en");

      await coordinator.getByRole("link", { name: en.cases.actions.triage }).click();
      await coordinator.getByLabel(en.cases.assign.filter).selectOption("");
      await coordinator.getByRole("button", { name: en.cases.list.apply }).click();
      await coordinator.getByRole("radio", { name: /^Dr\. Sarah Miller/ }).check();
      await coordinator.getByRole("checkbox", { name: "Dr. David Park", exact: true }).check();
      await coordinator.getByRole("button", { name: en.cases.assign.submit }).click();
      await expect(coordinator.locator(".badge", { hasText: en.cases.status.TRIAGED })).toBeVisible();
      for (const consultant of ["consultant@demo.test", "consultant2@demo.test"])
        await expectMails(consultant, fill(en.cases.email.subject.caseAssigned, { code }), "case");
    });

    const chair = await as("consultant@demo.test", "en");
    const consultant2 = await as("consultant2@demo.test", "en");
    await test.step("each consultant finds the case in the queue and reads it in English, the Chinese as entered a click away", async () => {
      for (const consultant of [chair, consultant2]) {
        await consultant.goto("/queue");
        await expect(consultant.getByRole("row").filter({ hasText: code })).toContainText("8140/3 Adenocarcinoma, NOS");
        await expectOwnLanguageOrMarked(consultant, "en");
        await consultant.getByRole("link", { name: code }).click();
        const history = consultant.getByRole("region", { name: en.cases.form.clinicalHistory });
        await expect(history.locator('p[lang="en"]')).toHaveText(HISTORY_EN);
        const site = consultant.getByRole("definition").filter({ hasText: "C34.1 Upper lobe, lung" });
        await expect(site.getByText(SITE)).toBeHidden();
        await expectOwnLanguageOrMarked(consultant, "en");
      }
    });

    let sessionId = "";
    await test.step("the coordinator schedules a board with the case on its agenda; each side reads the agenda's diagnosis in its language", async () => {
      await coordinator.goto("/sessions/new");
      const form = en.sessions.form;
      await coordinator.getByLabel(form.title, { exact: true }).fill("Thoracic board");
      await coordinator.getByLabel(form.date, { exact: true }).fill(dayAfterTomorrowInBeijing());
      await coordinator.getByLabel(form.time, { exact: true }).fill("09:00");
      await coordinator.getByLabel(form.timeZone, { exact: true }).fill("Asia/Shanghai");
      await coordinator.getByLabel(form.duration, { exact: true }).fill("60");
      await coordinator.getByLabel(form.chair, { exact: true }).selectOption({ label: "Dr. Sarah Miller · Pacific Coast Cancer Center (demo)" });
      await coordinator.getByRole("checkbox", { name: /Dr\. David Park/ }).check();
      await coordinator.getByRole("checkbox", { name: /王芳 Wang Fang/ }).check();
      await coordinator.getByRole("button", { name: form.create }).click();
      await expect(coordinator.getByRole("heading", { level: 1, name: "Thoracic board" })).toBeVisible();
      sessionId = /\/sessions\/([^/?]+)/.exec(coordinator.url())![1];
      const option = coordinator.locator("#agenda-case option").filter({ hasText: code });
      await coordinator.getByLabel(en.sessions.detail.caseToAdd).selectOption((await option.getAttribute("value"))!);
      await coordinator.getByRole("button", { name: en.sessions.detail.add }).click();
      const agenda = coordinator.getByRole("region", { name: en.sessions.detail.agenda });
      await expect(agenda.locator("tbody tr")).toHaveCount(1);
      await expect(agenda.locator("tbody tr")).toContainText("Upper lobe, lung · Adenocarcinoma, NOS");
      await expectOwnLanguageOrMarked(coordinator, "en");

      await physician.goto(`/sessions/${sessionId}`);
      await expect(physician.getByRole("region", { name: zh.sessions.detail.agenda }).locator("tbody tr")).toContainText(`${SITE} · ${HISTOLOGY}`);
      await expectOwnLanguageOrMarked(physician, "zh-CN", ENGLISH_FROM_THE_OTHER_SIDE);
    });

    await test.step("in the room each side writes in its language; the interpreter translates; chat, vote, summary and case reach each reader in their language or marked untranslated", async () => {
      const roomUrl = `/sessions/${sessionId}/room`;
      const interpreter = await as("interpreter@demo.test", "en");
      const english = [chair, consultant2, interpreter];
      const everyone: [Page, Lng][] = [...english.map((page): [Page, Lng] => [page, "en"]), [physician, "zh-CN"]];
      for (const [page, lng] of everyone) {
        await page.goto(roomUrl);
        await expect(page.getByRole("status", { name: TEXT[lng].room.connection.label })).toContainText(TEXT[lng].room.connection.live);
      }
      const everyoneReadsTheirLanguage = async () => {
        for (const [page, lng] of everyone) await expectOwnLanguageOrMarked(page, lng, lng === "zh-CN" ? ENGLISH_FROM_THE_OTHER_SIDE : []);
      };
      const chatLine = (page: Page, lng: Lng, n: number) => page.getByRole("list", { name: TEXT[lng].room.chat.messages }).getByRole("listitem").nth(n);
      const untranslatedMark = (scope: Locator) => scope.locator("[data-untranslated]");

      await chair.getByRole("button", { name: en.room.chair.start }).click();
      await chair.getByRole("button", { name: fill(en.room.agenda.focusNamed, { code }) }).click();
      for (const [page, lng] of everyone) await expect(page.getByRole("heading", { name: fill(TEXT[lng].room.case.title, { code }) })).toBeVisible();

      // The chair writes in English, the physician in Chinese: each reaches the other side marked untranslated.
      await chair.getByRole("textbox", { name: en.room.chat.message, exact: true }).fill(CHAT_EN);
      await chair.getByRole("button", { name: en.room.chat.send }).click();
      await expect(chatLine(physician, "zh-CN", 0)).toContainText(CHAT_EN);
      await expect(untranslatedMark(chatLine(physician, "zh-CN", 0))).toHaveText(fill(zh.common.translation.untranslated, { language: zh.cases.languages.en }));
      await physician.getByRole("textbox", { name: zh.room.chat.message, exact: true }).fill(CHAT_ZH);
      await physician.getByRole("button", { name: zh.room.chat.send }).click();
      for (const page of english) {
        await expect(chatLine(page, "en", 1)).toContainText(CHAT_ZH);
        await expect(untranslatedMark(chatLine(page, "en", 1))).toHaveText(fill(en.common.translation.untranslated, { language: CHINESE }));
      }
      await everyoneReadsTheirLanguage();

      // The interpreter translates both ways; each side reads the other's words in its own language, the original a click away.
      const translateMessage = async (n: number, author: string, into: string, text: string) => {
        const line = chatLine(interpreter, "en", n);
        await line
          .getByRole("button", { name: fill(en.room.translate.openNamed, { subject: fill(en.room.translate.messageOf, { name: author }), language: into }) })
          .click();
        await line.getByLabel(fill(en.common.translation.textLabel, { language: into })).fill(text);
        await line.getByRole("button", { name: fill(en.common.translation.save, { language: into }) }).click();
      };
      await translateMessage(0, "Dr. Sarah Miller", CHINESE, CHAT_EN_ZH);
      await translateMessage(1, "李伟 Li Wei", ENGLISH, CHAT_ZH_EN);
      await expect(chatLine(physician, "zh-CN", 0)).toContainText(CHAT_EN_ZH);
      await expect(untranslatedMark(chatLine(physician, "zh-CN", 0))).toHaveCount(0);
      await expect(chatLine(physician, "zh-CN", 0).getByText(CHAT_EN)).toBeHidden();
      for (const page of [chair, consultant2]) {
        await expect(chatLine(page, "en", 1)).toContainText(CHAT_ZH_EN);
        await expect(untranslatedMark(chatLine(page, "en", 1))).toHaveCount(0);
        await expect(chatLine(page, "en", 1).getByText(CHAT_ZH)).toBeHidden();
      }
      await everyoneReadsTheirLanguage();

      // The chair's vote reaches the physician marked untranslated, then in Chinese; both sides vote.
      await chair.getByRole("tab", { name: en.room.polls.title }).click();
      await chair.getByLabel(en.room.polls.question).fill(POLL.question);
      await chair.getByLabel(en.room.polls.options).fill(POLL.options.join(", "));
      await chair.getByRole("button", { name: en.room.polls.open }).click();
      await physician.getByRole("tab", { name: zh.room.polls.title }).click();
      const physicianPoll = physician.getByRole("group").filter({ hasText: POLL.question });
      await expect(untranslatedMark(physicianPoll)).toHaveText(fill(zh.common.translation.untranslated, { language: zh.cases.languages.en }));
      await everyoneReadsTheirLanguage();
      await interpreter.getByRole("tab", { name: en.room.polls.title }).click();
      await interpreter
        .getByRole("button", {
          name: fill(en.room.translate.openNamed, { subject: fill(en.room.translate.vote, { question: POLL.question }), language: CHINESE }),
        })
        .click();
      await interpreter.getByLabel(fill(en.room.translate.questionLabel, { language: CHINESE })).fill(POLL_ZH.question);
      for (const [i, option] of POLL.options.entries())
        await interpreter.getByLabel(fill(en.room.translate.optionLabel, { option, language: CHINESE })).fill(POLL_ZH.options[i]);
      await interpreter.getByRole("button", { name: fill(en.common.translation.save, { language: CHINESE }) }).click();
      const translatedPoll = physician.getByRole("group", { name: new RegExp(POLL_ZH.question) });
      await expect(untranslatedMark(translatedPoll)).toHaveCount(0);
      await translatedPoll.getByRole("button", { name: fill(zh.room.polls.voteFor, { option: POLL_ZH.options[0] }) }).click();
      await consultant2.getByRole("tab", { name: en.room.polls.title }).click();
      await consultant2.getByRole("button", { name: fill(en.room.polls.voteFor, { option: POLL.options[0] }) }).click();
      await expect(chair.getByTestId(/^tally-\d+-0$/)).toHaveText(fill(en.room.polls.votes_other, { count: 2 }));
      await everyoneReadsTheirLanguage();

      // The chair's summary reaches the physician marked untranslated, then in Chinese once the interpreter translates it.
      for (const [page, lng] of everyone) await page.getByRole("tab", { name: TEXT[lng].room.summary.title }).click();
      await chair.getByLabel(en.room.summary.label).fill(SUMMARY);
      await chair.getByRole("button", { name: en.room.summary.save }).click();
      const physicianSummary = physician.getByRole("tabpanel");
      await expect(physicianSummary).toContainText(SUMMARY);
      await expect(untranslatedMark(physicianSummary)).toHaveCount(1);
      await everyoneReadsTheirLanguage();
      await interpreter.getByRole("button", { name: fill(en.room.translate.openNamed, { subject: en.room.translate.summary, language: CHINESE }) }).click();
      await interpreter.getByLabel(fill(en.common.translation.textLabel, { language: CHINESE })).fill(SUMMARY_ZH);
      await interpreter.getByRole("button", { name: fill(en.common.translation.save, { language: CHINESE }) }).click();
      await expect(physicianSummary).toContainText(SUMMARY_ZH);
      await expect(untranslatedMark(physicianSummary)).toHaveCount(0);
      await expect(consultant2.getByRole("tabpanel")).toContainText(SUMMARY);
      await everyoneReadsTheirLanguage();

      // The case itself, in the room.
      await consultant2.getByRole("tab", { name: en.room.tabs.case }).click();
      await physician.getByRole("tab", { name: zh.room.tabs.case }).click();
      await expect(consultant2.getByRole("tabpanel")).toContainText("C34.1 Upper lobe, lung");
      await expect(consultant2.getByRole("tabpanel").getByText(HISTORY_EN)).toBeVisible();
      await expect(consultant2.getByRole("tabpanel").getByText(HISTORY + HISTORY_ADDED)).toBeHidden();
      await expect(physician.getByRole("tabpanel")).toContainText("C34.1 肺上叶");
      await expect(physician.getByRole("tabpanel").getByText(HISTORY + HISTORY_ADDED)).toBeVisible();
      await everyoneReadsTheirLanguage();

      // The board ends: each keeps the summary in their language.
      chair.once("dialog", (dialog) => void dialog.accept());
      await chair.getByRole("button", { name: en.room.chair.end }).click();
      const ended = physician.getByRole("article", { name: new RegExp(fill(zh.room.case.title, { code })) });
      await expect(ended).toContainText(SUMMARY_ZH);
      await expect(consultant2.getByRole("article", { name: new RegExp(fill(en.room.case.title, { code })) })).toContainText(SUMMARY);
      await everyoneReadsTheirLanguage();
      await interpreter.context().close();
    });

    await test.step("a consultant drafts the opinion from the board's summary, with its Chinese reviewed, and signs it; the coordinator is mailed", async () => {
      const o = en.opinions;
      const section = (title: string) => chair.getByRole("region", { name: title, exact: true });
      const save = async (title: string) => {
        await section(title)
          .getByRole("button", { name: fill(o.editor.save, { section: title }) })
          .click();
        await expect(section(title).getByRole("status").getByText(o.editor.saved)).toBeVisible();
      };
      await chair.goto(`/cases/${caseId}/opinion`);
      await chair.getByRole("button", { name: o.start.fromBoard }).click();
      await expect(section(o.sections.plan).getByLabel(o.plan.summary)).toHaveValue(SUMMARY);

      for (const part of ["diagnosis", "stage"] as const)
        await section(o.sections.diagnosis)
          .getByRole("group", { name: o.diagnosis[part] })
          .getByLabel(o.editor.agreement)
          .selectOption({ label: o.agreement.AGREE });
      await save(o.sections.diagnosis);
      await section(o.sections.plan).getByRole("button", { name: o.plan.add }).click();
      const item = section(o.sections.plan).getByRole("group", { name: fill(o.plan.itemN, { n: 1 }) });
      await item.getByLabel(o.plan.treatment).fill(PLAN.treatment);
      await item.getByLabel(o.plan.regimen).fill(PLAN.regimen);
      await item.getByLabel(o.plan.intent).selectOption({ label: o.intent.PALLIATIVE });
      await item.getByLabel(o.plan.priority).fill("1");
      await item.getByLabel(o.plan.evidenceSystem).selectOption("ESCAT");
      await item.getByLabel(o.plan.evidenceLevel).selectOption("I-A");
      await save(o.sections.plan);
      await section(o.sections.answers).getByLabel(QUESTION_EN).fill(ANSWER);
      await save(o.sections.answers);
      await expectOwnLanguageOrMarked(chair, "en");

      const translate = async (title: string, translations: [string, string][]) => {
        await chair.getByText(fill(o.translation.open, { section: title })).click();
        const editor = chair.locator("details", { has: chair.getByText(fill(o.translation.open, { section: title })) });
        for (const [english, chinese] of translations) await editor.getByLabel(`${o.translation.chineseFor} ${english}`, { exact: true }).fill(chinese);
        await editor.getByLabel(o.translation.statusLabel).selectOption({ label: o.translation.status.REVIEWED });
        await editor.getByRole("button", { name: fill(o.translation.save, { section: title }) }).click();
        await expect(editor.getByText(o.translation.status.REVIEWED, { exact: false }).first()).toBeVisible();
      };
      await translate(o.sections.plan, [
        [PLAN.treatment, PLAN_ZH.treatment],
        [PLAN.regimen, PLAN_ZH.regimen],
        [SUMMARY, SUMMARY_ZH],
      ]);
      // The board's summary also opened the diagnosis comment.
      await translate(o.sections.diagnosis, [[SUMMARY, SUMMARY_ZH]]);
      await translate(o.sections.answers, [[ANSWER, ANSWER_ZH]]);
      await expectOwnLanguageOrMarked(chair, "en");

      const sign = chair.getByRole("region", { name: o.sign.title });
      await expect(sign.getByText(o.sign.ready)).toBeVisible();
      await sign.getByLabel(o.sign.password).fill("demo-tumorboard-2026");
      await sign.getByRole("button", { name: o.sign.submit }).click();
      await expect(chair.getByText(fill(o.page.signedBy, { name: "Dr. Sarah Miller" }))).toBeVisible();
      await expectOwnLanguageOrMarked(chair, "en");
      await expectMails("coordinator@demo.test", fill(o.email.subject.opinionSigned, { code }), "opinion");
    });

    await test.step("the coordinator delivers it; the physician is mailed, reads it in Chinese first and acknowledges it; coordinator and consultants are mailed", async () => {
      await coordinator.goto(`/cases/${caseId}/opinion`);
      const delivery = coordinator.getByRole("region", { name: en.opinions.delivery.title });
      await expect(delivery.getByText(en.opinions.delivery.ready)).toBeVisible();
      await delivery.getByRole("button", { name: en.opinions.delivery.submit }).click();
      await expect(coordinator.getByText(/Delivered to 李伟 Li Wei/)).toBeVisible();
      await expectOwnLanguageOrMarked(coordinator, "en");
      await expectMails("physician@demo.test", fill(zh.opinions.email.subject.opinionDelivered, { code }), "opinion");

      await physician.goto(`/cases/${caseId}/opinion`);
      const plan = physician.getByRole("region", { name: zh.opinions.sections.plan, exact: true });
      await expect(plan.locator(".side-by-side > :first-child")).toHaveAttribute("data-column", "zh-CN");
      await expect(plan.locator(".side-by-side > :first-child")).toContainText(PLAN_ZH.regimen);
      await expect(plan.locator(".side-by-side > :first-child")).toContainText(SUMMARY_ZH);
      const answers = physician.getByRole("region", { name: zh.opinions.sections.answers, exact: true });
      await expect(answers.locator(".side-by-side > :first-child")).toContainText(QUESTION);
      await expect(answers.locator(".side-by-side > :first-child")).toContainText(ANSWER_ZH);
      await expectOwnLanguageOrMarked(physician, "zh-CN", ENGLISH_FROM_THE_OTHER_SIDE);

      await physician.getByRole("button", { name: zh.opinions.acknowledge.submit }).click();
      await expect(physician.getByText(new RegExp(fill(zh.opinions.page.acknowledgedName, { name: "李伟 Li Wei", time: ".*" })))).toBeVisible();
      for (const reader of ["coordinator@demo.test", "consultant@demo.test", "consultant2@demo.test"])
        await expectMails(reader, fill(en.opinions.email.subject.opinionAcknowledged, { code }), "opinion");
    });

    await test.step("the physician asks a follow-up in Chinese; the consultants are mailed and read it marked untranslated, then translated by the coordinator", async () => {
      await physician.getByLabel(zh.opinions.followUps.askLabel).fill(FOLLOW_UP);
      await physician.getByRole("button", { name: zh.opinions.followUps.askSubmit }).click();
      await expect(physician.locator(".follow-up-list").getByText(FOLLOW_UP)).toBeVisible();
      await expectOwnLanguageOrMarked(physician, "zh-CN", ENGLISH_FROM_THE_OTHER_SIDE);
      for (const consultant of ["consultant@demo.test", "consultant2@demo.test"])
        await expectMails(consultant, fill(en.opinions.email.subject.followUpAsked, { code }), "opinion");

      await chair.goto(`/cases/${caseId}/opinion`);
      const asked = chair.locator(".follow-up-list > li").first();
      await expect(asked.locator('p[lang="zh-CN"]')).toHaveText(FOLLOW_UP);
      await expect(asked.locator("[data-untranslated]")).toHaveText(fill(en.common.translation.untranslated, { language: CHINESE }));
      await expectOwnLanguageOrMarked(chair, "en");

      await coordinator.reload();
      const question = coordinator.locator(".follow-up-list > li").first();
      await question.getByText(fill(en.common.translation.add, { language: ENGLISH })).click();
      await question.getByLabel(fill(en.common.translation.textLabel, { language: ENGLISH })).fill(FOLLOW_UP_EN);
      await question.getByRole("button", { name: fill(en.common.translation.save, { language: ENGLISH }) }).click();
      await expect(question.locator('p[lang="en"]')).toHaveText(FOLLOW_UP_EN);
      await expectOwnLanguageOrMarked(coordinator, "en");

      await chair.reload();
      await expect(asked.locator('p[lang="en"]')).toHaveText(FOLLOW_UP_EN);
      await expect(asked.locator("[data-untranslated]")).toHaveCount(0);
      await expect(asked.getByText(FOLLOW_UP)).toBeHidden();
      await expectOwnLanguageOrMarked(chair, "en");
    });

    await test.step("the consultant answers in English; the physician is mailed, reads it marked untranslated, then in Chinese once translated", async () => {
      await chair.getByLabel(en.opinions.followUps.answerLabel).fill(FOLLOW_UP_ANSWER);
      await chair.getByRole("button", { name: en.opinions.followUps.answerSubmit }).click();
      await expect(chair.locator(".follow-up-list .addendum").getByText(FOLLOW_UP_ANSWER)).toBeVisible();
      await expectOwnLanguageOrMarked(chair, "en");
      await expectMails("physician@demo.test", fill(zh.opinions.email.subject.followUpAnswered, { code }), "opinion");

      await physician.reload();
      const answer = physician.locator(".follow-up-list .addendum");
      await expect(answer.locator('p[lang="en"]')).toHaveText(FOLLOW_UP_ANSWER);
      await expect(answer.locator("[data-untranslated]")).toHaveText(fill(zh.common.translation.untranslated, { language: zh.cases.languages.en }));
      await expectOwnLanguageOrMarked(physician, "zh-CN", ENGLISH_FROM_THE_OTHER_SIDE);

      await coordinator.reload();
      const addendum = coordinator.locator(".follow-up-list .addendum");
      await addendum.getByText(fill(en.common.translation.add, { language: CHINESE })).click();
      await addendum.getByLabel(fill(en.common.translation.textLabel, { language: CHINESE })).fill(FOLLOW_UP_ANSWER_ZH);
      await addendum.getByRole("button", { name: fill(en.common.translation.save, { language: CHINESE }) }).click();
      await expect(addendum.getByText(fill(en.common.translation.edit, { language: CHINESE }))).toBeVisible();

      await physician.reload();
      await expect(answer.locator('p[lang="zh-CN"]')).toHaveText(FOLLOW_UP_ANSWER_ZH);
      await expect(answer.locator("[data-untranslated]")).toHaveCount(0);
      await expect(answer.getByText(FOLLOW_UP_ANSWER)).toBeHidden();
      await expectOwnLanguageOrMarked(physician, "zh-CN", ENGLISH_FROM_THE_OTHER_SIDE);
    });

    await test.step("no mail carried anything clinical, and nobody outside the case heard of it", async () => {
      expect(mailbox.mails.length).toBeGreaterThan(0);
      for (const mail of mailbox.mails) {
        const text = `${decodedSubjectOf(mail)}\n${bodyOf(mail)}`;
        for (const clinical of CLINICAL) expect(text, `mail to ${mail.to.join(", ")}: ${decodedSubjectOf(mail)}`).not.toContain(clinical);
      }
      for (const outsider of ["physician2@demo.test", "admin@demo.test"])
        expect(mailbox.mails.filter((mail) => mail.to.includes(outsider) && decodedSubjectOf(mail).includes(code))).toEqual([]);
    });
    expect(problems).toEqual([]);
  } catch (error) {
    console.log(own.logTail());
    throw error;
  } finally {
    server.kill("SIGKILL");
    await mailbox.close();
  }
});
