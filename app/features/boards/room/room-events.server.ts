/**
 * Data access for the live board room: what access rules need to know about a
 * session, the numbered event log (each event and its effects stored in one
 * transaction, numbered from the session's counter, at most once per client
 * message id), and attendance.
 */
import type { InviteeKind, SessionFacts, SessionStatus } from "~/features/boards/board-access";
import { caseStatusAfterBoard } from "~/features/boards/board-schedule";
import type { BoardAgendaItem, BoardCommand, BoardEvent } from "~/features/boards/room/board-contracts";
import type { Actor } from "~/features/identity/permissions";
import { isRole } from "~/features/identity/roles";
import { isUniqueViolation, type Db } from "~/platform/db.server";
import { meetingColumns, storedMeeting } from "~/features/boards/board-store.server";
import type { StoredMeetingRow } from "~/features/boards/meeting";

export type BoardFacts = SessionFacts & {
  id: string;
  title: string;
  meeting: StoredMeetingRow;
  focusItemId: string | null;
  lastSeq: number;
  agendaDetails: BoardAgendaItem[];
};

export async function boardFacts(db: Db, sessionId: string): Promise<BoardFacts | null> {
  const found = await db.boardSession.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      title: true,
      ...meetingColumns,
      status: true,
      chairId: true,
      presenterId: true,
      coChairId: true,
      focusItemId: true,
      lastSeq: true,
      invitees: { select: { userId: true, kind: true } },
      agenda: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          position: true,
          minutes: true,
          caseId: true,
          boardSummary: true,
          discussedAt: true,
          case: { select: { code: true, institutionId: true } },
        },
      },
    },
  });
  if (!found) return null;
  return {
    id: found.id,
    title: found.title,
    meeting: storedMeeting(found),
    status: found.status as SessionStatus,
    chairId: found.chairId,
    presenterId: found.presenterId,
    coChairId: found.coChairId,
    focusItemId: found.focusItemId,
    lastSeq: found.lastSeq,
    invitees: found.invitees.map((i) => ({ userId: i.userId, kind: i.kind as InviteeKind })),
    agenda: found.agenda.map((a) => ({ id: a.id, caseId: a.caseId, institutionId: a.case.institutionId })),
    agendaDetails: found.agenda.map((a) => ({
      id: a.id,
      position: a.position,
      minutes: a.minutes,
      caseId: a.caseId,
      caseCode: a.case.code,
      boardSummary: a.boardSummary,
      discussed: a.discussedAt !== null,
    })),
  };
}

/** Just what relaying the presenter's view needs to know, for one participant: cheap enough to check often. */
export async function viewRelayFacts(db: Db, sessionId: string, userId: string): Promise<SessionFacts | null> {
  const found = await db.boardSession.findUnique({
    where: { id: sessionId },
    select: {
      status: true,
      chairId: true,
      presenterId: true,
      coChairId: true,
      invitees: { where: { userId }, select: { userId: true, kind: true } },
      agenda: { select: { id: true, caseId: true } },
    },
  });
  if (!found) return null;
  return {
    status: found.status as SessionStatus,
    chairId: found.chairId,
    presenterId: found.presenterId,
    coChairId: found.coChairId,
    invitees: found.invitees.map((i) => ({ userId: i.userId, kind: i.kind as InviteeKind })),
    agenda: found.agenda.map((a) => ({ id: a.id, caseId: a.caseId, institutionId: "" })),
  };
}

type StoredEvent = { seq: number; type: string; agendaItemId: string | null; actorId: string; payload: string; createdAt: Date };

async function withActorNames(db: Db, rows: StoredEvent[]): Promise<BoardEvent[]> {
  const users = await db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.actorId))] } }, select: { id: true, displayName: true } });
  const names = new Map(users.map((u) => [u.id, u.displayName]));
  return rows.map((r) => ({
    seq: r.seq,
    type: r.type as BoardEvent["type"],
    agendaItemId: r.agendaItemId,
    actorId: r.actorId,
    actorName: names.get(r.actorId) ?? "",
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function eventsAfter(db: Db, sessionId: string, seq: number): Promise<BoardEvent[]> {
  const rows = await db.sessionEvent.findMany({ where: { sessionId, seq: { gt: seq } }, orderBy: { seq: "asc" } });
  return withActorNames(db, rows);
}

/** The stored event a translation names: its kind, agenda item and words; null when there is none of that number. */
export async function translationTarget(db: Db, sessionId: string, seq: number) {
  const found = await db.sessionEvent.findUnique({ where: { sessionId_seq: { sessionId, seq } }, select: { type: true, agendaItemId: true, payload: true } });
  return found ? { type: found.type, agendaItemId: found.agendaItemId, payload: JSON.parse(found.payload) as Record<string, unknown> } : null;
}

/** The poll a vote or close refers to: its agenda item, options, and whether it is still open. */
export async function pollState(db: Db, sessionId: string, pollSeq: number) {
  const opened = await db.sessionEvent.findUnique({ where: { sessionId_seq: { sessionId, seq: pollSeq } } });
  if (!opened || opened.type !== "poll.open") return null;
  const closes = await db.sessionEvent.findMany({ where: { sessionId, type: "poll.close", seq: { gt: pollSeq } }, select: { payload: true } });
  const { options } = JSON.parse(opened.payload) as { options: string[] };
  return { agendaItemId: opened.agendaItemId, options, open: !closes.some((c) => (JSON.parse(c.payload) as { pollSeq?: number }).pollSeq === pollSeq) };
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export type CaseMoved = { caseId: string; from: string; to: string };

/** What a command changes besides the log: the session's state, an agenda item, and at the end the cases' status (returned, to be audited). */
async function applyEffects(tx: Tx, facts: BoardFacts, actorId: string, command: BoardCommand, now: Date): Promise<CaseMoved[]> {
  switch (command.type) {
    case "start":
      await tx.boardSession.update({ where: { id: facts.id }, data: { status: "LIVE", startedAt: now } });
      return [];
    case "focus":
      await tx.boardSession.update({ where: { id: facts.id }, data: { focusItemId: command.agendaItemId } });
      await tx.agendaItem.updateMany({ where: { id: command.agendaItemId, discussedAt: null }, data: { discussedAt: now } });
      return [];
    case "presenter":
      await tx.boardSession.update({ where: { id: facts.id }, data: { presenterId: command.userId } });
      return [];
    case "cochair":
      await tx.boardSession.update({ where: { id: facts.id }, data: { coChairId: command.userId } });
      return [];
    case "summary":
      await tx.agendaItem.update({ where: { id: command.agendaItemId }, data: { boardSummary: command.text, summaryById: actorId, summaryAt: now } });
      return [];
    case "end": {
      await tx.boardSession.update({ where: { id: facts.id }, data: { status: "ENDED", endedAt: now } });
      await tx.attendance.updateMany({ where: { sessionId: facts.id, leftAt: null }, data: { leftAt: now } });
      const items = await tx.agendaItem.findMany({
        where: { sessionId: facts.id },
        select: { caseId: true, discussedAt: true, boardSummary: true, case: { select: { status: true } } },
      });
      const moved: CaseMoved[] = [];
      for (const item of items) {
        if (item.case.status !== "SCHEDULED") continue;
        const to = caseStatusAfterBoard(item);
        await tx.case.update({ where: { id: item.caseId }, data: { status: to, version: { increment: 1 } } });
        await tx.caseTransition.create({ data: { caseId: item.caseId, fromStatus: "SCHEDULED", toStatus: to, action: "boardEnded", actorId } });
        moved.push({ caseId: item.caseId, from: "SCHEDULED", to });
      }
      return moved;
    }
    default:
      return [];
  }
}

/**
 * Stores a command as the session's next numbered event, with its effects, in
 * one transaction. A command already stored under the same client message id
 * is not stored again: its original event is returned.
 */
export async function appendEvent(
  db: Db,
  facts: BoardFacts,
  input: {
    actorId: string;
    clientMessageId: string;
    command: BoardCommand;
    agendaItemId: string | null;
    /** What the server records with the command (a translation's source language). */
    recorded?: Record<string, unknown>;
  },
): Promise<{ event: BoardEvent; duplicate: boolean; moved: CaseMoved[] }> {
  const key = { sessionId_actorId_clientMessageId: { sessionId: facts.id, actorId: input.actorId, clientMessageId: input.clientMessageId } };
  const existing = await db.sessionEvent.findUnique({ where: key });
  if (existing) return { event: (await withActorNames(db, [existing]))[0], duplicate: true, moved: [] };
  const { type, ...payload } = input.command;
  try {
    const stored = await db.$transaction(async (tx) => {
      const now = new Date();
      const { lastSeq } = await tx.boardSession.update({ where: { id: facts.id }, data: { lastSeq: { increment: 1 } }, select: { lastSeq: true } });
      const event = await tx.sessionEvent.create({
        data: {
          sessionId: facts.id,
          seq: lastSeq,
          type,
          agendaItemId: input.agendaItemId,
          actorId: input.actorId,
          clientMessageId: input.clientMessageId,
          payload: JSON.stringify({ ...payload, ...input.recorded }),
          createdAt: now,
        },
      });
      return { event, moved: await applyEffects(tx, facts, input.actorId, input.command, now) };
    });
    return { event: (await withActorNames(db, [stored.event]))[0], duplicate: false, moved: stored.moved };
  } catch (error) {
    const raced = isUniqueViolation(error) ? await db.sessionEvent.findUnique({ where: key }) : null;
    if (!raced) throw error;
    return { event: (await withActorNames(db, [raced]))[0], duplicate: true, moved: [] };
  }
}

export async function recordJoin(db: Db, sessionId: string, userId: string): Promise<string> {
  return (await db.attendance.create({ data: { sessionId, userId }, select: { id: true } })).id;
}

export async function recordLeave(db: Db, attendanceId: string): Promise<void> {
  await db.attendance.updateMany({ where: { id: attendanceId, leftAt: null }, data: { leftAt: new Date() } });
}

/** A user as the access rules see them, or null if there is none. */
export async function actorById(db: Db, userId: string): Promise<Actor | null> {
  const found = await db.user.findUnique({ where: { id: userId }, select: { id: true, role: true, institutionId: true, active: true } });
  return found && isRole(found.role) ? { id: found.id, role: found.role, institutionId: found.institutionId, active: found.active } : null;
}

export async function participantProfiles(db: Db, userIds: string[]) {
  return db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, displayName: true, role: true, timeZone: true } });
}
