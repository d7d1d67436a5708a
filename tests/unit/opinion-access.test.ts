import { describe, expect, it } from "vitest";
import { caseAbilities, type CaseFacts } from "~/features/cases/case-access";
import { CASE_STATUSES, type CaseStatus } from "~/features/cases/case-lifecycle";
import { imagingAbilities } from "~/features/imaging/imaging-access";
import {
  canReadOpinion,
  isValidRecipient,
  opinionAbilities,
  opinionWithinReach,
  type LatestOpinion,
  type OpinionAbility,
} from "~/features/opinions/opinion-access";
import type { Actor } from "~/features/identity/permissions";
import type { Role } from "~/features/identity/roles";

const actor = (role: Role, id = role.toLowerCase(), institutionId: string | null = role === "TREATING_PHYSICIAN" ? "wuhan" : "pacific"): Actor => ({
  id,
  role,
  institutionId,
  active: true,
});
const facts = (status: CaseStatus, assigned: string[] = ["consultant"]): CaseFacts => ({ institutionId: "wuhan", status, assignedConsultantIds: assigned });
const draft = { status: "DRAFT", deliveredAt: null };
const delivered = { status: "DELIVERED", deliveredAt: new Date() };
const may = (who: Actor, status: CaseStatus, latest: LatestOpinion = null) => opinionAbilities(who, facts(status), latest);
const granted = (who: Actor, ability: OpinionAbility, latest: LatestOpinion = null) => CASE_STATUSES.filter((status) => may(who, status, latest)[ability]);
const physician = actor("TREATING_PHYSICIAN");
const otherHospital = actor("TREATING_PHYSICIAN", "physician2", "hangzhou");
const consultant = actor("CONSULTANT");
const otherConsultant = actor("CONSULTANT", "consultant2");
const coordinator = actor("COORDINATOR");
const admin = actor("ADMIN");

describe("opinion abilities", () => {
  it("leads on to the opinion page after a board only those with something there: the case's consultants and the coordinators, the treating side once delivered", () => {
    for (const who of [consultant, coordinator]) expect(opinionWithinReach(who, facts("DISCUSSED"), null)).toBe(true);
    for (const who of [physician, otherHospital, otherConsultant, admin]) expect(opinionWithinReach(who, facts("DISCUSSED"), null)).toBe(false);
    expect(opinionWithinReach(physician, facts("DISCUSSED"), { ...draft, recipients: [] })).toBe(false);
    expect(opinionWithinReach(physician, facts("DELIVERED"), { ...delivered, recipients: [{ userId: "treating_physician", acknowledgedAt: null }] })).toBe(
      true,
    );
    expect(opinionWithinReach(otherHospital, facts("DELIVERED"), { ...delivered, recipients: [] })).toBe(false);
    // While an amendment is drafted, the physician still reads the delivered version: the way on stays; another hospital's still has none.
    const amending = { ...draft, recipients: [] };
    expect(opinionWithinReach(physician, facts("DELIVERED"), amending, [amending, delivered])).toBe(true);
    expect(opinionWithinReach(otherHospital, facts("DELIVERED"), amending, [amending, delivered])).toBe(false);
  });

  it("lets the consultants on a case draft from review until archive, and no one else", () => {
    expect(granted(consultant, "draft")).toEqual(["IN_REVIEW", "SCHEDULED", "DISCUSSED", "DELIVERED", "ACKNOWLEDGED"]);
    for (const who of [otherConsultant, coordinator, physician, admin]) expect(granted(who, "draft")).toEqual([]);
    expect(granted(coordinator, "translate")).toEqual(["IN_REVIEW", "SCHEDULED", "DISCUSSED", "DELIVERED", "ACKNOWLEDGED"]);
    expect(granted(consultant, "translate")).toEqual(granted(consultant, "draft"));
    expect(granted(physician, "translate")).toEqual([]);
  });

  it("lets any consultant on the case sign (the lifecycle table says when), and amend only a signed or delivered newest version", () => {
    expect(granted(consultant, "sign")).toEqual(CASE_STATUSES.filter((s) => s !== "DRAFT"));
    expect(granted(otherConsultant, "sign")).toEqual([]);
    expect(may(consultant, "DELIVERED", { status: "DELIVERED", recipients: [] }).amend).toBe(true);
    expect(may(consultant, "OPINION_SIGNED", { status: "SIGNED", recipients: [] }).amend).toBe(false);
    expect(may(consultant, "DISCUSSED", { status: "SIGNED", recipients: [] }).amend).toBe(true);
    expect(may(consultant, "DISCUSSED", { status: "DRAFT", recipients: [] }).amend).toBe(false);
    expect(may(coordinator, "DELIVERED", { status: "DELIVERED", recipients: [] }).amend).toBe(false);
  });

  it("shows the treating side only delivered versions, and other hospitals and admins nothing", () => {
    expect(canReadOpinion(physician, facts("DISCUSSED"), draft)).toBe(false);
    expect(canReadOpinion(physician, facts("DELIVERED"), delivered)).toBe(true);
    expect(canReadOpinion(otherHospital, facts("DELIVERED"), delivered)).toBe(false);
    expect(canReadOpinion(consultant, facts("DISCUSSED"), draft)).toBe(true);
    expect(canReadOpinion(otherConsultant, facts("DELIVERED"), delivered)).toBe(false);
    expect(canReadOpinion(coordinator, facts("DISCUSSED"), draft)).toBe(true);
    expect(canReadOpinion(admin, facts("DELIVERED"), delivered)).toBe(false);
    expect(canReadOpinion({ ...physician, active: false }, facts("DELIVERED"), delivered)).toBe(false);
  });

  it("accepts as recipients only active treating physicians of the submitting institution", () => {
    const wuhan = { institutionId: "wuhan" };
    expect(isValidRecipient({ role: "TREATING_PHYSICIAN", institutionId: "wuhan", active: true }, wuhan)).toBe(true);
    expect(isValidRecipient({ role: "TREATING_PHYSICIAN", institutionId: "hangzhou", active: true }, wuhan)).toBe(false);
    expect(isValidRecipient({ role: "TREATING_PHYSICIAN", institutionId: "wuhan", active: false }, wuhan)).toBe(false);
    for (const role of ["COORDINATOR", "CONSULTANT", "ADMIN"]) expect(isValidRecipient({ role, institutionId: "wuhan", active: true }, wuhan)).toBe(false);
  });

  it("keeps delivery to coordinators and follow-ups to the treating side and the consultants of a delivered, not archived case", () => {
    expect(granted(coordinator, "manageDelivery")).toEqual(CASE_STATUSES.filter((s) => s !== "DRAFT"));
    expect(granted(consultant, "manageDelivery")).toEqual([]);
    expect(granted(physician, "ask")).toEqual(["DELIVERED", "ACKNOWLEDGED"]);
    expect(granted(otherHospital, "ask")).toEqual([]);
    expect(granted(consultant, "answer")).toEqual(["DELIVERED", "ACKNOWLEDGED"]);
    expect(granted(otherConsultant, "answer")).toEqual([]);
  });

  it("lets both sides of the follow-ups and the coordinators translate them while they may be asked, and nobody else, an interpreter least of all", () => {
    for (const who of [physician, consultant, coordinator]) expect(granted(who, "translateFollowUps")).toEqual(["DELIVERED", "ACKNOWLEDGED"]);
    for (const who of [otherHospital, otherConsultant, admin, actor("INTERPRETER")]) expect(granted(who, "translateFollowUps")).toEqual([]);
    expect(granted({ ...consultant, active: false }, "translateFollowUps")).toEqual([]);
  });

  it("lets a recipient acknowledge the newest delivered version once", () => {
    const to = (acknowledgedAt: Date | null): LatestOpinion => ({ status: "DELIVERED", recipients: [{ userId: physician.id, acknowledgedAt }] });
    expect(may(physician, "DELIVERED", to(null)).acknowledge).toBe(true);
    expect(may(physician, "DELIVERED", to(new Date())).acknowledge).toBe(false);
    expect(may(physician, "ARCHIVED", to(null)).acknowledge).toBe(false);
    expect(may(physician, "DELIVERED", { status: "SIGNED", recipients: [{ userId: physician.id, acknowledgedAt: null }] }).acknowledge).toBe(false);
    expect(may(physician, "DELIVERED", { status: "DELIVERED", recipients: [{ userId: "someone else", acknowledgedAt: null }] }).acknowledge).toBe(false);
  });

  it("lets coordinators archive a delivered case unless an amendment is being drafted", () => {
    expect(granted(coordinator, "archive", { status: "DELIVERED", recipients: [] })).toEqual(["DELIVERED", "ACKNOWLEDGED"]);
    expect(granted(coordinator, "archive", { status: "DRAFT", recipients: [] })).toEqual([]);
    expect(granted(consultant, "archive", { status: "DELIVERED", recipients: [] })).toEqual([]);
  });

  it("makes an archived case read-only for comments, translations and key images", () => {
    for (const check of [
      (f: CaseFacts) => caseAbilities(coordinator, f).comment,
      (f: CaseFacts) => caseAbilities(coordinator, f).translate,
      (f: CaseFacts) => imagingAbilities(coordinator, f).markKeyImage,
    ]) {
      expect(check(facts("DELIVERED"))).toBe(true);
      expect(check(facts("ARCHIVED"))).toBe(false);
    }
  });
});
