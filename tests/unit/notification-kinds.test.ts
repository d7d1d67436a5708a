/**
 * The notification registry: every kind says something in both languages,
 * every emailed kind has a subject in both, and the live schema accepts
 * exactly the registered kinds.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  EMAIL_LINES,
  isOpinionNotificationKind,
  isSessionNotificationKind,
  NOTIFICATION_KIND_NAMES,
  NOTIFICATION_KINDS,
  NotificationSchema,
} from "~/features/notifications/notifications";
import { NotificationSchema as ContractSchema } from "~/realtime/contracts";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Whether `ns:dotted.key` names a string in the locale. */
function hasKey(locale: string, key: string): boolean {
  const [ns, dotted] = key.split(":");
  let value: unknown = JSON.parse(readFileSync(path.join(root, "locales", locale, `${ns}.json`), "utf8"));
  for (const part of dotted.split(".")) value = (value as Record<string, unknown> | undefined)?.[part];
  return typeof value === "string" && value.trim() !== "";
}

const live = (kind: string) => ({ id: "n1", kind, messageKey: "common:realtime.info", createdAt: new Date(0).toISOString() });

describe("the notification registry", () => {
  const kinds = Object.entries(NOTIFICATION_KINDS);

  it("gives every kind a message in both languages, and every stored kind an email subject and closing lines in both", () => {
    for (const locale of ["en", "zh-CN"]) {
      for (const [kind, definition] of kinds) {
        expect(hasKey(locale, definition.messageKey), `${locale} ${kind} message`).toBe(true);
        if (definition.topic === "live") {
          expect(definition.subjectKey, kind).toBeNull();
          continue;
        }
        expect(hasKey(locale, definition.subjectKey), `${locale} ${kind} subject`).toBe(true);
        for (const key of Object.values(EMAIL_LINES[definition.topic])) expect(hasKey(locale, key), `${locale} ${kind} ${key}`).toBe(true);
      }
    }
  });

  it("has the session, opinion and live-only kinds", () => {
    expect(kinds.filter(([, d]) => d.topic === "session").map(([k]) => k)).toEqual([
      "sessionInvitation",
      "sessionAgendaChanged",
      "sessionStartingSoon",
      "sessionUpdated",
      "sessionCancelled",
      "sessionUninvited",
    ]);
    expect(kinds.filter(([, d]) => d.topic === "opinion").map(([k]) => k)).toEqual(["opinionSigned", "opinionDelivered", "followUpAsked", "followUpAnswered"]);
    expect(kinds.filter(([, d]) => d.topic === "live").map(([k]) => k)).toEqual(["accountChanged", "info"]);
    expect(isSessionNotificationKind("sessionUninvited")).toBe(true);
    expect(isSessionNotificationKind("opinionSigned")).toBe(false);
    expect(isOpinionNotificationKind("followUpAsked")).toBe(true);
    expect(isOpinionNotificationKind("toString")).toBe(false);
  });

  it("lets the live schema accept exactly the registered kinds", () => {
    expect(ContractSchema).toBe(NotificationSchema);
    expect([...NotificationSchema.shape.kind.options].sort()).toEqual(Object.keys(NOTIFICATION_KINDS).sort());
    expect(NOTIFICATION_KIND_NAMES).toEqual(Object.keys(NOTIFICATION_KINDS));
    for (const kind of Object.keys(NOTIFICATION_KINDS)) expect(NotificationSchema.safeParse(live(kind)).success, kind).toBe(true);
    for (const kind of ["", "caseAssigned", "SESSIONINVITATION", "toString"]) expect(NotificationSchema.safeParse(live(kind)).success, kind).toBe(false);
  });
});
