/**
 * Who may take part in a tumor board session, and what of it each one sees.
 * Only invitees join the room: the chair, invited consultants, and the
 * treating physicians of the cases on the agenda, who see only their own
 * institution's agenda items. Pure; the room server asks these for every event.
 */
import type { Actor } from "~/features/identity/permissions";

export const SESSION_STATUSES = ["SCHEDULED", "LIVE", "ENDED", "CANCELLED"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const INVITEE_KINDS = ["CHAIR", "CONSULTANT", "PHYSICIAN"] as const;
export type InviteeKind = (typeof INVITEE_KINDS)[number];

export type SessionFacts = {
  status: SessionStatus;
  chairId: string;
  presenterId: string | null;
  invitees: { userId: string; kind: InviteeKind }[];
  agenda: { id: string; caseId: string; institutionId: string }[];
};

export function invitationOf(actor: Actor, facts: SessionFacts): InviteeKind | null {
  if (!actor.active) return null;
  const invitee = facts.invitees.find((i) => i.userId === actor.id);
  if (!invitee) return null;
  const expected = invitee.kind === "PHYSICIAN" ? "TREATING_PHYSICIAN" : "CONSULTANT";
  return actor.role === expected ? invitee.kind : null;
}

/** Coordinators see every session's schedule; invitees see theirs. */
export function canViewSession(actor: Actor, facts: SessionFacts): boolean {
  return (actor.active && actor.role === "COORDINATOR") || invitationOf(actor, facts) !== null;
}

/** The live room: invitees only, while the session is not cancelled. */
export function canJoinRoom(actor: Actor, facts: SessionFacts): boolean {
  return facts.status !== "CANCELLED" && invitationOf(actor, facts) !== null;
}

export function isChair(actor: Actor, facts: SessionFacts): boolean {
  return invitationOf(actor, facts) === "CHAIR" && facts.chairId === actor.id;
}

/** The presenter drives the shared view; the chair presents until they hand it over. */
export function isPresenter(actor: Actor, facts: SessionFacts): boolean {
  return invitationOf(actor, facts) !== null && (facts.presenterId ?? facts.chairId) === actor.id;
}

/** Agenda items the actor may see: a treating physician only their own institution's; other invitees and coordinators all. */
export function visibleAgendaItemIds(actor: Actor, facts: SessionFacts): Set<string> {
  if (actor.role === "TREATING_PHYSICIAN") return new Set(facts.agenda.filter((item) => actor.institutionId !== null && item.institutionId === actor.institutionId).map((item) => item.id));
  return canViewSession(actor, facts) ? new Set(facts.agenda.map((item) => item.id)) : new Set();
}

/** Whether an event about `agendaItemId` (null: about the whole session) may reach the actor. */
export function mayReceive(actor: Actor, facts: SessionFacts, agendaItemId: string | null): boolean {
  if (!canJoinRoom(actor, facts)) return false;
  return agendaItemId === null || visibleAgendaItemIds(actor, facts).has(agendaItemId);
}
