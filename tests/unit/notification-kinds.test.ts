/**
 * The notification registry: every kind says something in both languages,
 * every emailed kind has a subject in both, and the live schema accepts
 * exactly the registered kinds; each case step's audience is who it waits for.
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
import type { CaseStatus } from "~/features/cases/case-lifecycle";
import type { Actor } from "~/features/identity/permissions";
import { caseAudience } from "~/features/notifications/notification-audience";
import { kindLabelKey, type CaseNotificationKind, type StoredNotificationKind } from "~/features/notifications/notifications";

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
        if ("emailNoteKey" in definition) expect(hasKey(locale, definition.emailNoteKey), `${locale} ${kind} email note`).toBe(true);
        if (definition.topic === "live") {
          expect(definition.subjectKey, kind).toBeNull();
          continue;
        }
        expect(hasKey(locale, definition.subjectKey), `${locale} ${kind} subject`).toBe(true);
        expect(hasKey(locale, kindLabelKey(kind as StoredNotificationKind)), `${locale} ${kind} email choice label`).toBe(true);
        for (const key of Object.values(EMAIL_LINES[definition.topic])) expect(hasKey(locale, key), `${locale} ${kind} ${key}`).toBe(true);
      }
    }
  });

  it("has the session, case, opinion and live-only kinds", () => {
    expect(kinds.filter(([, d]) => d.topic === "session").map(([k]) => k)).toEqual([
      "sessionInvitation",
      "sessionAgendaChanged",
      "sessionStartingSoon",
      "sessionUpdated",
      "sessionCancelled",
      "sessionUninvited",
    ]);
    expect(kinds.filter(([, d]) => d.topic === "case").map(([k]) => k)).toEqual([
      "caseSubmitted",
      "caseReturned",
      "caseAssigned",
      "caseDueSoon",
      "caseOverdue",
    ]);
    expect(kinds.filter(([, d]) => d.topic === "opinion").map(([k]) => k)).toEqual([
      "opinionSigned",
      "opinionDelivered",
      "opinionAcknowledged",
      "followUpAsked",
      "followUpAnswered",
    ]);
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
    for (const kind of ["", "caseAssign", "SESSIONINVITATION", "toString"]) expect(NotificationSchema.safeParse(live(kind)).success, kind).toBe(false);
  });
});

describe("who hears of a case's steps", () => {
  const actor = (role: Actor["role"], id: string, institutionId: string | null) => ({ id, role, institutionId, active: true });
  const physician = actor("TREATING_PHYSICIAN", "p1", "wuhan");
  const otherHospital = actor("TREATING_PHYSICIAN", "p2", "hangzhou");
  const assigned = actor("CONSULTANT", "c1", "pacific");
  const onBoardOnly = actor("CONSULTANT", "c2", "pacific");
  const unrelated = actor("CONSULTANT", "c3", "pacific");
  const coordinator = actor("COORDINATOR", "k1", null);
  const admin = actor("ADMIN", "a1", null);
  const everyone = [physician, otherHospital, assigned, onBoardOnly, unrelated, coordinator, admin];
  const facts = (status: CaseStatus) => ({ institutionId: "wuhan", status, assignedConsultantIds: ["c1"], boardConsultantIds: ["c2"] });
  const hears = (kind: CaseNotificationKind, status: CaseStatus) => caseAudience(kind, facts(status), everyone).map((a) => a.id);

  it("names only the people the step waits for, and never a consultant not assigned or an administrator", () => {
    expect(hears("caseSubmitted", "SUBMITTED")).toEqual(["k1"]);
    expect(hears("caseReturned", "RETURNED")).toEqual(["p1"]);
    expect(hears("caseAssigned", "TRIAGED")).toEqual(["c1"]);
    expect(hears("caseDueSoon", "IN_REVIEW")).toEqual(["c1", "k1"]);
    expect(hears("caseOverdue", "SCHEDULED")).toEqual(["c1", "k1"]);
    expect(hears("opinionSigned", "OPINION_SIGNED")).toEqual(["k1"]);
    expect(hears("opinionDelivered", "DELIVERED")).toEqual(["p1"]);
    expect(hears("opinionAcknowledged", "ACKNOWLEDGED")).toEqual(["c1", "k1"]);
    expect(hears("followUpAsked", "DELIVERED")).toEqual(["c1"]);
    expect(hears("followUpAnswered", "DELIVERED")).toEqual(["p1"]);
  });

  it("tells the consultants of a due date only while their review is pending, not while the packet is back with its hospital or once the opinion is signed", () => {
    for (const status of ["TRIAGED", "IN_REVIEW", "SCHEDULED", "DISCUSSED"] as const) expect(hears("caseOverdue", status), status).toEqual(["c1", "k1"]);
    for (const status of ["SUBMITTED", "RETURNED", "OPINION_SIGNED"] as const) {
      expect(hears("caseOverdue", status), status).toEqual(["k1"]);
      expect(hears("caseDueSoon", status), status).toEqual(["k1"]);
    }
  });

  it("names nobody who may no longer act: an inactive account, or a draft nobody but its hospital sees", () => {
    expect(caseAudience("caseAssigned", facts("TRIAGED"), [{ ...assigned, active: false }])).toEqual([]);
    expect(hears("caseSubmitted", "DRAFT")).toEqual([]);
    expect(hears("followUpAnswered", "ARCHIVED")).toEqual([]);
  });
});
