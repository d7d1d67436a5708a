/**
 * Who may do what with a case's opinion. Consultants who may see the case
 * draft, translate, sign, amend and answer follow-ups; coordinators read every
 * version, translate, decide "English only", deliver and archive; physicians of
 * the submitting institution read delivered versions only, acknowledge, ask
 * follow-ups and report the outcome. Admins never read opinions. Pure.
 */
import { canViewCase, isCoordinating, isTreatingSide, type CaseFacts } from "~/features/cases/case-access";
import { OPINION_DRAFTABLE_STATUSES } from "~/features/cases/case-lifecycle";
import type { Actor } from "~/features/identity/permissions";

export type OpinionFacts = { status: string; deliveredAt: Date | string | null };

function isConsultantOnCase(actor: Actor, facts: CaseFacts): boolean {
  return actor.role === "CONSULTANT" && canViewCase(actor, facts);
}

export function canReadOpinion(actor: Actor, facts: CaseFacts, opinion: OpinionFacts): boolean {
  if (!canViewCase(actor, facts)) return false;
  if (actor.role === "CONSULTANT" || actor.role === "COORDINATOR") return true;
  return actor.role === "TREATING_PHYSICIAN" && opinion.deliveredAt !== null;
}

/** Archived cases are read-only: nothing more is asked, answered or reported. */
function caseOpenForFollowUp(facts: CaseFacts): boolean {
  return facts.status === "DELIVERED" || facts.status === "ACKNOWLEDGED";
}

/** The newest version the actor reads, as far as the abilities depend on it. */
export type LatestOpinion = { status: string; recipients: readonly { userId: string; acknowledgedAt: Date | string | null }[] } | null;

export type OpinionAbilities = {
  /** Start a draft, edit its English, amend a signed opinion: the consultants on the case, from review until archiving. */
  draft: boolean;
  /** The Chinese translation of a draft: its consultants and the coordinators. */
  translate: boolean;
  /** Sign with the password again: the consultants on the case (the lifecycle decides when). */
  sign: boolean;
  /** Start an amendment of the newest signed or delivered version. */
  amend: boolean;
  /** "English only", delivery to the treating physicians, the outcome report: the coordinators. */
  manageDelivery: boolean;
  /** Follow-up questions and the outcome report: the treating side of a delivered, not yet archived opinion. */
  ask: boolean;
  answer: boolean;
  /** Translate the follow-ups' questions and answers: either side of them and the coordinators, while they may still be asked. */
  translateFollowUps: boolean;
  /** Acknowledge the newest delivered version, once, as one of its recipients. */
  acknowledge: boolean;
  /** Archive the case once delivered, unless an amendment is being drafted. */
  archive: boolean;
};
export type OpinionAbility = keyof OpinionAbilities;

export function opinionAbilities(actor: Actor, facts: CaseFacts, latest: LatestOpinion): OpinionAbilities {
  const consultant = isConsultantOnCase(actor, facts);
  const draft = consultant && OPINION_DRAFTABLE_STATUSES.includes(facts.status);
  const manageDelivery = isCoordinating(actor, facts);
  const ask = isTreatingSide(actor, facts) && caseOpenForFollowUp(facts);
  return {
    draft,
    translate: (draft || manageDelivery) && OPINION_DRAFTABLE_STATUSES.includes(facts.status),
    sign: consultant,
    amend: draft && (latest?.status === "SIGNED" || latest?.status === "DELIVERED"),
    manageDelivery,
    ask,
    answer: consultant && caseOpenForFollowUp(facts),
    translateFollowUps: (consultant || isTreatingSide(actor, facts) || manageDelivery) && caseOpenForFollowUp(facts),
    acknowledge: ask && latest?.status === "DELIVERED" && latest.recipients.some((r) => r.userId === actor.id && !r.acknowledgedAt),
    archive: manageDelivery && caseOpenForFollowUp(facts) && latest?.status !== "DRAFT",
  };
}

/**
 * Whether the opinion page has something for the actor: a draft to start or continue, versions to read, or a delivery to manage.
 * `versions` are all the case's versions (the newest alone by default): a physician still reads a delivered version while its amendment is drafted.
 */
export function opinionWithinReach(
  actor: Actor,
  facts: CaseFacts,
  latest: (NonNullable<LatestOpinion> & OpinionFacts) | null,
  versions: readonly OpinionFacts[] = latest ? [latest] : [],
): boolean {
  const may = opinionAbilities(actor, facts, latest);
  return may.draft || may.manageDelivery || versions.some((version) => canReadOpinion(actor, facts, version));
}

export type Recipient = { role: string; institutionId: string | null; active: boolean };

/** The only people an opinion may be delivered to: active treating physicians of the institution that submitted the case. */
export function isValidRecipient(recipient: Recipient, facts: Pick<CaseFacts, "institutionId">): boolean {
  return recipient.active && recipient.role === "TREATING_PHYSICIAN" && recipient.institutionId === facts.institutionId;
}
