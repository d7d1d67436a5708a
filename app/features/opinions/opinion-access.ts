/**
 * Who may do what with a case's opinion. Consultants who may see the case
 * draft, translate, sign, amend and answer follow-ups; coordinators read every
 * version, translate, decide "English only", deliver and archive; physicians of
 * the submitting institution read delivered versions only, acknowledge, ask
 * follow-ups and report the outcome. Admins never read opinions. Pure.
 */
import { canViewCase, relationTo, type CaseFacts } from "~/features/cases/case-access";
import { OPINION_DRAFTABLE_STATUSES } from "~/features/cases/case-lifecycle";
import type { Actor } from "~/features/identity/permissions";

export type OpinionFacts = { status: string; deliveredAt: Date | string | null };

export function isConsultantOnCase(actor: Actor, facts: CaseFacts): boolean {
  return actor.role === "CONSULTANT" && canViewCase(actor, facts);
}

export function canReadOpinion(actor: Actor, facts: CaseFacts, opinion: OpinionFacts): boolean {
  if (!canViewCase(actor, facts)) return false;
  if (actor.role === "CONSULTANT" || actor.role === "COORDINATOR") return true;
  return actor.role === "TREATING_PHYSICIAN" && opinion.deliveredAt !== null;
}

/** Starting a draft, editing its English, and amending a signed opinion. */
export function canDraftOpinion(actor: Actor, facts: CaseFacts): boolean {
  return isConsultantOnCase(actor, facts) && OPINION_DRAFTABLE_STATUSES.includes(facts.status);
}

/** The Chinese translation of a draft: its consultants and the coordinators. */
export function canTranslateOpinion(actor: Actor, facts: CaseFacts): boolean {
  return (canDraftOpinion(actor, facts) || (actor.role === "COORDINATOR" && canViewCase(actor, facts))) && OPINION_DRAFTABLE_STATUSES.includes(facts.status);
}

export function canManageDelivery(actor: Actor, facts: CaseFacts): boolean {
  return actor.role === "COORDINATOR" && canViewCase(actor, facts);
}

/** The treating side of a delivered opinion: acknowledgement, follow-up questions, the outcome. */
export function isTreatingSide(actor: Actor, facts: CaseFacts): boolean {
  return actor.role === "TREATING_PHYSICIAN" && actor.active && relationTo(actor, facts).ownInstitution;
}

/** Archived cases are read-only: nothing more is asked, answered or reported. */
export function caseOpenForFollowUp(facts: CaseFacts): boolean {
  return facts.status === "DELIVERED" || facts.status === "ACKNOWLEDGED";
}

export type Recipient = { role: string; institutionId: string | null; active: boolean };

/** The only people an opinion may be delivered to: active treating physicians of the institution that submitted the case. */
export function isValidRecipient(recipient: Recipient, facts: Pick<CaseFacts, "institutionId">): boolean {
  return recipient.active && recipient.role === "TREATING_PHYSICIAN" && recipient.institutionId === facts.institutionId;
}
