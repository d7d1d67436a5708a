/**
 * Who may see a case. Physicians: their own institution's cases. Consultants:
 * cases assigned to them or on the agenda of a board they are invited to. Coordinators: every case once submitted. Admins:
 * list metadata only, never clinical content. Anything else is denied.
 */
import type { Actor } from "~/features/identity/permissions";
import { availableActions, packetEditable, type CaseAction, type CaseRelation, type CaseStatus } from "./case-lifecycle";

export type CaseFacts = {
  institutionId: string;
  status: CaseStatus;
  assignedConsultantIds: string[];
  /** Consultants (and chairs) invited to a board session whose agenda holds the case. */
  boardConsultantIds?: string[];
  createdById?: string;
  /** A draft holding nothing but its code (known only where it is asked; unknown counts as not empty). */
  emptyDraft?: boolean;
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

/** The treating physicians of the submitting institution: their packet, their case's imaging, the opinion delivered to them. */
export function isTreatingSide(actor: Actor, facts: CaseFacts): boolean {
  return actor.role === "TREATING_PHYSICIAN" && canViewCase(actor, facts) && relationTo(actor, facts).ownInstitution;
}

/** The programme's coordinators, who see every submitted case. */
export function isCoordinating(actor: Actor, facts: CaseFacts): boolean {
  return actor.role === "COORDINATOR" && canViewCase(actor, facts);
}

/** What an actor may do with a case: loaders show it, services enforce the same answer. */
export type CaseAbilities = {
  view: boolean;
  /** The treating side's own view: the packet editor (while editable), the case's linkage key. */
  treatingSide: boolean;
  /** Edit and submit the packet: the treating side, while the packet is theirs to change. */
  editPacket: boolean;
  /** Translate its texts (narratives, a return's reason, comments): anyone who sees the case, while it is open. */
  translate: boolean;
  /** Write in the case's discussion once submitted, while it is open. */
  comment: boolean;
  uploadAttachment: boolean;
  /** Triage and the completeness checklist: the coordinators. */
  coordinate: boolean;
  /** The board's own summary of the case seeds the opinion; the treating side receives the signed opinion instead. */
  readBoardSummaries: boolean;
  /** The opinion page exists once the case was submitted. */
  openOpinion: boolean;
  /** Delete the draft outright, without a reason: its author, while it holds nothing. A draft with content is withdrawn instead. */
  deleteDraft: boolean;
  /** The lifecycle actions the case page offers as buttons. */
  actions: CaseAction[];
};
export type CaseAbility = Exclude<keyof CaseAbilities, "actions">;

export function caseAbilities(actor: Actor, facts: CaseFacts): CaseAbilities {
  const view = canViewCase(actor, facts);
  const open = view && !caseReadOnly(facts);
  const treatingSide = isTreatingSide(actor, facts);
  const deleteDraft = treatingSide && facts.status === "DRAFT" && facts.emptyDraft === true && facts.createdById === actor.id;
  return {
    view,
    treatingSide,
    editPacket: treatingSide && packetEditable(facts.status),
    translate: open,
    comment: open && facts.status !== "DRAFT",
    uploadAttachment: treatingSide && packetEditable(facts.status),
    coordinate: isCoordinating(actor, facts),
    readBoardSummaries: view && actor.role !== "TREATING_PHYSICIAN",
    openOpinion: view && facts.status !== "DRAFT",
    deleteDraft,
    actions: view ? availableActions(facts.status, actor.role, relationTo(actor, facts)).filter((action) => !(deleteDraft && action === "withdraw")) : [],
  };
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
