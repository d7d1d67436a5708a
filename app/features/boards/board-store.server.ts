/**
 * Data access for scheduling board sessions: the facts access rules need, the
 * lists and the detail page, and what may go on an agenda.
 */
import { seesEverySession, type InviteeKind, type SessionFacts, type SessionStatus } from "~/features/boards/board-access";
import type { Actor } from "~/features/identity/permissions";
import { SCHEDULABLE_STATUSES, type CaseStatus } from "~/features/cases/case-lifecycle";
import type { Db } from "~/platform/db.server";
import type { StoredMeetingRow } from "./meeting";

/** The columns of a session's call, and what they hold as the meeting rules read it. */
export const meetingColumns = { meetingProvider: true, videoUrl: true, meetingId: true, meetingPasscode: true } as const;
export function storedMeeting(row: {
  meetingProvider: string | null;
  videoUrl: string | null;
  meetingId: string | null;
  meetingPasscode: string | null;
}): StoredMeetingRow {
  return { provider: row.meetingProvider, link: row.videoUrl, meetingId: row.meetingId, passcode: row.meetingPasscode };
}

export type ScheduledSession = SessionFacts & {
  id: string;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  timeZone: string;
  meeting: StoredMeetingRow;
  icsSequence: number;
  agendaItems: { id: string; caseId: string; institutionId: string; caseStatus: CaseStatus; treatingPhysicianId: string; minutes: number }[];
};

export async function getScheduledSession(db: Db, id: string): Promise<ScheduledSession | null> {
  const found = await db.boardSession.findUnique({
    where: { id },
    select: {
      id: true,
      title: true,
      status: true,
      startsAt: true,
      durationMinutes: true,
      timeZone: true,
      ...meetingColumns,
      icsSequence: true,
      chairId: true,
      presenterId: true,
      coChairId: true,
      invitees: { select: { userId: true, kind: true } },
      agenda: {
        orderBy: { position: "asc" },
        select: { id: true, caseId: true, minutes: true, case: { select: { institutionId: true, status: true, createdById: true } } },
      },
    },
  });
  if (!found) return null;
  const agendaItems = found.agenda.map((a) => ({
    id: a.id,
    caseId: a.caseId,
    institutionId: a.case.institutionId,
    caseStatus: a.case.status as CaseStatus,
    treatingPhysicianId: a.case.createdById,
    minutes: a.minutes,
  }));
  return {
    id: found.id,
    title: found.title,
    status: found.status as SessionStatus,
    startsAt: found.startsAt,
    durationMinutes: found.durationMinutes,
    timeZone: found.timeZone,
    meeting: storedMeeting(found),
    icsSequence: found.icsSequence,
    chairId: found.chairId,
    presenterId: found.presenterId,
    coChairId: found.coChairId,
    invitees: found.invitees.map((i) => ({ userId: i.userId, kind: i.kind as InviteeKind })),
    agenda: agendaItems.map(({ id, caseId, institutionId }) => ({ id, caseId, institutionId })),
    agendaItems,
  };
}

const personSelect = {
  id: true,
  displayName: true,
  role: true,
  timeZone: true,
  institutionId: true,
  institution: { select: { nameEn: true, nameZh: true } },
} as const;

/** Everything the session page shows; what each viewer may see of it is decided by the caller. */
export async function getSessionDetail(db: Db, id: string) {
  return db.boardSession.findUnique({
    where: { id },
    select: {
      id: true,
      title: true,
      status: true,
      startsAt: true,
      durationMinutes: true,
      timeZone: true,
      ...meetingColumns,
      chairId: true,
      chair: { select: personSelect },
      invitees: { select: { userId: true, kind: true, user: { select: personSelect } } },
      agenda: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          position: true,
          minutes: true,
          caseId: true,
          discussedAt: true,
          case: {
            select: {
              code: true,
              status: true,
              institutionId: true,
              institution: { select: { nameEn: true, nameZh: true } },
              primarySite: true,
              histology: true,
              primarySiteCode: true,
              icd10Code: true,
              icdO3Code: true,
            },
          },
        },
      },
    },
  });
}
export type SessionDetail = NonNullable<Awaited<ReturnType<typeof getSessionDetail>>>;

const listSelect = {
  id: true,
  title: true,
  status: true,
  startsAt: true,
  durationMinutes: true,
  chairId: true,
  presenterId: true,
  coChairId: true,
  chair: { select: { displayName: true, timeZone: true } },
} as const;

/** Coordinators: every session. Others: sessions they are invited to (the caller still asks the session's abilities). */
export async function listSessions(db: Db, viewer: Actor, when: "upcoming" | "past", now = new Date()) {
  const cutoff = new Date(now.getTime() - 12 * 3_600_000);
  const timeFilter =
    when === "upcoming"
      ? { startsAt: { gte: cutoff }, status: { in: ["SCHEDULED", "LIVE"] } }
      : { OR: [{ startsAt: { lt: cutoff } }, { status: { in: ["ENDED", "CANCELLED"] } }] };
  const rows = await db.boardSession.findMany({
    where: { AND: [timeFilter, seesEverySession(viewer) ? {} : { invitees: { some: { userId: viewer.id } } }] },
    orderBy: { startsAt: when === "upcoming" ? "asc" : "desc" },
    take: 200,
    select: { ...listSelect, invitees: { where: { userId: viewer.id }, select: { userId: true, kind: true } } },
  });
  return rows.map((row) => ({
    ...row,
    status: row.status as SessionStatus,
    invitees: row.invitees.map((i) => ({ userId: i.userId, kind: i.kind as InviteeKind })),
  }));
}

const schedulablePerson = { id: true, displayName: true, timeZone: true, institution: { select: { nameEn: true, nameZh: true } } } as const;

export function activeConsultants(db: Db) {
  return db.user.findMany({ where: { role: "CONSULTANT", active: true }, orderBy: { displayName: "asc" }, select: schedulablePerson });
}

export function activeInterpreters(db: Db) {
  return db.user.findMany({ where: { role: "INTERPRETER", active: true }, orderBy: { displayName: "asc" }, select: schedulablePerson });
}

/** The time zones of the active treating hospitals: the treating side's clocks before a board has any case. */
export async function treatingHospitalZones(db: Db): Promise<string[]> {
  const hospitals = await db.institution.findMany({ where: { kind: "TREATING", active: true }, distinct: ["timeZone"], select: { timeZone: true } });
  return hospitals.map((h) => h.timeZone);
}

/** Cases a coordinator may add to an agenda: triaged or in review. */
export function schedulableCases(db: Db) {
  return db.case.findMany({
    where: { status: { in: [...SCHEDULABLE_STATUSES] } },
    orderBy: [{ dueAt: "asc" }, { code: "asc" }],
    take: 500,
    select: { id: true, code: true, status: true, dueAt: true, institution: { select: { nameEn: true, nameZh: true } } },
  });
}

/** The boards a case is or was on (cancelled ones aside), newest first, with the summary the chair captured there. */
export async function boardsOfCase(db: Db, caseId: string) {
  const items = await db.agendaItem.findMany({
    where: { caseId, session: { status: { not: "CANCELLED" } } },
    orderBy: { session: { startsAt: "desc" } },
    select: {
      id: true,
      boardSummary: true,
      summaryAt: true,
      discussedAt: true,
      session: { select: { id: true, title: true, startsAt: true, durationMinutes: true, status: true } },
    },
  });
  return items.map((item) => ({ ...item, session: { ...item.session, status: item.session.status as SessionStatus } }));
}
