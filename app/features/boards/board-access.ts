/**
 * Who may take part in a tumor board session, and what of it each one sees.
 * Only invitees join the room: the chair, invited consultants, and the
 * treating physicians of the cases on the agenda, who see only their own
 * institution's agenda items, are the board's members; an invited interpreter
 * reads the room and translates what is said in it, and nothing more. The
 * coordinators who manage sessions may also open the room to observe, and run
 * it as co-chair when the chair makes them so.
 * Pure; the room server asks these for every event.
 */
import { can, type Actor } from "~/features/identity/permissions";
import type { Role } from "~/features/identity/roles";
import { scheduleEditable } from "./board-schedule";

export const SESSION_STATUSES = ["SCHEDULED", "LIVE", "ENDED", "CANCELLED"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const INVITEE_KINDS = ["CHAIR", "CONSULTANT", "PHYSICIAN", "INTERPRETER"] as const;
export type InviteeKind = (typeof INVITEE_KINDS)[number];

export type SessionFacts = {
  status: SessionStatus;
  chairId: string;
  presenterId: string | null;
  /** A coordinator the chair gave the chair's controls to, or null. */
  coChairId: string | null;
  invitees: { userId: string; kind: InviteeKind }[];
  agenda: { id: string; caseId: string; institutionId: string }[];
};

/** The role an invitation of each kind is for: an invitation held by an account of another role counts for nothing. */
const INVITED_ROLE: Record<InviteeKind, Role> = { CHAIR: "CONSULTANT", CONSULTANT: "CONSULTANT", PHYSICIAN: "TREATING_PHYSICIAN", INTERPRETER: "INTERPRETER" };

export function invitationOf(actor: Actor, facts: SessionFacts): InviteeKind | null {
  if (!actor.active) return null;
  const invitee = facts.invitees.find((i) => i.userId === actor.id);
  if (!invitee || !Object.hasOwn(INVITED_ROLE, invitee.kind)) return null;
  return actor.role === INVITED_ROLE[invitee.kind] ? invitee.kind : null;
}

/** The board's members (the chair, the consultants, the cases' physicians) vote and speak; an interpreter is invited but no member. */
export function isBoardMember(actor: Actor, facts: SessionFacts): boolean {
  const invitation = invitationOf(actor, facts);
  return invitation !== null && invitation !== "INTERPRETER";
}

export function isInterpreter(actor: Actor, facts: SessionFacts): boolean {
  return invitationOf(actor, facts) === "INTERPRETER";
}

/** Coordinators see every session's schedule (the session list asks this before it narrows to invitations). */
export function seesEverySession(actor: Actor): boolean {
  return actor.active && actor.role === "COORDINATOR";
}

/** Create, edit and cancel sessions and build their agendas. */
export function mayScheduleSessions(actor: Actor): boolean {
  return can(actor, "sessions.schedule");
}

/** Coordinators see every session's schedule; invitees see theirs. */
export function canViewSession(actor: Actor, facts: SessionFacts): boolean {
  return seesEverySession(actor) || invitationOf(actor, facts) !== null;
}

/** The live room: invitees take part, the coordinators who manage sessions observe; never once the session is cancelled. */
export function canJoinRoom(actor: Actor, facts: SessionFacts): boolean {
  return facts.status !== "CANCELLED" && (invitationOf(actor, facts) !== null || mayScheduleSessions(actor));
}

/** How a participant is in the room: by invitation, or as an observing coordinator (null: not at all). */
export function roomPlaceOf(actor: Actor, facts: SessionFacts): InviteeKind | "OBSERVER" | null {
  if (!canJoinRoom(actor, facts)) return null;
  return invitationOf(actor, facts) ?? "OBSERVER";
}

export function isChair(actor: Actor, facts: SessionFacts): boolean {
  return invitationOf(actor, facts) === "CHAIR" && facts.chairId === actor.id;
}

/** A coordinator the chair made co-chair runs the board with the chair's controls, for as long as they may manage sessions. */
export function isCoChair(actor: Actor, facts: SessionFacts): boolean {
  return facts.coChairId === actor.id && mayScheduleSessions(actor);
}

/** Whom the chair may make co-chair: an observing coordinator in the room. */
export function coChairCandidate(participant: { kind: string }): boolean {
  return participant.kind === "OBSERVER";
}

/** The presenter drives the shared view; the chair presents until they hand it over. */
export function isPresenter(actor: Actor, facts: SessionFacts): boolean {
  return isBoardMember(actor, facts) && (facts.presenterId ?? facts.chairId) === actor.id;
}

/** Whom the chair may hand the presentation to: the chair or an invited consultant, never a treating physician or an observer. */
export function presenterCandidate(invitee: { kind: string }): boolean {
  return invitee.kind === "CHAIR" || invitee.kind === "CONSULTANT";
}

/** Agenda items the actor may see: a treating physician only their own institution's; other invitees and coordinators all. */
export function visibleAgendaItemIds(actor: Actor, facts: SessionFacts): Set<string> {
  if (actor.role === "TREATING_PHYSICIAN")
    return new Set(facts.agenda.filter((item) => actor.institutionId !== null && item.institutionId === actor.institutionId).map((item) => item.id));
  return canViewSession(actor, facts) ? new Set(facts.agenda.map((item) => item.id)) : new Set();
}

/** Whether an event about `agendaItemId` (null: about the whole session) may reach the actor. */
export function mayReceive(actor: Actor, facts: SessionFacts, agendaItemId: string | null): boolean {
  if (!canJoinRoom(actor, facts)) return false;
  return agendaItemId === null || visibleAgendaItemIds(actor, facts).has(agendaItemId);
}

/** The board's invitees a reader may see: a treating physician sees no physician of another hospital. */
export function visibleInvitees<T extends { kind: string; institutionId: string | null }>(actor: Actor, invitees: readonly T[]): T[] {
  if (actor.role !== "TREATING_PHYSICIAN") return [...invitees];
  return invitees.filter((i) => i.kind !== "PHYSICIAN" || i.institutionId === actor.institutionId);
}

/** What an actor may do with a board session: its page shows these, the scheduling service and the room enforce them. */
export type SessionAbilities = {
  view: boolean;
  /** Create, edit and cancel sessions, and see every invitee's working-hours warning. */
  schedule: boolean;
  /** Change the schedule and the agenda: only before the board starts. */
  editSchedule: boolean;
  /** Treating physicians see only their own institution's agenda items. */
  seeWholeAgenda: boolean;
  /** Invitees take part; coordinators who manage sessions observe. */
  joinRoom: boolean;
  /** The room is open until the board ends. */
  enterRoom: boolean;
  /** The chair's controls: the chair, and a co-chair they appointed. */
  chair: boolean;
  /** Make an observing coordinator co-chair, or take it back: the chair alone. */
  appointCoChair: boolean;
  /** Vote in the board's polls: the members; an observing coordinator, co-chair or not, and an interpreter are no members of the board. */
  vote: boolean;
  /** Write in the room's discussion: the members and the co-chair; an observer and an interpreter only read it. */
  speak: boolean;
  /** Translate the room's messages, votes and summaries: whoever speaks there, and the board's interpreters. */
  translate: boolean;
  present: boolean;
  /** Who was in the room and when: the coordinators and the chair. */
  exportAttendance: boolean;
};
export type SessionAbility = keyof SessionAbilities;

export function sessionAbilities(actor: Actor, facts: SessionFacts): SessionAbilities {
  const view = canViewSession(actor, facts);
  const schedule = view && mayScheduleSessions(actor);
  const joinRoom = canJoinRoom(actor, facts);
  const member = joinRoom && isBoardMember(actor, facts);
  const chair = isChair(actor, facts) || (joinRoom && isCoChair(actor, facts));
  return {
    view,
    schedule,
    editSchedule: schedule && scheduleEditable(facts.status),
    seeWholeAgenda: view && actor.role !== "TREATING_PHYSICIAN",
    joinRoom,
    enterRoom: joinRoom && (facts.status === "SCHEDULED" || facts.status === "LIVE"),
    chair,
    appointCoChair: isChair(actor, facts),
    vote: member,
    speak: member || chair,
    translate: member || chair || (joinRoom && isInterpreter(actor, facts)),
    present: isPresenter(actor, facts),
    exportAttendance: actor.active && (mayScheduleSessions(actor) || facts.chairId === actor.id),
  };
}
