/** A real SMTP server on a loopback port that keeps every message it receives, for tests of the emails the platform sends (SMTP_URL points at it while it runs). */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type Mail = { from: string; to: string[]; raw: string };

export async function startMailbox(): Promise<{ mails: Mail[]; url: string; close: () => Promise<void> }> {
  const mails: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const url = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.SMTP_URL = url;
  return {
    mails,
    url,
    close: async () => {
      delete process.env.SMTP_URL;
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}

/** The text of a single-part message, its transfer encoding undone. */
export function bodyOf(mail: Mail): string {
  const split = mail.raw.indexOf("\r\n\r\n");
  const head = mail.raw.slice(0, split);
  const body = mail.raw.slice(split + 4);
  const encoding = /^Content-Transfer-Encoding: *(\S+)/im.exec(head)?.[1].toLowerCase();
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding !== "quoted-printable") return body;
  const bytes: number[] = [];
  const text = body.replace(/=\r\n/g, "");
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "=" && /^[0-9A-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** The Subject header as sent (unfolded, encoded words left as they are). */
export const subjectOf = (mail: Mail) => /^Subject: (.*(?:\r\n\s.*)*)/m.exec(mail.raw)![1].replace(/\r\n\s/g, " ");

/** The Subject header with its base64 encoded words decoded. */
export const decodedSubjectOf = (mail: Mail) =>
  subjectOf(mail).replace(/=\?utf-8\?b\?([^?]*)\?=\s*/gi, (_, text: string) => Buffer.from(text, "base64").toString("utf8"));
