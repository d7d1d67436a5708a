import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as notificationsRoute from "~/routes/notifications";
import { getDb } from "~/utils/db.server";
import { emailsSettled } from "~/utils/notifications.server";
import { notifyOpinion } from "~/utils/opinion-notifications.server";
import { get, run, signIn } from "../support/remix";

const mailbox: { to: string[]; raw: string }[] = [];
let smtp: SMTPServer;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        mailbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.PUBLIC_URL = "https://board.example.org";
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  delete process.env.PUBLIC_URL;
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** Decodes every encoded part of a raw message (headers and body), so the test reads what the recipient reads. */
function readable(raw: string): string {
  const words = raw.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
    enc.toLowerCase() === "b" ? Buffer.from(text, "base64").toString("utf8") : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"),
  );
  const split = words.indexOf("\r\n\r\n");
  const head = words.slice(0, split);
  const body = words.slice(split + 4);
  if (/Content-Transfer-Encoding: *base64/i.test(head)) return head + "\n" + Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  const bytes = body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return head + "\n" + Buffer.from(bytes, "latin1").toString("utf8");
}

describe("opinion notifications", () => {
  it("tell the physician in their language that an opinion is ready, with a link and nothing clinical", async () => {
    const db = getDb();
    const physician = await db.user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
    const wuhanCase = await db.case.findFirstOrThrow({ where: { institutionId: "demo-wuhan", histology: { not: null } }, include: { narratives: true } });
    await notifyOpinion(db, { userIds: [physician.id], kind: "opinionDelivered", caseId: wuhanCase.id });
    await emailsSettled();

    const mail = mailbox.find((m) => m.to.includes("physician@demo.test"));
    expect(mail).toBeDefined();
    const text = readable(mail!.raw);
    expect(text).toContain("您有一份第二诊疗意见");
    expect(text).toContain(`https://board.example.org/cases/${wuhanCase.id}/opinion`);
    for (const clinical of [wuhanCase.code, wuhanCase.histology!, ...wuhanCase.narratives.map((n) => n.originalText.slice(0, 12))]) expect(text).not.toContain(clinical);

    const stored = await db.notification.findFirstOrThrow({ where: { userId: physician.id, kind: "opinionDelivered" } });
    expect(stored).toMatchObject({ caseId: wuhanCase.id, sessionId: null, params: "{}" });
    const cookie = await signIn("physician@demo.test");
    const { data } = await run(notificationsRoute.loader, { request: get("/notifications", cookie) });
    expect(data.notifications).toContainEqual(expect.objectContaining({ messageKey: "opinions:notifications.opinionDelivered", href: `/cases/${wuhanCase.id}/opinion`, params: null }));
  });
});
