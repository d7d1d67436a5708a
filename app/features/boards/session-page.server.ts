/**
 * What the session pages show and export: the list, a session's page (only what
 * the viewer may see of its agenda and invitees), the schedule forms, the
 * calendar file and the attendance export. Each read of a session is audited.
 */
import type { TFunction } from "i18next";
import type { CaseStatus } from "~/features/cases/case-lifecycle";
import { diagnosisFacts } from "~/features/cases/reference-data.server";
import { packetTexts } from "~/features/cases/packet-texts";
import { textTranslations } from "~/features/translation/text-translations.server";
import type { CurrentUser } from "~/features/identity/auth.server";
import { sessionPath } from "~/features/notifications/notifications";
import { publicUrl } from "~/features/notifications/notifications.server";
import { toCsv } from "~/platform/csv";
import { getDb, type Db } from "~/platform/db.server";
import { timeZoneChoiceText } from "~/platform/time-zone-names";
import { caseAbilities } from "~/features/cases/case-access";
import { getCaseFactsMany } from "~/features/cases/case-store.server";
import { localDateTimeInZone } from "~/platform/time-zones";
import { attendanceRows } from "./attendance";
import { mayScheduleSessions, sessionAbilities, visibleAgendaItemIds, visibleInvitees, type InviteeKind } from "./board-access";
import { auditSession, type SessionCaller } from "./board-access.server";
import {
  agendaOverrunMinutes,
  counterpartZone,
  DEFAULT_DURATION_MINUTES,
  endOf,
  invitedConsultantIds,
  invitedInterpreterIds,
  outOfHours,
  plannedStarts,
} from "./board-schedule";
import {
  activeConsultants,
  activeInterpreters,
  getSessionDetail,
  listSessions,
  schedulableCases,
  storedMeeting,
  treatingHospitalZones,
} from "./board-store.server";
import { meetingFormDefaults, meetingJoin } from "./meeting";
import { buildIcs } from "./ics";

/** The sessions the user may see, upcoming and past, each on the user's clock with the other side's beside it. */
export async function loadSessionList({ user, db = getDb() }: { user: CurrentUser; db?: Db }) {
  const rows = async (when: "upcoming" | "past") =>
    (await listSessions(db, user, when))
      .filter((s) => sessionAbilities(user, { ...s, agenda: [] }).view)
      .map((s) => ({
        id: s.id,
        title: s.title,
        status: s.status,
        startsAt: s.startsAt.toISOString(),
        durationMinutes: s.durationMinutes,
        chair: s.chair.displayName,
        otherZone: counterpartZone(user.timeZone, [s.chair.timeZone]),
      }));
  return { upcoming: await rows("upcoming"), past: await rows("past"), timeZone: user.timeZone, canSchedule: mayScheduleSessions(user) };
}

/** A session's page: the schedule on both clocks, the agenda items and invitees the viewer may see, and for coordinators the warnings and the cases they may add. */
export async function loadSessionPage({ user, session, meta, db = getDb() }: SessionCaller) {
  const may = sessionAbilities(user, session);
  const detail = (await getSessionDetail(db, session.id))!;
  const visible = visibleAgendaItemIds(user, session);
  const starts = plannedStarts(detail.startsAt, detail.agenda);
  const agenda = detail.agenda.filter((item) => visible.has(item.id));
  const invitees = visibleInvitees(
    user,
    detail.invitees.map((i) => ({ ...i, institutionId: i.user.institutionId })),
  );
  const consultingZones = [detail.chair.timeZone, ...detail.invitees.filter((i) => i.kind === "CONSULTANT").map((i) => i.user.timeZone)];
  await auditSession({ db, user, meta, sessionId: session.id, action: "session.view", details: { caseIds: agenda.map((item) => item.caseId) } });
  const readableCases = new Set(
    (
      await getCaseFactsMany(
        db,
        agenda.map((item) => item.caseId),
      )
    )
      .filter((facts) => caseAbilities(user, facts).view)
      .map((facts) => facts.id),
  );
  const readableAgenda = agenda.filter((item) => readableCases.has(item.caseId));
  const translations = await textTranslations(
    db,
    readableAgenda.map((item) => item.caseId),
    readableAgenda.flatMap((item) => packetTexts({ id: item.caseId, primarySite: item.case.primarySite, histology: item.case.histology })),
  );
  return {
    session: {
      id: detail.id,
      title: detail.title,
      status: session.status,
      startsAt: detail.startsAt.toISOString(),
      durationMinutes: detail.durationMinutes,
      timeZone: detail.timeZone,
    },
    /** The call, to those who may enter the room while it is open. */
    meeting: may.enterRoom ? meetingJoin(storedMeeting(detail)) : null,
    may,
    viewerZone: user.timeZone,
    otherZone: counterpartZone(user.timeZone, consultingZones),
    chair: detail.chair.displayName,
    invitees: invitees.map((i) => ({
      id: i.userId,
      name: i.user.displayName,
      kind: i.kind as InviteeKind,
      timeZone: i.user.timeZone,
      institution: i.user.institution,
    })),
    agenda: agenda.map((item) => ({
      id: item.id,
      caseId: item.caseId,
      code: item.case.code,
      caseStatus: item.case.status as CaseStatus,
      institution: item.case.institution,
      // An interpreter sees a case's code only: no diagnosis, no link into it.
      diagnosis: readableCases.has(item.caseId) ? diagnosisFacts({ ...item.case, id: item.caseId }, translations) : null,
      minutes: item.minutes,
      plannedAt: starts.get(item.id)!.toISOString(),
      caseLink: readableCases.has(item.caseId),
    })),
    partialAgenda: !may.seeWholeAgenda,
    warnings: may.schedule ? outOfHours(session, await workingHoursAudience(db, detail.invitees)) : [],
    overrunMinutes: may.schedule ? agendaOverrunMinutes(detail.durationMinutes, detail.agenda) : 0,
    candidates: may.editSchedule
      ? (await schedulableCases(db)).map((c) => ({ id: c.id, code: c.code, status: c.status as CaseStatus, institution: c.institution }))
      : [],
  };
}

/** Everyone a board's working hours concern, as the invitees stand, with the treating hospitals' clocks for a board without cases. */
async function workingHoursAudience(db: Db, invitees: readonly { kind: string; user: { displayName: string; timeZone: string } }[]) {
  const clock = (i: (typeof invitees)[number]) => ({ name: i.user.displayName, timeZone: i.user.timeZone });
  return {
    consulting: invitees.filter((i) => i.kind !== "PHYSICIAN").map(clock),
    physicians: invitees.filter((i) => i.kind === "PHYSICIAN").map(clock),
    treatingHospitalZones: await treatingHospitalZones(db),
  };
}

/** The form for a new session: the active consultants and interpreters, the treating hospitals' clocks, and tomorrow at 08:00 on the coordinator's clock. */
export async function loadNewSessionForm({ user, db = getDb() }: { user: CurrentUser; db?: Db }) {
  const tomorrow = localDateTimeInZone(new Date(Date.now() + 86_400_000), user.timeZone).date;
  return {
    consultants: await activeConsultants(db),
    treatingHospitalZones: await treatingHospitalZones(db),
    interpreters: await activeInterpreters(db),
    viewerZone: user.timeZone,
    defaults: {
      title: "",
      date: tomorrow,
      time: "08:00",
      timeZone: timeZoneChoiceText(user.timeZone),
      durationMinutes: DEFAULT_DURATION_MINUTES,
      chairId: "",
      consultantIds: [],
      interpreterIds: [],
      ...meetingFormDefaults({ provider: null, link: null, meetingId: null, passcode: null }),
    },
  };
}

/** The schedule form of an existing session, filled in as stored, with the invited physicians' and the treating hospitals' zones for the working-hours check. */
export async function loadScheduleForm({ user, session, db = getDb() }: SessionCaller) {
  const local = localDateTimeInZone(session.startsAt, session.timeZone);
  const physicianIds = session.invitees.filter((i) => i.kind === "PHYSICIAN").map((i) => i.userId);
  const physicians = await db.user.findMany({ where: { id: { in: physicianIds } }, select: { displayName: true, timeZone: true } });
  return {
    id: session.id,
    title: session.title,
    consultants: await activeConsultants(db),
    interpreters: await activeInterpreters(db),
    physicians: physicians.map((p) => ({ name: p.displayName, timeZone: p.timeZone })),
    treatingHospitalZones: await treatingHospitalZones(db),
    viewerZone: user.timeZone,
    defaults: {
      title: session.title,
      date: local.date,
      time: local.time,
      timeZone: timeZoneChoiceText(session.timeZone),
      durationMinutes: session.durationMinutes,
      chairId: session.chairId,
      consultantIds: invitedConsultantIds(session.invitees),
      interpreterIds: invitedInterpreterIds(session.invitees),
      ...meetingFormDefaults(session.meeting),
    },
  };
}

/** The session as an iCalendar file: title, times, links; never a case or anything clinical. */
export async function sessionCalendar({ user, session, meta, t, db = getDb() }: SessionCaller & { t: TFunction }) {
  const link = publicUrl() + sessionPath(session.id);
  const call = meetingJoin(session.meeting);
  const ics = buildIcs({
    uid: `${session.id}@tumorboard`,
    sequence: session.icsSequence,
    stampedAt: new Date(),
    startsAt: session.startsAt,
    endsAt: endOf(session),
    summary: session.title,
    description: [
      t("sessions:ics.description", { url: link }),
      ...(call ? [t("sessions:ics.video", { url: call.href })] : []),
      ...(call?.meetingId ? [t("sessions:ics.meetingId", { id: call.meetingId })] : []),
      ...(call?.passcode ? [t("sessions:ics.passcode", { passcode: call.passcode })] : []),
    ].join("\n"),
    location: call?.href ?? link,
    url: link,
    cancelled: session.status === "CANCELLED",
  });
  await auditSession({ db, user, meta, sessionId: session.id, action: "session.calendar" });
  return { ics, fileName: `tumor-board-${session.startsAt.toISOString().slice(0, 10)}.ics` };
}

/** Who was in the room and when, as CSV (with a byte-order mark, for spreadsheets): one row per stay, headers in the reader's language. */
export async function exportAttendance({ user, session, meta, t, db = getDb() }: SessionCaller & { t: TFunction }) {
  const stays = await db.attendance.findMany({ where: { sessionId: session.id }, select: { userId: true, joinedAt: true, leftAt: true } });
  const people = await db.user.findMany({
    where: { id: { in: [...new Set(stays.map((s) => s.userId))] } },
    select: { id: true, displayName: true, email: true, role: true },
  });
  const byId = new Map(people.map((p) => [p.id, p]));
  const ended = await db.boardSession.findUnique({ where: { id: session.id }, select: { endedAt: true } });
  const headers = ["name", "email", "role", "joined", "left", "minutes"].map((h) => t(`room:attendance.${h}`));
  const rows = attendanceRows(
    stays.map((s) => {
      const person = byId.get(s.userId);
      return {
        name: person?.displayName ?? "",
        email: person?.email ?? "",
        role: person ? t(`common:roles.${person.role}`) : "",
        joinedAt: s.joinedAt,
        leftAt: s.leftAt,
      };
    }),
    ended?.endedAt ?? null,
    headers,
  );
  await auditSession({ db, user, meta, sessionId: session.id, action: "session.attendanceExport" });
  return { csv: "\uFEFF" + toCsv(rows), fileName: `attendance-${session.startsAt.toISOString().slice(0, 10)}.csv` };
}
