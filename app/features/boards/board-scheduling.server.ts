/**
 * What coordinators do to board sessions: schedule, edit, cancel, and build the
 * agenda. Putting a case on an agenda makes it SCHEDULED and invites its
 * treating physician; taking it off before the board puts it back in review.
 * Every step is audited and tells the invitees what changed.
 */
import type { AppLoadContext } from "@remix-run/node";
import { canViewSession, type SessionFacts } from "~/features/boards/board-access";
import {
  DEFAULT_ITEM_MINUTES,
  desiredInvitees,
  inviteeChanges,
  isReordering,
  MAX_ITEM_MINUTES,
  MIN_ITEM_MINUTES,
  moveInOrder,
  scheduleEditable,
  startOf,
  type InviteeChanges,
  type MoveDirection,
  type SessionScheduleInput,
} from "~/features/boards/board-schedule";
import { SCHEDULABLE_STATUSES, UNSCHEDULED_STATUS, type CaseStatus } from "~/features/cases/case-lifecycle";
import { can, type Actor } from "~/features/identity/permissions";
import { getScheduledSession, type ScheduledSession } from "~/features/boards/board-store.server";
import { recordAudit } from "~/features/audit/audit.server";
import { denyAccess, requireUser, type CurrentUser } from "~/features/identity/auth.server";
import { getDb, type Db } from "~/platform/db.server";
import { boardChanged, evictFromBoard } from "~/realtime/io.server";
import { notifySession } from "~/features/notifications/notifications.server";
import type { RequestMeta } from "~/platform/request-meta.server";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export type SchedulingResult = { ok: true; sessionId: string } | { ok: false; fieldErrors?: Record<string, string[]>; formError?: string };

export const mayScheduleSessions = (actor: Actor) => can(actor, "sessions.schedule");

/**
 * The signed-in user and the session, when `allowed` says they may; otherwise
 * an audited 404, so nobody learns whether a session they may not see exists.
 */
export async function requireSession(
  request: Request,
  context: AppLoadContext,
  sessionId: string | undefined,
  allowed: (actor: Actor, facts: SessionFacts) => boolean = canViewSession,
): Promise<{ user: CurrentUser; session: ScheduledSession }> {
  const user = await requireUser(request);
  const session = sessionId ? await getScheduledSession(getDb(), sessionId) : null;
  if (!session || !allowed(user, session)) throw await denyAccess(request, context, user, { sessionId: sessionId ?? null }, 404);
  return { user, session };
}

export function auditSession(db: Db, user: CurrentUser, action: string, sessionId: string, meta: RequestMeta, details: Record<string, unknown> = {}) {
  return recordAudit(db, { actor: user, action, outcome: "success", entityType: "BoardSession", entityId: sessionId, details, meta });
}

function auditCaseOnAgenda(db: Db, user: CurrentUser, action: "case.schedule" | "case.unschedule", caseId: string, sessionId: string, meta: RequestMeta, details: Record<string, unknown> = {}) {
  return recordAudit(db, { actor: user, action, outcome: "success", entityType: "Case", entityId: caseId, details: { sessionId, ...details }, meta });
}

async function peopleProblems(db: Db, chairId: string, consultantIds: readonly string[]): Promise<Record<string, string[]> | null> {
  const ids = [...new Set([chairId, ...consultantIds])];
  const found = new Set((await db.user.findMany({ where: { id: { in: ids }, role: "CONSULTANT", active: true }, select: { id: true } })).map((u) => u.id));
  const problems: Record<string, string[]> = {};
  if (!found.has(chairId)) problems.chairId = ["sessions:errors.chairInvalid"];
  if (consultantIds.some((id) => !found.has(id))) problems.consultantIds = ["sessions:errors.consultantInvalid"];
  return Object.keys(problems).length > 0 ? problems : null;
}

async function applyInviteeChanges(tx: Tx, sessionId: string, changes: InviteeChanges) {
  if (changes.removed.length > 0) await tx.sessionInvitee.deleteMany({ where: { sessionId, userId: { in: changes.removed } } });
  if (changes.added.length > 0) await tx.sessionInvitee.createMany({ data: changes.added.map((i) => ({ sessionId, userId: i.userId, kind: i.kind })) });
  for (const changed of changes.changed) await tx.sessionInvitee.updateMany({ where: { sessionId, userId: changed.userId }, data: { kind: changed.kind } });
}

/** Brings the invitees in line with the chair, the consultants (the current ones unless given) and the agenda's treating physicians. */
async function syncInvitees(tx: Tx, sessionId: string, consultantIds?: readonly string[]): Promise<InviteeChanges> {
  const session = await tx.boardSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: { chairId: true, invitees: { select: { userId: true, kind: true } }, agenda: { select: { case: { select: { createdById: true } } } } },
  });
  const desired = desiredInvitees({
    chairId: session.chairId,
    consultantIds: consultantIds ?? session.invitees.filter((i) => i.kind === "CONSULTANT").map((i) => i.userId),
    physicianIds: session.agenda.map((a) => a.case.createdById),
  });
  const changes = inviteeChanges(session.invitees, desired);
  await applyInviteeChanges(tx, sessionId, changes);
  return changes;
}

/**
 * After an agenda change: invitations to the newly invited, a farewell to the
 * uninvited, and a notice to everyone else who has not yet read an invitation
 * or an earlier notice, so a burst of edits reads as one.
 */
/** Whoever was uninvited leaves the live room at once; everyone still there joins again to see the new agenda. */
async function refreshRoom(db: Db, sessionId: string, uninvited: readonly string[]) {
  if (uninvited.length > 0) {
    const items = await db.agendaItem.findMany({ where: { sessionId }, select: { id: true } });
    for (const userId of uninvited) evictFromBoard(sessionId, userId, items.map((i) => i.id));
  }
  boardChanged(sessionId);
}

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

export async function createBoardSession(db: Db, user: CurrentUser, input: SessionScheduleInput, meta: RequestMeta, now = new Date()): Promise<SchedulingResult> {
  const startsAt = startOf(input);
  if (startsAt <= now) return { ok: false, fieldErrors: { date: ["sessions:errors.inPast"] } };
  const problems = await peopleProblems(db, input.chairId, input.consultantIds);
  if (problems) return { ok: false, fieldErrors: problems };
  const invitees = desiredInvitees({ chairId: input.chairId, consultantIds: input.consultantIds, physicianIds: [] });
  const session = await db.boardSession.create({
    data: {
      title: input.title,
      startsAt,
      durationMinutes: input.durationMinutes,
      timeZone: input.timeZone,
      chairId: input.chairId,
      videoUrl: input.videoUrl ?? null,
      createdById: user.id,
      invitees: { create: [...invitees].map(([userId, kind]) => ({ userId, kind })) },
    },
    select: { id: true, title: true, startsAt: true },
  });
  await auditSession(db, user, "session.create", session.id, meta, { startsAt: startsAt.toISOString(), chairId: input.chairId, consultantIds: input.consultantIds });
  await notifySession(db, { userIds: [...invitees.keys()], kind: "sessionInvitation", session });
  return { ok: true, sessionId: session.id };
}

export async function updateBoardSchedule(
  db: Db,
  user: CurrentUser,
  session: ScheduledSession,
  input: SessionScheduleInput,
  meta: RequestMeta,
  now = new Date(),
): Promise<SchedulingResult> {
  if (!scheduleEditable(session.status)) return { ok: false, formError: "sessions:errors.notEditable" };
  const startsAt = startOf(input);
  const moved = startsAt.getTime() !== session.startsAt.getTime();
  if (moved && startsAt <= now) return { ok: false, fieldErrors: { date: ["sessions:errors.inPast"] } };
  const problems = await peopleProblems(db, input.chairId, input.consultantIds);
  if (problems) return { ok: false, fieldErrors: problems };
  const videoUrl = input.videoUrl ?? null;
  const changed = [
    ...(input.title !== session.title ? ["title"] : []),
    ...(moved ? ["startsAt"] : []),
    ...(input.durationMinutes !== session.durationMinutes ? ["durationMinutes"] : []),
    ...(videoUrl !== session.videoUrl ? ["videoUrl"] : []),
  ];
  const changes = await db.$transaction(async (tx) => {
    await tx.boardSession.update({
      where: { id: session.id },
      data: {
        title: input.title,
        startsAt,
        durationMinutes: input.durationMinutes,
        timeZone: input.timeZone,
        chairId: input.chairId,
        videoUrl,
        ...(changed.length > 0 ? { icsSequence: { increment: 1 } } : {}),
        ...(moved ? { reminderSentAt: null } : {}),
      },
    });
    return syncInvitees(tx, session.id, input.consultantIds);
  });
  await auditSession(db, user, "session.update", session.id, meta, { changed, invited: changes.added.map((i) => i.userId), uninvited: changes.removed });
  await refreshRoom(db, session.id, changes.removed);
  const summary = { id: session.id, title: input.title, startsAt };
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

async function unscheduleCase(tx: Tx, caseId: string, actorId: string, reason: string | null) {
  const moved = await tx.case.updateMany({ where: { id: caseId, status: "SCHEDULED" }, data: { status: UNSCHEDULED_STATUS, version: { increment: 1 } } });
  if (moved.count === 1) await tx.caseTransition.create({ data: { caseId, fromStatus: "SCHEDULED", toStatus: UNSCHEDULED_STATUS, action: "unschedule", actorId, reason } });
  return moved.count === 1;
}

/** Cancelling puts every case still scheduled on it back in review. */
export async function cancelBoardSession(db: Db, user: CurrentUser, session: ScheduledSession, meta: RequestMeta): Promise<SchedulingResult> {
  if (!scheduleEditable(session.status)) return { ok: false, formError: "sessions:errors.notEditable" };
  const unscheduled = await db.$transaction(async (tx) => {
    const claimed = await tx.boardSession.updateMany({ where: { id: session.id, status: "SCHEDULED" }, data: { status: "CANCELLED", icsSequence: { increment: 1 } } });
    if (claimed.count !== 1) return null;
    const moved: string[] = [];
    for (const item of session.agendaItems) if (await unscheduleCase(tx, item.caseId, user.id, null)) moved.push(item.caseId);
    return moved;
  });
  if (!unscheduled) return { ok: false, formError: "sessions:errors.notEditable" };
  await auditSession(db, user, "session.cancel", session.id, meta);
  await refreshRoom(db, session.id, session.invitees.map((i) => i.userId));
  for (const caseId of unscheduled) await auditCaseOnAgenda(db, user, "case.unschedule", caseId, session.id, meta, { reason: "sessionCancelled" });
  await notifySession(db, { userIds: session.invitees.map((i) => i.userId), kind: "sessionCancelled", session });
  return { ok: true, sessionId: session.id };
}

class AgendaConflict extends Error {}

export async function addAgendaCase(db: Db, user: CurrentUser, session: ScheduledSession, caseId: string, meta: RequestMeta): Promise<SchedulingResult> {
  if (!scheduleEditable(session.status)) return { ok: false, formError: "sessions:errors.notEditable" };
  const found = await db.case.findUnique({ where: { id: caseId }, select: { id: true, status: true } });
  if (!found || !SCHEDULABLE_STATUSES.includes(found.status as CaseStatus)) return { ok: false, formError: "sessions:errors.caseNotSchedulable" };
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
    if (error instanceof AgendaConflict || (error as { code?: string }).code === "P2002") return { ok: false, formError: "sessions:errors.caseNotSchedulable" };
    throw error;
  }
  await auditCaseOnAgenda(db, user, "case.schedule", caseId, session.id, meta, { from: found.status, to: "SCHEDULED" });
  await announceAgendaChange(db, session, changes);
  return { ok: true, sessionId: session.id };
}

async function renumber(tx: Tx, order: readonly string[]) {
  for (const [index, id] of order.entries()) await tx.agendaItem.update({ where: { id }, data: { position: index + 1 } });
}

async function dropAgendaItem(db: Db, user: CurrentUser, session: ScheduledSession, itemId: string, meta: RequestMeta, reason: string | null) {
  const item = session.agendaItems.find((i) => i.id === itemId)!;
  const { changes, unscheduled } = await db.$transaction(async (tx) => {
    await tx.agendaItem.delete({ where: { id: itemId } });
    await tx.boardSession.updateMany({ where: { id: session.id, focusItemId: itemId }, data: { focusItemId: null } });
    const unscheduled = await unscheduleCase(tx, item.caseId, user.id, reason);
    await renumber(tx, session.agendaItems.filter((i) => i.id !== itemId).map((i) => i.id));
    return { changes: await syncInvitees(tx, session.id), unscheduled };
  });
  await auditCaseOnAgenda(db, user, "case.unschedule", item.caseId, session.id, meta, { statusRestored: unscheduled, reason });
  await announceAgendaChange(db, session, changes);
}

export async function removeAgendaItem(db: Db, user: CurrentUser, session: ScheduledSession, itemId: string, meta: RequestMeta): Promise<SchedulingResult> {
  if (!scheduleEditable(session.status)) return { ok: false, formError: "sessions:errors.notEditable" };
  if (!session.agendaItems.some((i) => i.id === itemId)) return { ok: false, formError: "sessions:errors.itemNotFound" };
  await dropAgendaItem(db, user, session, itemId, meta, null);
  return { ok: true, sessionId: session.id };
}

/** A withdrawn case leaves the agendas of boards not yet held or in session (whose rooms then drop it at once). */
export async function dropWithdrawnCase(db: Db, user: CurrentUser, caseId: string, meta: RequestMeta): Promise<void> {
  const items = await db.agendaItem.findMany({ where: { caseId, session: { status: { in: ["SCHEDULED", "LIVE"] } } }, select: { id: true, sessionId: true } });
  for (const item of items) {
    const session = await getScheduledSession(db, item.sessionId);
    if (session) await dropAgendaItem(db, user, session, item.id, meta, "withdrawn");
  }
}

export async function reorderAgenda(db: Db, user: CurrentUser, session: ScheduledSession, order: readonly string[], meta: RequestMeta): Promise<SchedulingResult> {
  if (!scheduleEditable(session.status)) return { ok: false, formError: "sessions:errors.notEditable" };
  const current = session.agendaItems.map((i) => i.id);
  if (!isReordering(current, order)) return { ok: false, formError: "sessions:errors.itemNotFound" };
  if (order.every((id, index) => current[index] === id)) return { ok: true, sessionId: session.id };
  await db.$transaction(async (tx) => renumber(tx, order));
  await auditSession(db, user, "session.reorderAgenda", session.id, meta, { order: order.map((id) => session.agendaItems.find((i) => i.id === id)!.caseId) });
  await announceAgendaChange(db, session, { added: [], removed: [], changed: [] });
  return { ok: true, sessionId: session.id };
}

export function moveAgendaItem(db: Db, user: CurrentUser, session: ScheduledSession, itemId: string, direction: MoveDirection, meta: RequestMeta): Promise<SchedulingResult> {
  return reorderAgenda(db, user, session, moveInOrder(session.agendaItems.map((i) => i.id), itemId, direction), meta);
}

export async function setAgendaItemMinutes(db: Db, user: CurrentUser, session: ScheduledSession, itemId: string, minutes: number, meta: RequestMeta): Promise<SchedulingResult> {
  if (!scheduleEditable(session.status)) return { ok: false, formError: "sessions:errors.notEditable" };
  const item = session.agendaItems.find((i) => i.id === itemId);
  if (!item) return { ok: false, formError: "sessions:errors.itemNotFound" };
  if (!Number.isInteger(minutes) || minutes < MIN_ITEM_MINUTES || minutes > MAX_ITEM_MINUTES) return { ok: false, formError: "sessions:errors.minutesInvalid" };
  if (minutes === item.minutes) return { ok: true, sessionId: session.id };
  await db.agendaItem.update({ where: { id: itemId }, data: { minutes } });
  await auditSession(db, user, "session.setItemMinutes", session.id, meta, { caseId: item.caseId, minutes });
  await announceAgendaChange(db, session, { added: [], removed: [], changed: [] });
  return { ok: true, sessionId: session.id };
}
