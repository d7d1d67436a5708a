import { describe, expect, it } from "vitest";
import { canComment, canMarkKeyImage, canTranslate, type CaseFacts } from "~/features/cases/case-access";
import type { CaseStatus } from "~/features/cases/case-lifecycle";
import { canDraftOpinion, canManageDelivery, canReadOpinion, canTranslateOpinion, caseOpenForFollowUp, isTreatingSide, isValidRecipient } from "~/features/opinions/opinion-access";
import type { Actor } from "~/features/identity/permissions";
import type { Role } from "~/features/identity/roles";

const actor = (role: Role, id = role.toLowerCase(), institutionId: string | null = role === "TREATING_PHYSICIAN" ? "wuhan" : "pacific"): Actor => ({ id, role, institutionId, active: true });
const facts = (status: CaseStatus, assigned: string[] = ["consultant"]): CaseFacts => ({ institutionId: "wuhan", status, assignedConsultantIds: assigned });
const draft = { status: "DRAFT", deliveredAt: null };
const delivered = { status: "DELIVERED", deliveredAt: new Date() };

describe("opinion access", () => {
  it("lets the consultants on a case draft from review until archive, and no one else", () => {
    expect(canDraftOpinion(actor("CONSULTANT"), facts("DISCUSSED"))).toBe(true);
    expect(canDraftOpinion(actor("CONSULTANT"), facts("DELIVERED"))).toBe(true);
    expect(canDraftOpinion(actor("CONSULTANT", "consultant2"), facts("DISCUSSED"))).toBe(false);
    expect(canDraftOpinion(actor("CONSULTANT"), facts("ARCHIVED"))).toBe(false);
    expect(canDraftOpinion(actor("CONSULTANT"), facts("TRIAGED"))).toBe(false);
    expect(canDraftOpinion(actor("COORDINATOR"), facts("DISCUSSED"))).toBe(false);
    expect(canTranslateOpinion(actor("COORDINATOR"), facts("DISCUSSED"))).toBe(true);
    expect(canTranslateOpinion(actor("TREATING_PHYSICIAN"), facts("DISCUSSED"))).toBe(false);
  });

  it("shows the treating side only delivered versions, and other hospitals and admins nothing", () => {
    expect(canReadOpinion(actor("TREATING_PHYSICIAN"), facts("DISCUSSED"), draft)).toBe(false);
    expect(canReadOpinion(actor("TREATING_PHYSICIAN"), facts("DELIVERED"), delivered)).toBe(true);
    expect(canReadOpinion(actor("TREATING_PHYSICIAN", "physician2", "hangzhou"), facts("DELIVERED"), delivered)).toBe(false);
    expect(canReadOpinion(actor("CONSULTANT"), facts("DISCUSSED"), draft)).toBe(true);
    expect(canReadOpinion(actor("CONSULTANT", "consultant2"), facts("DELIVERED"), delivered)).toBe(false);
    expect(canReadOpinion(actor("COORDINATOR"), facts("DISCUSSED"), draft)).toBe(true);
    expect(canReadOpinion(actor("ADMIN"), facts("DELIVERED"), delivered)).toBe(false);
    expect(canReadOpinion({ ...actor("TREATING_PHYSICIAN"), active: false }, facts("DELIVERED"), delivered)).toBe(false);
  });

  it("accepts as recipients only active treating physicians of the submitting institution", () => {
    const wuhan = { institutionId: "wuhan" };
    expect(isValidRecipient({ role: "TREATING_PHYSICIAN", institutionId: "wuhan", active: true }, wuhan)).toBe(true);
    expect(isValidRecipient({ role: "TREATING_PHYSICIAN", institutionId: "hangzhou", active: true }, wuhan)).toBe(false);
    expect(isValidRecipient({ role: "TREATING_PHYSICIAN", institutionId: "wuhan", active: false }, wuhan)).toBe(false);
    for (const role of ["COORDINATOR", "CONSULTANT", "ADMIN"]) expect(isValidRecipient({ role, institutionId: "wuhan", active: true }, wuhan)).toBe(false);
  });

  it("keeps delivery to coordinators and follow-ups to the treating side of an open case", () => {
    expect(canManageDelivery(actor("COORDINATOR"), facts("OPINION_SIGNED"))).toBe(true);
    expect(canManageDelivery(actor("CONSULTANT"), facts("OPINION_SIGNED"))).toBe(false);
    expect(isTreatingSide(actor("TREATING_PHYSICIAN"), facts("DELIVERED"))).toBe(true);
    expect(isTreatingSide(actor("TREATING_PHYSICIAN", "p2", "hangzhou"), facts("DELIVERED"))).toBe(false);
    expect(caseOpenForFollowUp(facts("ACKNOWLEDGED"))).toBe(true);
    expect(caseOpenForFollowUp(facts("ARCHIVED"))).toBe(false);
  });

  it("makes an archived case read-only for comments, translations and key images", () => {
    for (const check of [canComment, canTranslate, canMarkKeyImage]) {
      expect(check(actor("COORDINATOR"), facts("DELIVERED"))).toBe(true);
      expect(check(actor("COORDINATOR"), facts("ARCHIVED"))).toBe(false);
    }
  });
});
