/**
 * Who may see a case. Physicians: their own institution's cases. Consultants:
 * cases assigned to them or on the agenda of a board they are invited to. Coordinators: every case once submitted. Admins:
 * list metadata only, never clinical content. Anything else is denied.
 */
import type { Actor } from "~/features/identity/permissions";
import type { CaseRelation, CaseStatus } from "./case-lifecycle";

export type CaseFacts = {
  institutionId: string;
  status: CaseStatus;
  assignedConsultantIds: string[];
  /** Consultants (and chairs) invited to a board session whose agenda holds the case. */
  boardConsultantIds?: string[];
};

export function relationTo(actor: Actor, facts: CaseFacts): CaseRelation {
  return {
    ownInstitution: actor.institutionId !== null && actor.institutionId === facts.institutionId,
    assigned: facts.assignedConsultantIds.includes(actor.id),
  };
}

export function canViewCase(actor: Actor, facts: CaseFacts): boolean {
  if (!actor.active) return false;
  const relation = relationTo(actor, facts);
  switch (actor.role) {
    case "TREATING_PHYSICIAN":
      return relation.ownInstitution;
    case "CONSULTANT":
      return (relation.assigned || (facts.boardConsultantIds ?? []).includes(actor.id)) && facts.status !== "DRAFT";
    case "COORDINATOR":
      return facts.status !== "DRAFT";
    default:
      return false;
  }
}

/** Withdrawn and archived cases are kept read-only. */
export function caseReadOnly(facts: Pick<CaseFacts, "status">): boolean {
  return facts.status === "WITHDRAWN" || facts.status === "ARCHIVED";
}

/** Translations: the treating side, the coordinator, and assigned consultants. */
export function canTranslate(actor: Actor, facts: CaseFacts): boolean {
  return canViewCase(actor, facts) && !caseReadOnly(facts);
}

export function canComment(actor: Actor, facts: CaseFacts): boolean {
  return canViewCase(actor, facts) && facts.status !== "DRAFT" && !caseReadOnly(facts);
}

export function canUploadAttachment(actor: Actor, facts: CaseFacts): boolean {
  return actor.role === "TREATING_PHYSICIAN" && relationTo(actor, facts).ownInstitution && (facts.status === "DRAFT" || facts.status === "RETURNED");
}

/** The treating side and coordinators add imaging to a case that is still open. */
export function canAddImaging(actor: Actor, facts: CaseFacts): boolean {
  if (!canViewCase(actor, facts) || caseReadOnly(facts)) return false;
  return (actor.role === "TREATING_PHYSICIAN" && relationTo(actor, facts).ownInstitution) || actor.role === "COORDINATOR";
}

/** Consultants and coordinators who may see the case mark key images for the board. */
export function canMarkKeyImage(actor: Actor, facts: CaseFacts): boolean {
  return canViewCase(actor, facts) && !caseReadOnly(facts) && (actor.role === "CONSULTANT" || actor.role === "COORDINATOR");
}

/** Case lists: which cases a role's list shows, as a filter the data layer applies. */
export type CaseScope =
  | { kind: "institution"; institutionId: string }
  | { kind: "assigned"; consultantId: string }
  | { kind: "submitted" }
  | { kind: "metadataOnly" }
  | { kind: "none" };

export function caseScope(actor: Actor): CaseScope {
  if (!actor.active) return { kind: "none" };
  switch (actor.role) {
    case "TREATING_PHYSICIAN":
      return actor.institutionId ? { kind: "institution", institutionId: actor.institutionId } : { kind: "none" };
    case "CONSULTANT":
      return { kind: "assigned", consultantId: actor.id };
    case "COORDINATOR":
      return { kind: "submitted" };
    case "ADMIN":
      return { kind: "metadataOnly" };
    default:
      return { kind: "none" };
  }
}
