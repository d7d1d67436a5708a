import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as notificationsRoute from "~/routes/notifications";
import { getDb } from "~/platform/db.server";
import { getCaseFacts } from "~/features/cases/case-store.server";
import { emailsSettled, notifyCase } from "~/features/notifications/notifications.server";
import { bodyOf, decodedSubjectOf, startMailbox, type Mail } from "../support/mailbox";
import { get, run, signIn } from "../support/remix";

let mailbox: Mail[] = [];
let closeMailbox: () => Promise<void>;

beforeAll(async () => {
  ({ mails: mailbox, close: closeMailbox } = await startMailbox());
  process.env.PUBLIC_URL = "https://board.example.org";
});

afterAll(async () => {
  delete process.env.PUBLIC_URL;
  await closeMailbox();
});

/** An RFC 2047 encoded header as the reader sees it. */

describe("opinion notifications", () => {
  it("tell the physician in their language that an opinion on a case (named by its code) is ready, with a link and nothing clinical", async () => {
    const db = getDb();
    const physician = await db.user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
    const wuhanCase = await db.case.findFirstOrThrow({ where: { institutionId: "demo-wuhan", histology: { not: null } }, include: { narratives: true } });
    const facts = (await getCaseFacts(db, wuhanCase.id))!;
    await notifyCase(db, { kind: "opinionDelivered", facts, candidateIds: [physician.id] });
    await emailsSettled();

    const mail = mailbox.find((m) => m.to.includes("physician@demo.test"));
    expect(mail).toBeDefined();
    expect(decodedSubjectOf(mail!)).toBe(`您有一份第二诊疗意见：病例 ${wuhanCase.code}`);
    const text = bodyOf(mail!);
    expect(text).toContain(`病例 ${wuhanCase.code} 的第二诊疗意见已送达给您。`);
    expect(text).toContain(`https://board.example.org/cases/${wuhanCase.id}/opinion`);
    for (const clinical of [wuhanCase.histology!, ...wuhanCase.narratives.map((n) => n.originalText.slice(0, 12))]) {
      expect(text).not.toContain(clinical);
      expect(decodedSubjectOf(mail!)).not.toContain(clinical);
    }

    const stored = await db.notification.findFirstOrThrow({ where: { userId: physician.id, kind: "opinionDelivered" } });
    expect(stored).toMatchObject({ caseId: wuhanCase.id, sessionId: null, params: JSON.stringify({ code: wuhanCase.code }) });
    const cookie = await signIn("physician@demo.test");
    const { data } = await run(notificationsRoute.loader, { request: get("/notifications", cookie) });
    expect(data.notifications).toContainEqual(
      expect.objectContaining({
        messageKey: "opinions:notifications.opinionDelivered",
        href: `/cases/${wuhanCase.id}/opinion`,
        params: null,
        caseParams: { code: wuhanCase.code },
      }),
    );
  });
});
