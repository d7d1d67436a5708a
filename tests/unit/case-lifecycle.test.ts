import { describe, expect, it } from "vitest";
import { canViewCase, caseScope, type CaseFacts } from "~/features/cases/case-access";
import { availableActions, CASE_STATUSES, checkTransition, type CaseRelation } from "~/features/cases/case-lifecycle";
import type { Actor } from "~/features/identity/permissions";
import type { Role } from "~/features/identity/roles";

const none: CaseRelation = { ownInstitution: false, assigned: false };
const own: CaseRelation = { ownInstitution: true, assigned: false };
const assigned: CaseRelation = { ownInstitution: false, assigned: true };

describe("case lifecycle table", () => {
  it("lets the treating physician submit drafts and returned cases of their own institution only", () => {
    expect(checkTransition("submit", "DRAFT", "TREATING_PHYSICIAN", own)).toEqual({ ok: true, to: "SUBMITTED" });
    expect(checkTransition("submit", "RETURNED", "TREATING_PHYSICIAN", own)).toEqual({ ok: true, to: "SUBMITTED" });
    expect(checkTransition("submit", "DRAFT", "TREATING_PHYSICIAN", none)).toMatchObject({ ok: false, errorKey: "cases:errors.actionNotAllowed" });
    expect(checkTransition("submit", "TRIAGED", "TREATING_PHYSICIAN", own)).toMatchObject({ ok: false, errorKey: "cases:errors.wrongStatus" });
    expect(checkTransition("submit", "DRAFT", "COORDINATOR", own).ok).toBe(false);
  });

  it("needs a reason to return or withdraw a case", () => {
    expect(checkTransition("return", "SUBMITTED", "COORDINATOR", none, "  ")).toMatchObject({ ok: false, errorKey: "cases:errors.reasonRequired" });
    expect(checkTransition("return", "SUBMITTED", "COORDINATOR", none, "Please add the pathology report")).toEqual({ ok: true, to: "RETURNED" });
    expect(checkTransition("withdraw", "IN_REVIEW", "TREATING_PHYSICIAN", own, "Patient declined")).toEqual({ ok: true, to: "WITHDRAWN" });
  });

  it("lets only an assigned consultant start the review", () => {
    expect(checkTransition("startReview", "TRIAGED", "CONSULTANT", assigned)).toEqual({ ok: true, to: "IN_REVIEW" });
    expect(checkTransition("startReview", "TRIAGED", "CONSULTANT", none).ok).toBe(false);
  });

  it("offers each role exactly the actions the table allows", () => {
    expect(availableActions("SUBMITTED", "COORDINATOR", none).sort()).toEqual(["return", "triage"]);
    expect(availableActions("DRAFT", "TREATING_PHYSICIAN", own).sort()).toEqual(["submit", "withdraw"]);
    expect(availableActions("DRAFT", "TREATING_PHYSICIAN", none)).toEqual([]);
    expect(availableActions("WITHDRAWN", "TREATING_PHYSICIAN", own)).toEqual([]);
    for (const status of CASE_STATUSES) for (const role of ["ADMIN"] as Role[]) expect(availableActions(status, role, own)).toEqual([]);
  });
});

describe("case access", () => {
  const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({ institutionId: "wuhan", status: "SUBMITTED", assignedConsultantIds: ["c1"], ...over });
  const actor = (role: Role, id = "u", institutionId: string | null = null): Actor => ({ id, role, institutionId, active: true });

  it("shows a case to its institution's physicians, its assigned consultants and coordinators, and no one else", () => {
    expect(canViewCase(actor("TREATING_PHYSICIAN", "p1", "wuhan"), facts())).toBe(true);
    expect(canViewCase(actor("TREATING_PHYSICIAN", "p2", "hangzhou"), facts())).toBe(false);
    expect(canViewCase(actor("CONSULTANT", "c1", "pacific"), facts())).toBe(true);
    expect(canViewCase(actor("CONSULTANT", "c2", "pacific"), facts())).toBe(false);
    expect(canViewCase(actor("COORDINATOR"), facts())).toBe(true);
    expect(canViewCase(actor("ADMIN"), facts())).toBe(false);
    expect(canViewCase({ ...actor("COORDINATOR"), active: false }, facts())).toBe(false);
  });

  it("keeps drafts with the treating side", () => {
    expect(canViewCase(actor("COORDINATOR"), facts({ status: "DRAFT" }))).toBe(false);
    expect(canViewCase(actor("CONSULTANT", "c1"), facts({ status: "DRAFT" }))).toBe(false);
    expect(canViewCase(actor("TREATING_PHYSICIAN", "p1", "wuhan"), facts({ status: "DRAFT" }))).toBe(true);
  });

  it("scopes each role's case list", () => {
    expect(caseScope(actor("TREATING_PHYSICIAN", "p1", "wuhan"))).toEqual({ kind: "institution", institutionId: "wuhan" });
    expect(caseScope(actor("TREATING_PHYSICIAN", "p1", null))).toEqual({ kind: "none" });
    expect(caseScope(actor("CONSULTANT", "c1"))).toEqual({ kind: "assigned", consultantId: "c1" });
    expect(caseScope(actor("ADMIN"))).toEqual({ kind: "metadataOnly" });
  });
});
