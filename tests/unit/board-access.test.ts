import { describe, expect, it } from "vitest";
import {
  canJoinRoom,
  canViewSession,
  coChairCandidate,
  invitationOf,
  isChair,
  isCoChair,
  isPresenter,
  mayReceive,
  mayScheduleSessions,
  presenterCandidate,
  roomPlaceOf,
  seesEverySession,
  SESSION_STATUSES,
  sessionAbilities,
  visibleAgendaItemIds,
  visibleInvitees,
  type SessionAbilities,
  type SessionFacts,
  type SessionStatus,
} from "~/features/boards/board-access";
import type { Actor } from "~/features/identity/permissions";
import type { Role } from "~/features/identity/roles";

const actor = (role: Role, id: string, institutionId: string | null = null): Actor => ({ id, role, institutionId, active: true });
const chair = actor("CONSULTANT", "chair", "pacific");
const consultant = actor("CONSULTANT", "c1", "pacific");
const uninvitedConsultant = actor("CONSULTANT", "c2", "pacific");
const wuhanPhysician = actor("TREATING_PHYSICIAN", "p-wuhan", "wuhan");
const hangzhouPhysician = actor("TREATING_PHYSICIAN", "p-hangzhou", "hangzhou");
const uninvitedPhysician = actor("TREATING_PHYSICIAN", "p-wuhan-2", "wuhan");
const coordinator = actor("COORDINATOR", "k1");
const admin = actor("ADMIN", "a1");
const interpreter = actor("INTERPRETER", "i1");
const uninvitedInterpreter = actor("INTERPRETER", "i2");
const inactive = (who: Actor): Actor => ({ ...who, active: false });

const facts = (status: SessionStatus, presenterId: string | null = null, coChairId: string | null = null): SessionFacts => ({
  status,
  chairId: "chair",
  presenterId,
  coChairId,
  invitees: [
    { userId: "chair", kind: "CHAIR" },
    { userId: "c1", kind: "CONSULTANT" },
    { userId: "p-wuhan", kind: "PHYSICIAN" },
    { userId: "p-hangzhou", kind: "PHYSICIAN" },
    { userId: "i1", kind: "INTERPRETER" },
  ],
  agenda: [
    { id: "item-wuhan", caseId: "case-wuhan", institutionId: "wuhan" },
    { id: "item-hangzhou", caseId: "case-hangzhou", institutionId: "hangzhou" },
    { id: "item-wuhan-2", caseId: "case-wuhan-2", institutionId: "wuhan" },
  ],
});
const may = (who: Actor, status: SessionStatus = "SCHEDULED") => sessionAbilities(who, facts(status));
const granted = (who: Actor, ability: keyof SessionAbilities) => SESSION_STATUSES.filter((status) => may(who, status)[ability]);
const invitees = [chair, consultant, wuhanPhysician, hangzhouPhysician];
const everyone = [...invitees, interpreter, uninvitedConsultant, uninvitedPhysician, uninvitedInterpreter, coordinator, admin];

describe("session abilities", () => {
  it("shows a session to its invitees and the coordinators only, whatever its status", () => {
    for (const who of [...invitees, coordinator]) expect(granted(who, "view")).toEqual([...SESSION_STATUSES]);
    for (const who of [uninvitedConsultant, uninvitedPhysician, admin]) expect(granted(who, "view")).toEqual([]);
    for (const who of [...invitees, coordinator]) expect(granted(inactive(who), "view")).toEqual([]);
    expect(canViewSession(consultant, facts("LIVE"))).toBe(true);
    expect(canViewSession(uninvitedConsultant, facts("LIVE"))).toBe(false);
  });

  it("takes an invitation only as the kind the user's role can hold: the chair and consultants as consultants, physicians as treating physicians", () => {
    expect(invitationOf(chair, facts("SCHEDULED"))).toBe("CHAIR");
    expect(invitationOf(consultant, facts("SCHEDULED"))).toBe("CONSULTANT");
    expect(invitationOf(wuhanPhysician, facts("SCHEDULED"))).toBe("PHYSICIAN");
    expect(invitationOf(uninvitedConsultant, facts("SCHEDULED"))).toBeNull();
    expect(invitationOf(inactive(consultant), facts("SCHEDULED"))).toBeNull();
    // A user whose role no longer matches the invitation (an account changed from physician to coordinator, say) is not invited.
    expect(invitationOf(actor("COORDINATOR", "p-wuhan"), facts("SCHEDULED"))).toBeNull();
    expect(invitationOf(actor("TREATING_PHYSICIAN", "c1", "wuhan"), facts("SCHEDULED"))).toBeNull();
    // As a coordinator they may observe the room, like any coordinator, but not take part as the physician they were.
    expect(sessionAbilities(actor("COORDINATOR", "p-wuhan"), facts("SCHEDULED"))).toMatchObject({ chair: false, present: false });
    expect(roomPlaceOf(actor("COORDINATOR", "p-wuhan"), facts("SCHEDULED"))).toBe("OBSERVER");
  });

  it("lets only coordinators schedule, and change the schedule and agenda only while the session is SCHEDULED", () => {
    expect(granted(coordinator, "schedule")).toEqual([...SESSION_STATUSES]);
    expect(granted(coordinator, "editSchedule")).toEqual(["SCHEDULED"]);
    for (const who of [...everyone.filter((w) => w !== coordinator), inactive(coordinator)]) {
      expect(granted(who, "schedule")).toEqual([]);
      expect(granted(who, "editSchedule")).toEqual([]);
    }
    expect(mayScheduleSessions(coordinator)).toBe(true);
    for (const who of [chair, consultant, wuhanPhysician, admin, inactive(coordinator)]) expect(mayScheduleSessions(who)).toBe(false);
  });

  it("lets coordinators see every session's schedule, and nobody else", () => {
    expect(seesEverySession(coordinator)).toBe(true);
    for (const who of [chair, consultant, wuhanPhysician, admin, inactive(coordinator)]) expect(seesEverySession(who)).toBe(false);
  });

  it("shows the whole agenda to everyone who may see the session except treating physicians", () => {
    for (const who of [chair, consultant, coordinator]) expect(granted(who, "seeWholeAgenda")).toEqual([...SESSION_STATUSES]);
    for (const who of [wuhanPhysician, hangzhouPhysician, uninvitedConsultant, admin]) expect(granted(who, "seeWholeAgenda")).toEqual([]);
  });

  it("admits invitees and the coordinators who manage sessions to the room, never to a cancelled session's, and lets them in until the board ends", () => {
    for (const who of [...invitees, coordinator]) {
      expect(granted(who, "joinRoom")).toEqual(["SCHEDULED", "LIVE", "ENDED"]);
      expect(granted(who, "enterRoom")).toEqual(["SCHEDULED", "LIVE"]);
      expect(granted(inactive(who), "joinRoom")).toEqual([]);
    }
    expect(roomPlaceOf(coordinator, facts("LIVE"))).toBe("OBSERVER");
    expect(roomPlaceOf(consultant, facts("LIVE"))).toBe("CONSULTANT");
    expect(roomPlaceOf(coordinator, facts("CANCELLED"))).toBeNull();
    expect(roomPlaceOf(admin, facts("LIVE"))).toBeNull();
    for (const who of [uninvitedConsultant, uninvitedPhysician, admin]) {
      expect(granted(who, "joinRoom")).toEqual([]);
      expect(granted(who, "enterRoom")).toEqual([]);
    }
    expect(canJoinRoom(wuhanPhysician, facts("LIVE"))).toBe(true);
    expect(canJoinRoom(wuhanPhysician, facts("CANCELLED"))).toBe(false);
  });

  it("makes the chair the chair and, until they hand it over, the presenter; a presenter they chose presents instead", () => {
    expect(granted(chair, "chair")).toEqual([...SESSION_STATUSES]);
    for (const who of everyone.filter((w) => w !== chair)) expect(granted(who, "chair")).toEqual([]);
    expect(granted(inactive(chair), "chair")).toEqual([]);
    expect(isChair(chair, facts("LIVE"))).toBe(true);
    // Invited as CHAIR but no longer the session's chair: not the chair.
    expect(isChair(chair, { ...facts("LIVE"), chairId: "c1" })).toBe(false);

    expect(may(chair, "LIVE").present).toBe(true);
    expect(may(consultant, "LIVE").present).toBe(false);
    const handedOver = facts("LIVE", "c1");
    expect(sessionAbilities(consultant, handedOver).present).toBe(true);
    expect(sessionAbilities(chair, handedOver).present).toBe(false);
    expect(sessionAbilities(chair, handedOver).chair).toBe(true);
    expect(isPresenter(consultant, handedOver)).toBe(true);
    // Presenting needs an invitation: someone named presenter but no longer invited does not present.
    expect(isPresenter(uninvitedConsultant, facts("LIVE", "c2"))).toBe(false);
    expect(isPresenter(inactive(consultant), handedOver)).toBe(false);
  });

  it("lets the chair hand the presentation to the chair or a consultant, never to a treating physician or an observer", () => {
    expect(presenterCandidate({ kind: "CHAIR" })).toBe(true);
    expect(presenterCandidate({ kind: "CONSULTANT" })).toBe(true);
    expect(presenterCandidate({ kind: "PHYSICIAN" })).toBe(false);
    expect(presenterCandidate({ kind: "OBSERVER" })).toBe(false);
  });

  it("gives an observing coordinator the chair's controls only once the chair makes them co-chair, and only the chair appoints", () => {
    expect(may(coordinator, "LIVE")).toMatchObject({ joinRoom: true, chair: false, present: false, appointCoChair: false });
    const coChaired = facts("LIVE", null, "k1");
    expect(isCoChair(coordinator, coChaired)).toBe(true);
    expect(sessionAbilities(coordinator, coChaired)).toMatchObject({ chair: true, present: false, appointCoChair: false });
    // The chair keeps their controls, and alone appoints.
    expect(sessionAbilities(chair, coChaired)).toMatchObject({ chair: true, appointCoChair: true });
    for (const who of everyone.filter((w) => w !== chair)) expect(sessionAbilities(who, coChaired).appointCoChair).toBe(false);
    // Named co-chair but not (or no longer) a coordinator who manages sessions: no controls.
    expect(sessionAbilities(inactive(coordinator), coChaired).chair).toBe(false);
    expect(sessionAbilities(consultant, facts("LIVE", null, "c1")).chair).toBe(false);
    expect(sessionAbilities(admin, facts("LIVE", null, "a1")).chair).toBe(false);
    // Not in a cancelled session's room.
    expect(sessionAbilities(coordinator, facts("CANCELLED", null, "k1")).chair).toBe(false);
    // An observer neither votes nor writes; a co-chair writes but, as no member of the board, does not vote.
    expect(may(coordinator, "LIVE")).toMatchObject({ vote: false, speak: false });
    expect(sessionAbilities(coordinator, coChaired)).toMatchObject({ vote: false, speak: true });
    for (const who of invitees) expect(may(who, "LIVE")).toMatchObject({ vote: true, speak: true });
    for (const who of [uninvitedConsultant, uninvitedPhysician, admin]) expect(may(who, "LIVE")).toMatchObject({ vote: false, speak: false });
    // Only an observer can be made co-chair.
    expect(coChairCandidate({ kind: "OBSERVER" })).toBe(true);
    for (const kind of ["CHAIR", "CONSULTANT", "PHYSICIAN", ""]) expect(coChairCandidate({ kind })).toBe(false);
  });

  it("lets the coordinators and the chair export attendance, in any status, and nobody else", () => {
    expect(granted(coordinator, "exportAttendance")).toEqual([...SESSION_STATUSES]);
    expect(granted(chair, "exportAttendance")).toEqual([...SESSION_STATUSES]);
    for (const who of [consultant, wuhanPhysician, hangzhouPhysician, uninvitedConsultant, admin, inactive(chair), inactive(coordinator)]) {
      expect(granted(who, "exportAttendance")).toEqual([]);
    }
  });
});

describe("an interpreter", () => {
  it("sees the board they are invited to and joins its room, with its whole agenda, until it ends", () => {
    expect(granted(interpreter, "view")).toEqual([...SESSION_STATUSES]);
    expect(granted(interpreter, "joinRoom")).toEqual(["SCHEDULED", "LIVE", "ENDED"]);
    expect(granted(interpreter, "enterRoom")).toEqual(["SCHEDULED", "LIVE"]);
    expect(roomPlaceOf(interpreter, facts("LIVE"))).toBe("INTERPRETER");
    expect([...visibleAgendaItemIds(interpreter, facts("LIVE"))]).toEqual(["item-wuhan", "item-hangzhou", "item-wuhan-2"]);
    expect(mayReceive(interpreter, facts("LIVE"), "item-hangzhou")).toBe(true);
  });

  it("translates in the room and does nothing else there: no vote, no message of their own, no chair's controls, no presenting", () => {
    for (const status of SESSION_STATUSES)
      expect(may(interpreter, status)).toMatchObject({
        vote: false,
        speak: false,
        chair: false,
        appointCoChair: false,
        present: false,
        schedule: false,
        editSchedule: false,
        exportAttendance: false,
      });
    expect(granted(interpreter, "translate")).toEqual(["SCHEDULED", "LIVE", "ENDED"]);
    // Named presenter or co-chair by a crafted session, still neither.
    expect(sessionAbilities(interpreter, facts("LIVE", "i1", "i1"))).toMatchObject({ present: false, chair: false });
    expect(presenterCandidate({ kind: "INTERPRETER" })).toBe(false);
    expect(coChairCandidate({ kind: "INTERPRETER" })).toBe(false);
  });

  it("is nothing to a board they are not invited to, nor once disabled; an interpreter's invitation held by another role counts for nothing", () => {
    for (const who of [uninvitedInterpreter, inactive(interpreter)]) {
      for (const ability of ["view", "joinRoom", "translate"] as const) expect(granted(who, ability)).toEqual([]);
      expect(visibleAgendaItemIds(who, facts("LIVE")).size).toBe(0);
    }
    expect(invitationOf(actor("CONSULTANT", "i1"), facts("LIVE"))).toBeNull();
    expect(invitationOf(actor("TREATING_PHYSICIAN", "i1", "wuhan"), facts("LIVE"))).toBeNull();
    expect(invitationOf(interpreter, { ...facts("LIVE"), invitees: [{ userId: "i1", kind: "CONSULTANT" }] })).toBeNull();
  });

  it("leaves translating to those who speak in the room and the interpreters: not the observers, nor anyone uninvited", () => {
    for (const who of invitees) expect(may(who, "LIVE").translate).toBe(true);
    expect(sessionAbilities(coordinator, facts("LIVE", null, "k1")).translate).toBe(true);
    for (const who of [coordinator, uninvitedConsultant, uninvitedPhysician, admin]) expect(may(who, "LIVE").translate).toBe(false);
  });
});

describe("what each participant sees of a session", () => {
  it("shows a treating physician only their own institution's agenda items, and everyone else who may see the session all of them", () => {
    const session = facts("LIVE");
    expect([...visibleAgendaItemIds(wuhanPhysician, session)]).toEqual(["item-wuhan", "item-wuhan-2"]);
    expect([...visibleAgendaItemIds(hangzhouPhysician, session)]).toEqual(["item-hangzhou"]);
    expect([...visibleAgendaItemIds(actor("TREATING_PHYSICIAN", "p-wuhan", null), session)]).toEqual([]);
    for (const who of [chair, consultant, coordinator])
      expect([...visibleAgendaItemIds(who, session)]).toEqual(["item-wuhan", "item-hangzhou", "item-wuhan-2"]);
    for (const who of [uninvitedConsultant, admin, inactive(coordinator)]) expect([...visibleAgendaItemIds(who, session)]).toEqual([]);
  });

  it("lets an event about an agenda item reach only the room's participants who may see that item; session-wide events reach them all", () => {
    const session = facts("LIVE");
    expect(mayReceive(wuhanPhysician, session, "item-wuhan")).toBe(true);
    expect(mayReceive(wuhanPhysician, session, "item-hangzhou")).toBe(false);
    expect(mayReceive(hangzhouPhysician, session, "item-hangzhou")).toBe(true);
    expect(mayReceive(hangzhouPhysician, session, "item-wuhan")).toBe(false);
    for (const who of invitees) expect(mayReceive(who, session, null)).toBe(true);
    for (const item of ["item-wuhan", "item-hangzhou"]) {
      expect(mayReceive(chair, session, item)).toBe(true);
      expect(mayReceive(consultant, session, item)).toBe(true);
    }
    // An observing coordinator sees every case's events.
    for (const item of [null, "item-wuhan", "item-hangzhou"]) expect(mayReceive(coordinator, session, item)).toBe(true);
    // Not in the room: the uninvited, inactive coordinators, anyone once the session is cancelled.
    for (const who of [inactive(coordinator), uninvitedConsultant, uninvitedPhysician, admin]) {
      expect(mayReceive(who, session, null)).toBe(false);
      expect(mayReceive(who, session, "item-wuhan")).toBe(false);
    }
    expect(mayReceive(chair, facts("CANCELLED"), null)).toBe(false);
    expect(mayReceive(chair, session, "no-such-item")).toBe(false);
  });

  it("shows a treating physician the board's consultants and their own hospital's physicians, and no physician of another hospital", () => {
    const list = [
      { userId: "chair", kind: "CHAIR", institutionId: "pacific" },
      { userId: "c1", kind: "CONSULTANT", institutionId: "pacific" },
      { userId: "p-wuhan", kind: "PHYSICIAN", institutionId: "wuhan" },
      { userId: "p-hangzhou", kind: "PHYSICIAN", institutionId: "hangzhou" },
    ];
    expect(visibleInvitees(wuhanPhysician, list).map((i) => i.userId)).toEqual(["chair", "c1", "p-wuhan"]);
    expect(visibleInvitees(hangzhouPhysician, list).map((i) => i.userId)).toEqual(["chair", "c1", "p-hangzhou"]);
    for (const who of [chair, consultant, coordinator]) expect(visibleInvitees(who, list)).toEqual(list);
  });
});
