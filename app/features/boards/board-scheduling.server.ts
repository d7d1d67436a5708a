/**
 * What coordinators do to board sessions: schedule, edit, cancel, and build the
 * agenda. Putting a case on an agenda makes it SCHEDULED and invites its
 * treating physician; taking it off before the board puts it back in review.
 * Every step is audited and tells the invitees what changed.
 */
import { mayScheduleSessions, sessionAbilities } from "~/features/boards/board-access";
import {
  DEFAULT_ITEM_MINUTES,
  desiredInvitees,
  invitedConsultantIds,
  invitedInterpreterIds,
  inviteeChanges,
  isReordering,
  MAX_ITEM_MINUTES,
  MIN_ITEM_MINUTES,
  moveInOrder,
  scheduledMeeting,
  startOf,
  type InviteeChanges,
  type MoveDirection,
  type SessionScheduleInput,
} from "~/features/boards/board-schedule";
import { SCHEDULABLE_STATUSES, UNSCHEDULED_STATUS, type CaseStatus } from "~/features/cases/case-lifecycle";
import { getScheduledSession, type ScheduledSession } from "~/features/boards/board-store.server";
import { auditCase } from "~/features/cases/case-access.server";
import type { CurrentUser } from "~/features/identity/auth.server";
import { checkCrossBorderExports, recordCrossBorderExports } from "~/features/compliance/cross-border.server";
import { getDb, type Db, isUniqueViolation } from "~/platform/db.server";
import { notifySession } from "~/features/notifications/notifications.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import type { Role } from "~/features/identity/roles";
import { auditSession, type SessionCaller } from "./board-access.server";
import type { AgendaChange } from "./board-forms";
import { boardChanged, evictFromBoard } from "./room/board-room.server";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export type SchedulingResult = { ok: true; sessionId: string } | { ok: false; fieldErrors?: Record<string, string[]>; formError?: string };

/** Why the user may not change this session's schedule or agenda now, if they may not: the same abilities the session page shows. */
function scheduleRefusal(user: CurrentUser, session: ScheduledSession): SchedulingResult | null {
  const may = sessionAbilities(user, session);
  if (!may.schedule) return { ok: false, formError: "sessions:errors.unknownAction" };
  if (!may.editSchedule) return { ok: false, formError: "sessions:errors.notEditable" };
  return null;
}

function auditCaseOnAgenda(input: {
  db: Db;
  user: CurrentUser;
  meta: RequestMeta;
  action: "case.schedule" | "case.unschedule";
  caseId: string;
  sessionId: string;
  details?: Record<string, unknown>;
}) {
  const { db, user, meta, action, caseId, sessionId, details = {} } = input;
  return auditCase({ db, user, meta, caseId, action, details: { sessionId, ...details } });
}

async function peopleProblems(
  db: Db,
  schedule: Pick<SessionScheduleInput, "chairId" | "consultantIds" | "interpreterIds">,
): Promise<Record<string, string[]> | null> {
  const { chairId, consultantIds, interpreterIds } = schedule;
  const active = async (role: Role, ids: readonly string[]) =>
    new Set((await db.user.findMany({ where: { id: { in: [...new Set(ids)] }, role, active: true }, select: { id: true } })).map((u) => u.id));
  const consultants = await active("CONSULTANT", [chairId, ...consultantIds]);
  const interpreters = await active("INTERPRETER", interpreterIds);
  const problems: Record<string, string[]> = {};
  if (!consultants.has(chairId)) problems.chairId = ["sessions:errors.chairInvalid"];
  if (consultantIds.some((id) => !consultants.has(id))) problems.consultantIds = ["sessions:errors.consultantInvalid"];
  if (interpreterIds.some((id) => !interpreters.has(id))) problems.interpreterIds = ["sessions:errors.interpreterInvalid"];
  return Object.keys(problems).length > 0 ? problems : null;
}

async function applyInviteeChanges(tx: Tx, sessionId: string, changes: InviteeChanges) {
  if (changes.removed.length > 0) await tx.sessionInvitee.deleteMany({ where: { sessionId, userId: { in: changes.removed } } });
  if (changes.added.length > 0) await tx.sessionInvitee.createMany({ data: changes.added.map((i) => ({ sessionId, userId: i.userId, kind: i.kind })) });
  for (const changed of changes.changed) await tx.sessionInvitee.updateMany({ where: { sessionId, userId: changed.userId }, data: { kind: changed.kind } });
}

/** Brings the invitees in line with the chair, the consultants and interpreters (the current ones unless given) and the agenda's treating physicians. */
async function syncInvitees(tx: Tx, sessionId: string, invited?: Pick<SessionScheduleInput, "consultantIds" | "interpreterIds">): Promise<InviteeChanges> {
  const session = await tx.boardSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: { chairId: true, invitees: { select: { userId: true, kind: true } }, agenda: { select: { case: { select: { createdById: true } } } } },
  });
  const desired = desiredInvitees({
    chairId: session.chairId,
    consultantIds: invited?.consultantIds ?? invitedConsultantIds(session.invitees),
    interpreterIds: invited?.interpreterIds ?? invitedInterpreterIds(session.invitees),
    physicianIds: session.agenda.map((a) => a.case.createdById),
  });
  const changes = inviteeChanges(session.invitees, desired);
  await applyInviteeChanges(tx, sessionId, changes);
  return changes;
}

/** Whoever was uninvited leaves the live room at once; everyone still there joins again to see the new agenda. */
async function refreshRoom(db: Db, sessionId: string, uninvited: readonly string[]) {
  if (uninvited.length > 0) {
    const items = await db.agendaItem.findMany({ where: { sessionId }, select: { id: true } });
    for (const userId of uninvited)
      evictFromBoard(
        sessionId,
        userId,
        items.map((i) => i.id),
      );
  }
  boardChanged(sessionId);
}

/**
 * After an agenda change: invitations to the newly invited, a farewell to the
 * uninvited, and a notice to everyone else who has not yet read an invitation
 * or an earlier notice, so a burst of edits reads as one.
 */
async function announceAgendaChange(db: Db, session: ScheduledSession, changes: InviteeChanges) {
  await refreshRoom(db, session.id, changes.removed);
  const summary = { id: session.id, title: session.title, startsAt: session.startsAt };
  const added = new Set(changes.added.map((i) => i.userId));
  const removed = new Set(changes.removed);
  const others = session.invitees.map((i) => i.userId).filter((id) => !added.has(id) && !removed.has(id));
  await notifySession(db, { userIds: [...added], kind: "sessionInvitation", session: summary });
  await notifySession(db, { userIds: [...removed], kind: "sessionUninvited", session: summary });
  await notifySession(db, { userIds: others, kind: "sessionAgendaChanged", session: summary, unlessUnread: ["sessionInvitation", "sessionAgendaChanged"] });
}

/** The call's columns as the schedule sets them, or the form's errors about it (the form checked the same rules in the browser). */
function meetingData(schedule: SessionScheduleInput): { fieldErrors: Record<string, string[]> } | { data: MeetingData } {
  const { meeting, problems } = scheduledMeeting(schedule);
  if (problems.length > 0) {
    const fieldErrors: Record<string, string[]> = {};
    for (const problem of problems) (fieldErrors[problem.field] ??= []).push(problem.key);
    return { fieldErrors };
  }
  return {
    data: {
      meetingProvider: meeting?.provider ?? null,
      videoUrl: meeting?.link ?? null,
      meetingId: meeting?.meetingId ?? null,
      meetingPasscode: meeting?.passcode ?? null,
    },
  };
}
type MeetingData = { meetingProvider: string | null; videoUrl: string | null; meetingId: string | null; meetingPasscode: string | null };

export async function createBoardSession(input: {
  user: CurrentUser;
  meta: RequestMeta;
  schedule: SessionScheduleInput;
  now?: Date;
  db?: Db;
}): Promise<SchedulingResult> {
  const { user, meta, schedule, now = new Date(), db = getDb() } = input;
  if (!mayScheduleSessions(user)) return { ok: false, formError: "sessions:errors.unknownAction" };
  const startsAt = startOf(schedule);
  if (startsAt <= now) return { ok: false, fieldErrors: { date: ["sessions:errors.inPast"] } };
  const meeting = meetingData(schedule);
  if ("fieldErrors" in meeting) return { ok: false, fieldErrors: meeting.fieldErrors };
  const problems = await peopleProblems(db, schedule);
  if (problems) return { ok: false, fieldErrors: problems };
  const invitees = desiredInvitees({
    chairId: schedule.chairId,
    consultantIds: schedule.consultantIds,
    interpreterIds: schedule.interpreterIds,
    physicianIds: [],
  });
  const session = await db.boardSession.create({
    data: {
      title: schedule.title,
      startsAt,
      durationMinutes: schedule.durationMinutes,
      timeZone: schedule.timeZone,
      chairId: schedule.chairId,
      ...meeting.data,
      createdById: user.id,
      invitees: { create: [...invitees].map(([userId, kind]) => ({ userId, kind })) },
    },
    select: { id: true, title: true, startsAt: true },
  });
  await auditSession({
    db,
    user,
    meta,
    sessionId: session.id,
    action: "session.create",
    details: {
      startsAt: startsAt.toISOString(),
      chairId: schedule.chairId,
      consultantIds: schedule.consultantIds,
      interpreterIds: schedule.interpreterIds,
      meetingProvider: meeting.data.meetingProvider,
    },
  });
  await notifySession(db, { userIds: [...invitees.keys()], kind: "sessionInvitation", session });
  return { ok: true, sessionId: session.id };
}

export async function updateBoardSchedule(caller: SessionCaller & { schedule: SessionScheduleInput; now?: Date }): Promise<SchedulingResult> {
  const { user, session, meta, schedule, now = new Date(), db = getDb() } = caller;
  const refused = scheduleRefusal(user, session);
  if (refused) return refused;
  const startsAt = startOf(schedule);
  const moved = startsAt.getTime() !== session.startsAt.getTime();
  if (moved && startsAt <= now) return { ok: false, fieldErrors: { date: ["sessions:errors.inPast"] } };
  const meeting = meetingData(schedule);
  if ("fieldErrors" in meeting) return { ok: false, fieldErrors: meeting.fieldErrors };
  const problems = await peopleProblems(db, schedule);
  if (problems) return { ok: false, fieldErrors: problems };
  // An interpreter reads what the room says of each case, so one abroad counts as a reader abroad.
  const crossBorder = await checkCrossBorderExports(db, {
    caseIds: session.agendaItems.map((item) => item.caseId),
    readerIds: [schedule.chairId, ...schedule.consultantIds, ...schedule.interpreterIds],
  });
  if (!crossBorder.ok) return { ok: false, formError: crossBorder.errorKey };
  const meetingChanged =
    meeting.data.meetingProvider !== session.meeting.provider ||
    meeting.data.videoUrl !== session.meeting.link ||
    meeting.data.meetingId !== session.meeting.meetingId ||
    meeting.data.meetingPasscode !== session.meeting.passcode;
  const changed = [
    ...(schedule.title !== session.title ? ["title"] : []),
    ...(moved ? ["startsAt"] : []),
    ...(schedule.durationMinutes !== session.durationMinutes ? ["durationMinutes"] : []),
    ...(meetingChanged ? ["meeting"] : []),
  ];
  const changes = await db.$transaction(async (tx) => {
    await tx.boardSession.update({
      where: { id: session.id },
      data: {
        title: schedule.title,
        startsAt,
        durationMinutes: schedule.durationMinutes,
        timeZone: schedule.timeZone,
        chairId: schedule.chairId,
        ...meeting.data,
        ...(changed.length > 0 ? { icsSequence: { increment: 1 } } : {}),
        ...(moved ? { reminderSentAt: null } : {}),
      },
    });
    return syncInvitees(tx, session.id, schedule);
  });
  await recordCrossBorderExports(db, crossBorder.claims);
  await auditSession({
    db,
    user,
    meta,
    sessionId: session.id,
    action: "session.update",
    details: { changed, invited: changes.added.map((i) => i.userId), uninvited: changes.removed },
  });
  await refreshRoom(db, session.id, changes.removed);
  const summary = { id: session.id, title: schedule.title, startsAt };
  const added = new Set(changes.added.map((i) => i.userId));
  const removed = new Set(changes.removed);
  await notifySession(db, { userIds: [...added], kind: "sessionInvitation", session: summary });
  await notifySession(db, { userIds: [...removed], kind: "sessionUninvited", session: summary });
  if (changed.length > 0) {
    const stayed = session.invitees.map((i) => i.userId).filter((id) => !added.has(id) && !removed.has(id));
    await notifySession(db, { userIds: stayed, kind: "sessionUpdated", session: summary });
  }
  return { ok: true, sessionId: session.id };
}

/** Puts a case still SCHEDULED back in review, with its transition; false when it had already moved on. */
async function unscheduleCase(tx: Tx, input: { caseId: string; actorId: string; reason: string | null }) {
  const { caseId, actorId, reason } = input;
  const moved = await tx.case.updateMany({ where: { id: caseId, status: "SCHEDULED" }, data: { status: UNSCHEDULED_STATUS, version: { increment: 1 } } });
  if (moved.count === 1)
    await tx.caseTransition.create({ data: { caseId, fromStatus: "SCHEDULED", toStatus: UNSCHEDULED_STATUS, action: "unschedule", actorId, reason } });
  return moved.count === 1;
}

/** Cancelling puts every case still scheduled on it back in review. */
export async function cancelBoardSession(caller: SessionCaller): Promise<SchedulingResult> {
  const { user, session, meta, db = getDb() } = caller;
  const refused = scheduleRefusal(user, session);
  if (refused) return refused;
  const unscheduled = await db.$transaction(async (tx) => {
    const claimed = await tx.boardSession.updateMany({
      where: { id: session.id, status: "SCHEDULED" },
      data: { status: "CANCELLED", icsSequence: { increment: 1 } },
    });
    if (claimed.count !== 1) return null;
    const moved: string[] = [];
    for (const item of session.agendaItems) if (await unscheduleCase(tx, { caseId: item.caseId, actorId: user.id, reason: null })) moved.push(item.caseId);
    return moved;
  });
  if (!unscheduled) return { ok: false, formError: "sessions:errors.notEditable" };
  await auditSession({ db, user, meta, sessionId: session.id, action: "session.cancel" });
  await refreshRoom(
    db,
    session.id,
    session.invitees.map((i) => i.userId),
  );
  for (const caseId of unscheduled)
    await auditCaseOnAgenda({ db, user, meta, action: "case.unschedule", caseId, sessionId: session.id, details: { reason: "sessionCancelled" } });
  await notifySession(db, { userIds: session.invitees.map((i) => i.userId), kind: "sessionCancelled", session });
  return { ok: true, sessionId: session.id };
}

class AgendaConflict extends Error {}

export async function addAgendaCase(caller: SessionCaller & { caseId: string }): Promise<SchedulingResult> {
  const { user, session, meta, caseId, db = getDb() } = caller;
  const refused = scheduleRefusal(user, session);
  if (refused) return refused;
  const found = await db.case.findUnique({ where: { id: caseId }, select: { id: true, status: true } });
  if (!found || !SCHEDULABLE_STATUSES.includes(found.status as CaseStatus)) return { ok: false, formError: "sessions:errors.caseNotSchedulable" };
  const crossBorder = await checkCrossBorderExports(db, { caseIds: [caseId], readerIds: session.invitees.map((i) => i.userId) });
  if (!crossBorder.ok) return { ok: false, formError: crossBorder.errorKey };
  let changes: InviteeChanges;
  try {
    changes = await db.$transaction(async (tx) => {
      const claimed = await tx.case.updateMany({ where: { id: caseId, status: found.status }, data: { status: "SCHEDULED", version: { increment: 1 } } });
      if (claimed.count !== 1) throw new AgendaConflict();
      const last = await tx.agendaItem.findFirst({ where: { sessionId: session.id }, orderBy: { position: "desc" }, select: { position: true } });
      await tx.agendaItem.create({ data: { sessionId: session.id, caseId, position: (last?.position ?? 0) + 1, minutes: DEFAULT_ITEM_MINUTES } });
      await tx.caseTransition.create({ data: { caseId, fromStatus: found.status, toStatus: "SCHEDULED", action: "schedule", actorId: user.id } });
      return syncInvitees(tx, session.id);
    });
  } catch (error) {
    if (error instanceof AgendaConflict || isUniqueViolation(error)) return { ok: false, formError: "sessions:errors.caseNotSchedulable" };
    throw error;
  }
  await recordCrossBorderExports(db, crossBorder.claims);
  await auditCaseOnAgenda({ db, user, meta, action: "case.schedule", caseId, sessionId: session.id, details: { from: found.status, to: "SCHEDULED" } });
  await announceAgendaChange(db, session, changes);
  return { ok: true, sessionId: session.id };
}

async function renumber(tx: Tx, order: readonly string[]) {
  for (const [index, id] of order.entries()) await tx.agendaItem.update({ where: { id }, data: { position: index + 1 } });
}

/** Takes an item off the agenda, its case back in review (when still scheduled), and the invitees in line with what is left. */
async function dropAgendaItem(caller: SessionCaller & { itemId: string; reason: string | null }) {
  const { user, session, meta, itemId, reason, db = getDb() } = caller;
  const item = session.agendaItems.find((i) => i.id === itemId)!;
  const { changes, unscheduled } = await db.$transaction(async (tx) => {
    await tx.agendaItem.delete({ where: { id: itemId } });
    await tx.boardSession.updateMany({ where: { id: session.id, focusItemId: itemId }, data: { focusItemId: null } });
    const unscheduled = await unscheduleCase(tx, { caseId: item.caseId, actorId: user.id, reason });
    await renumber(
      tx,
      session.agendaItems.filter((i) => i.id !== itemId).map((i) => i.id),
    );
    return { changes: await syncInvitees(tx, session.id), unscheduled };
  });
  await auditCaseOnAgenda({
    db,
    user,
    meta,
    action: "case.unschedule",
    caseId: item.caseId,
    sessionId: session.id,
    details: { statusRestored: unscheduled, reason },
  });
  await announceAgendaChange(db, session, changes);
}

export async function removeAgendaItem(caller: SessionCaller & { itemId: string }): Promise<SchedulingResult> {
  const { user, session, itemId } = caller;
  const refused = scheduleRefusal(user, session);
  if (refused) return refused;
  if (!session.agendaItems.some((i) => i.id === itemId)) return { ok: false, formError: "sessions:errors.itemNotFound" };
  await dropAgendaItem({ ...caller, reason: null });
  return { ok: true, sessionId: session.id };
}

/**
 * A withdrawn case leaves the agendas of boards not yet held or in session (whose rooms then drop it at once).
 * The case's own rules allowed the withdrawal; this is its consequence, whoever withdrew it.
 */
export async function dropWithdrawnCase(input: { user: CurrentUser; meta: RequestMeta; caseId: string; db?: Db }): Promise<void> {
  const { user, meta, caseId, db = getDb() } = input;
  const items = await db.agendaItem.findMany({ where: { caseId, session: { status: { in: ["SCHEDULED", "LIVE"] } } }, select: { id: true, sessionId: true } });
  for (const item of items) {
    const session = await getScheduledSession(db, item.sessionId);
    if (session) await dropAgendaItem({ db, user, session, meta, itemId: item.id, reason: "withdrawn" });
  }
}

export async function reorderAgenda(caller: SessionCaller & { order: readonly string[] }): Promise<SchedulingResult> {
  const { user, session, meta, order, db = getDb() } = caller;
  const refused = scheduleRefusal(user, session);
  if (refused) return refused;
  const current = session.agendaItems.map((i) => i.id);
  if (!isReordering(current, order)) return { ok: false, formError: "sessions:errors.itemNotFound" };
  if (order.every((id, index) => current[index] === id)) return { ok: true, sessionId: session.id };
  await db.$transaction(async (tx) => renumber(tx, order));
  await auditSession({
    db,
    user,
    meta,
    sessionId: session.id,
    action: "session.reorderAgenda",
    details: { order: order.map((id) => session.agendaItems.find((i) => i.id === id)!.caseId) },
  });
  await announceAgendaChange(db, session, { added: [], removed: [], changed: [] });
  return { ok: true, sessionId: session.id };
}

export function moveAgendaItem(caller: SessionCaller & { itemId: string; direction: MoveDirection }): Promise<SchedulingResult> {
  const { session, itemId, direction, ...rest } = caller;
  if (!session.agendaItems.some((i) => i.id === itemId)) return Promise.resolve({ ok: false, formError: "sessions:errors.itemNotFound" });
  return reorderAgenda({
    ...rest,
    session,
    order: moveInOrder(
      session.agendaItems.map((i) => i.id),
      itemId,
      direction,
    ),
  });
}

export async function setAgendaItemMinutes(caller: SessionCaller & { itemId: string; minutes: number }): Promise<SchedulingResult> {
  const { user, session, meta, itemId, minutes, db = getDb() } = caller;
  const refused = scheduleRefusal(user, session);
  if (refused) return refused;
  const item = session.agendaItems.find((i) => i.id === itemId);
  if (!item) return { ok: false, formError: "sessions:errors.itemNotFound" };
  if (!Number.isInteger(minutes) || minutes < MIN_ITEM_MINUTES || minutes > MAX_ITEM_MINUTES) return { ok: false, formError: "sessions:errors.minutesInvalid" };
  if (minutes === item.minutes) return { ok: true, sessionId: session.id };
  await db.agendaItem.update({ where: { id: itemId }, data: { minutes } });
  await auditSession({ db, user, meta, sessionId: session.id, action: "session.setItemMinutes", details: { caseId: item.caseId, minutes } });
  await announceAgendaChange(db, session, { added: [], removed: [], changed: [] });
  return { ok: true, sessionId: session.id };
}

/** One change from the agenda editor, by its intent. */
export function changeAgenda(caller: SessionCaller & { change: AgendaChange }): Promise<SchedulingResult> {
  const { change, ...rest } = caller;
  switch (change.intent) {
    case "addCase":
      return addAgendaCase({ ...rest, caseId: change.caseId });
    case "removeItem":
      return removeAgendaItem({ ...rest, itemId: change.itemId });
    case "moveUp":
    case "moveDown":
      return moveAgendaItem({ ...rest, itemId: change.itemId, direction: change.intent === "moveUp" ? "up" : "down" });
    case "reorder":
      return reorderAgenda({ ...rest, order: change.order });
    case "setMinutes":
      return setAgendaItemMinutes({ ...rest, itemId: change.itemId, minutes: change.minutes });
  }
}
