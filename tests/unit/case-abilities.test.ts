import { describe, expect, it } from "vitest";
import { caseAbilities, type CaseAbilities, type CaseFacts } from "~/features/cases/case-access";
import { CASE_STATUSES, type CaseStatus } from "~/features/cases/case-lifecycle";
import type { Actor } from "~/features/identity/permissions";
import type { Role } from "~/features/identity/roles";

const actor = (role: Role, id: string, institutionId: string | null = null): Actor => ({ id, role, institutionId, active: true });
const physician = actor("TREATING_PHYSICIAN", "p1", "wuhan");
const otherHospital = actor("TREATING_PHYSICIAN", "p2", "hangzhou");
const assigned = actor("CONSULTANT", "c1", "pacific");
const unassigned = actor("CONSULTANT", "c2", "pacific");
const onBoard = actor("CONSULTANT", "c3", "pacific");
const coordinator = actor("COORDINATOR", "k1");
const admin = actor("ADMIN", "a1");
const facts = (status: CaseStatus): CaseFacts => ({ institutionId: "wuhan", status, assignedConsultantIds: ["c1"], boardConsultantIds: ["c3"] });
const may = (who: Actor, status: CaseStatus) => caseAbilities(who, facts(status));
const granted = (who: Actor, ability: keyof Omit<CaseAbilities, "actions">) => CASE_STATUSES.filter((status) => may(who, status)[ability]);

describe("case abilities", () => {
  it("shows a case to its hospital's physicians, its consultants (assigned or on a board) and coordinators once submitted; never to admins or another hospital", () => {
    expect(granted(physician, "view")).toEqual([...CASE_STATUSES]);
    expect(granted(assigned, "view")).toEqual(CASE_STATUSES.filter((s) => s !== "DRAFT"));
    expect(granted(onBoard, "view")).toEqual(CASE_STATUSES.filter((s) => s !== "DRAFT"));
    expect(granted(coordinator, "view")).toEqual(CASE_STATUSES.filter((s) => s !== "DRAFT"));
    for (const who of [otherHospital, unassigned, admin]) expect(granted(who, "view")).toEqual([]);
    expect(caseAbilities({ ...coordinator, active: false }, facts("SUBMITTED")).view).toBe(false);
  });

  it("lets only the treating side edit the packet and upload attachments, while it is a draft or returned", () => {
    for (const ability of ["editPacket", "uploadAttachment"] as const) {
      expect(granted(physician, ability)).toEqual(["DRAFT", "RETURNED"]);
      for (const who of [otherHospital, assigned, coordinator, admin]) expect(granted(who, ability)).toEqual([]);
    }
    expect(granted(physician, "treatingSide")).toEqual([...CASE_STATUSES]);
    expect(granted(otherHospital, "treatingSide")).toEqual([]);
  });

  it("keeps withdrawn and archived cases read-only: no translations or comments; no comments on a draft", () => {
    const open = CASE_STATUSES.filter((s) => s !== "WITHDRAWN" && s !== "ARCHIVED");
    expect(granted(physician, "translate")).toEqual(open);
    expect(granted(coordinator, "translate")).toEqual(open.filter((s) => s !== "DRAFT"));
    expect(granted(physician, "comment")).toEqual(open.filter((s) => s !== "DRAFT"));
    expect(granted(assigned, "comment")).toEqual(open.filter((s) => s !== "DRAFT"));
    expect(granted(unassigned, "comment")).toEqual([]);
  });

  it("gives the coordinators triage and the checklist, keeps the board's summary from the treating side, and opens the opinion page after submission", () => {
    expect(granted(coordinator, "coordinate")).toEqual(CASE_STATUSES.filter((s) => s !== "DRAFT"));
    for (const who of [physician, assigned, admin]) expect(granted(who, "coordinate")).toEqual([]);
    expect(may(assigned, "DISCUSSED").readBoardSummaries).toBe(true);
    expect(may(coordinator, "DISCUSSED").readBoardSummaries).toBe(true);
    expect(may(physician, "DISCUSSED").readBoardSummaries).toBe(false);
    expect(granted(physician, "openOpinion")).toEqual(CASE_STATUSES.filter((s) => s !== "DRAFT"));
  });

  it("lets only its author delete a draft holding nothing, offering that instead of withdrawing; unknown emptiness counts as content", () => {
    const colleague = actor("TREATING_PHYSICIAN", "p3", "wuhan");
    const emptyDraft = (status: CaseStatus, emptyDraft?: boolean) => ({ ...facts(status), createdById: "p1", emptyDraft });
    const author = caseAbilities(physician, emptyDraft("DRAFT", true));
    expect(author.deleteDraft).toBe(true);
    expect(author.actions).toEqual(["submit"]);
    expect(CASE_STATUSES.filter((s) => caseAbilities(physician, emptyDraft(s, true)).deleteDraft)).toEqual(["DRAFT"]);
    for (const [who, draft] of [
      [physician, emptyDraft("DRAFT", false)],
      [physician, emptyDraft("DRAFT")],
      [colleague, emptyDraft("DRAFT", true)],
      [otherHospital, emptyDraft("DRAFT", true)],
      [coordinator, emptyDraft("DRAFT", true)],
    ] as const) {
      expect(caseAbilities(who, draft).deleteDraft, who.id).toBe(false);
    }
    expect(caseAbilities(colleague, emptyDraft("DRAFT", true)).actions).toEqual(["submit", "withdraw"]);
  });

  it("offers the lifecycle buttons of the table, and none to someone who cannot see the case", () => {
    expect(may(physician, "DRAFT").actions).toEqual(["submit", "withdraw"]);
    expect(may(coordinator, "SUBMITTED").actions.sort()).toEqual(["return", "triage"]);
    expect(may(assigned, "TRIAGED").actions).toEqual(["startReview"]);
    expect(may(onBoard, "TRIAGED").actions).toEqual([]);
    expect(may(otherHospital, "DRAFT").actions).toEqual([]);
    expect(may(admin, "SUBMITTED").actions).toEqual([]);
  });
});
