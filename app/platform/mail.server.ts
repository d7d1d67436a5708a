/**
 * Outgoing email through the SMTP server in SMTP_URL (e.g.
 * smtps://user:password@mail.example.org:465); without it, nothing is sent and
 * one log line says so.
 */
import { createTransport } from "nodemailer";
import { env, type RawEnv } from "./env.server";
import { log } from "./logger.server";

export type OutgoingMail = { to: string; subject: string; text: string };

let transport: { url: string; mailer: ReturnType<typeof createTransport> } | undefined;

function mailer(url: string) {
  if (transport?.url !== url) transport = { url, mailer: createTransport(url) };
  return transport.mailer;
}

/** Sends each message; a failure is logged and does not stop the others. Resolves to the number sent. */
export async function sendMail(messages: readonly OutgoingMail[], context: Record<string, unknown> = {}, source?: RawEnv): Promise<number> {
  if (messages.length === 0) return 0;
  const url = env("SMTP_URL", source);
  if (!url) {
    log("info", "email not sent: SMTP_URL is not set", { ...context, recipients: messages.length });
    return 0;
  }
  const from = env("MAIL_FROM", source);
  let sent = 0;
  for (const message of messages) {
    try {
      await mailer(url).sendMail({ from, ...message });
      sent++;
    } catch (error) {
      log("error", "email failed", { ...context, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return sent;
}
