/**
 * Who hears of each step about a case, decided by the case's and the
 * opinion's abilities and nothing else: a step's audience is the people who
 * may now act on it. Anyone the rule does not name hears nothing; a consultant
 * not assigned to the case never hears of it. Pure.
 */
import { canViewCase, caseAbilities, relationTo, type CaseFacts } from "~/features/cases/case-access";
import type { CaseStatus } from "~/features/cases/case-lifecycle";
import { can, type Actor } from "~/features/identity/permissions";
import { opinionAbilities } from "~/features/opinions/opinion-access";
import type { CaseNotificationKind } from "./notifications";

/** A consultant assigned to review the case (and who may still see it). */
const reviewsCase = (actor: Actor, facts: CaseFacts) => canViewCase(actor, facts) && relationTo(actor, facts).assigned;
const coordinates = (actor: Actor, facts: CaseFacts) => caseAbilities(actor, facts).coordinate;
/** Where the consultants' own work is what the due date waits for: not while the packet is back with its hospital, nor once the opinion is signed. */
const REVIEW_PENDING: readonly CaseStatus[] = ["TRIAGED", "IN_REVIEW", "SCHEDULED", "DISCUSSED"];
/** A due date concerns the coordinators always, and the consultants assigned while their review is pending. */
const dueDateAudience = (actor: Actor, facts: CaseFacts) => (REVIEW_PENDING.includes(facts.status) && reviewsCase(actor, facts)) || coordinates(actor, facts);

/** For each kind, whether an actor hears of it, given the case's facts as they are once the step is taken. */
export const CASE_AUDIENCE: Record<CaseNotificationKind, (actor: Actor, facts: CaseFacts) => boolean> = {
  /** A submitted case waits for triage. */
  caseSubmitted: coordinates,
  /** A returned packet waits for its treating physicians to complete it. */
  caseReturned: (actor, facts) => caseAbilities(actor, facts).editPacket,
  caseAssigned: reviewsCase,
  caseDueSoon: dueDateAudience,
  caseOverdue: dueDateAudience,
  /** A signed opinion waits for delivery. */
  opinionSigned: (actor, facts) => opinionAbilities(actor, facts, null).manageDelivery,
  opinionDelivered: (actor, facts) => caseAbilities(actor, facts).treatingSide,
  opinionAcknowledged: (actor, facts) => opinionAbilities(actor, facts, null).manageDelivery || reviewsCase(actor, facts),
  followUpAsked: (actor, facts) => opinionAbilities(actor, facts, null).answer && relationTo(actor, facts).assigned,
  followUpAnswered: (actor, facts) => opinionAbilities(actor, facts, null).ask,
};

/** The actors among `candidates` who hear of a step of this kind (and receive notifications at all). */
export function caseAudience<A extends Actor>(kind: CaseNotificationKind, facts: CaseFacts, candidates: readonly A[]): A[] {
  return candidates.filter((actor) => can(actor, "notifications.receive") && CASE_AUDIENCE[kind](actor, facts));
}
