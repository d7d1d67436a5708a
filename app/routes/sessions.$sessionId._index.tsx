import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AgendaEditor, AgendaTable } from "~/features/boards/agenda-editor";
import { OutOfHoursWarning } from "~/features/boards/out-of-hours-warning";
import { SessionTime } from "~/features/boards/session-time";
import { canJoinRoom, visibleAgendaItemIds, type InviteeKind } from "~/features/boards/board-access";
import {
  agendaOverrunMinutes,
  counterpartZone,
  INVITEE_KIND_LABEL_KEYS,
  outOfHours,
  plannedStarts,
  scheduleEditable,
  SESSION_STATUS_LABEL_KEYS,
  zoneLabel,
} from "~/features/boards/board-schedule";
import type { CaseStatus } from "~/features/cases/case-lifecycle";
import { getSessionDetail, schedulableCases } from "~/features/boards/board-store.server";
import {
  addAgendaCase,
  auditSession,
  mayScheduleSessions,
  moveAgendaItem,
  removeAgendaItem,
  reorderAgenda,
  requireSession,
  setAgendaItemMinutes,
  type SchedulingResult,
} from "~/features/boards/board-scheduling.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, session } = await requireSession(request, context, params.sessionId);
  const db = getDb();
  const detail = (await getSessionDetail(db, session.id))!;
  const visible = visibleAgendaItemIds(user, session);
  const physicianViewer = user.role === "TREATING_PHYSICIAN";
  const coordinator = mayScheduleSessions(user);
  const starts = plannedStarts(detail.startsAt, detail.agenda);
  const agenda = detail.agenda.filter((item) => visible.has(item.id));
  // A treating physician sees the board's consultants and their own institution's physicians, nobody of another hospital.
  const invitees = detail.invitees.filter((i) => !physicianViewer || i.kind !== "PHYSICIAN" || i.user.institutionId === user.institutionId);
  const consultingZones = [detail.chair.timeZone, ...detail.invitees.filter((i) => i.kind === "CONSULTANT").map((i) => i.user.timeZone)];
  const manage = coordinator && scheduleEditable(session.status);
  await auditSession(db, user, "session.view", session.id, requestMeta(request, context), { caseIds: agenda.map((item) => item.caseId) });
  return {
    session: {
      id: detail.id,
      title: detail.title,
      status: session.status,
      startsAt: detail.startsAt.toISOString(),
      durationMinutes: detail.durationMinutes,
      timeZone: detail.timeZone,
      videoUrl: detail.videoUrl,
    },
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
      minutes: item.minutes,
      plannedAt: starts.get(item.id)!.toISOString(),
    })),
    partialAgenda: physicianViewer,
    warnings: coordinator ? outOfHours(session, detail.invitees.map((i) => ({ name: i.user.displayName, timeZone: i.user.timeZone }))) : [],
    overrunMinutes: coordinator ? agendaOverrunMinutes(detail.durationMinutes, detail.agenda) : 0,
    manage,
    candidates: manage ? (await schedulableCases(db)).map((c) => ({ id: c.id, code: c.code, status: c.status as CaseStatus, institution: c.institution })) : [],
    roomOpen: canJoinRoom(user, session) && (session.status === "SCHEDULED" || session.status === "LIVE"),
    canExportAttendance: coordinator || session.chairId === user.id,
  };
}

type AgendaActionData = { intent: string; itemId: string | null; error: string | null };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, session } = await requireSession(request, context, params.sessionId, mayScheduleSessions);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const itemId = String(form.get("itemId") ?? "");
  const db = getDb();
  const meta = requestMeta(request, context);
  let result: SchedulingResult;
  switch (intent) {
    case "addCase":
      result = await addAgendaCase(db, user, session, String(form.get("caseId") ?? ""), meta);
      break;
    case "removeItem":
      result = await removeAgendaItem(db, user, session, itemId, meta);
      break;
    case "moveUp":
    case "moveDown":
      if (!session.agendaItems.some((i) => i.id === itemId)) result = { ok: false, formError: "sessions:errors.itemNotFound" };
      else result = await moveAgendaItem(db, user, session, itemId, intent === "moveUp" ? "up" : "down", meta);
      break;
    case "reorder":
      result = await reorderAgenda(db, user, session, form.getAll("order").map(String), meta);
      break;
    case "setMinutes":
      result = await setAgendaItemMinutes(db, user, session, itemId, Number(form.get("minutes")), meta);
      break;
    default:
      result = { ok: false, formError: "sessions:errors.unknownAction" };
  }
  const reply: AgendaActionData = { intent, itemId: itemId || null, error: result.ok ? null : (result.formError ?? "sessions:errors.unknownAction") };
  return result.ok ? reply : data(reply, { status: 400 });
}

export default function SessionPage() {
  const { session, viewerZone, otherZone, chair, invitees, agenda, partialAgenda, warnings, overrunMinutes, manage, candidates, roomOpen, canExportAttendance } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const zh = i18n.language === "zh-CN";
  return (
    <article aria-labelledby="session-title">
      <header className="page-heading">
        <div>
          <h1 id="session-title">{session.title}</h1>
          <p className="muted">
            <span className={`badge session-${session.status}`}>{t(SESSION_STATUS_LABEL_KEYS[session.status])}</span>
          </p>
        </div>
        {manage && (
          <Link className="button-secondary" to={`/sessions/${session.id}/edit`}>
            {t("sessions:detail.edit")}
          </Link>
        )}
      </header>

      <section className="section" aria-labelledby="schedule-title">
        <h2 id="schedule-title">{t("sessions:detail.schedule")}</h2>
        <p className="session-when">
          <SessionTime startsAt={session.startsAt} durationMinutes={session.durationMinutes} viewerZone={viewerZone} otherZone={otherZone} />
        </p>
        {session.timeZone !== viewerZone && session.timeZone !== otherZone && (
          <p className="muted small">
            <SessionTime startsAt={session.startsAt} durationMinutes={session.durationMinutes} viewerZone={session.timeZone} otherZone={null} />
          </p>
        )}
        <dl className="summary-grid">
          <dt>{t("sessions:detail.chair")}</dt>
          <dd>{chair}</dd>
          <dt>{t("sessions:detail.video")}</dt>
          <dd>
            {session.videoUrl ? (
              <a href={session.videoUrl} rel="noopener noreferrer" target="_blank">
                {t("sessions:detail.videoLink")}
              </a>
            ) : (
              t("sessions:detail.noVideo")
            )}
          </dd>
          <dt>{t("sessions:detail.calendar")}</dt>
          <dd>
            <a href={`/sessions/${session.id}/calendar.ics`} download>
              {t("sessions:detail.ics")}
            </a>
          </dd>
        </dl>
        <OutOfHoursWarning warnings={warnings} />
        {overrunMinutes > 0 && (
          <p className="alert alert-warning" role="note">
            {t("sessions:warnings.overrun", { count: overrunMinutes })}
          </p>
        )}
      </section>

      <section className="section" aria-labelledby="room-title" data-live-room>
        <h2 id="room-title">{t("sessions:detail.room")}</h2>
        {roomOpen ? (
          <Link className="button-primary" to={`/sessions/${session.id}/room`}>
            {t("sessions:detail.roomLink")}
          </Link>
        ) : (
          <p className="muted">{t("sessions:detail.roomClosed")}</p>
        )}
        {canExportAttendance && (
          <p>
            <a href={`/sessions/${session.id}/attendance.csv`} download>
              {t("room:attendance.export")}
            </a>
          </p>
        )}
      </section>

      <section className="section" aria-labelledby="agenda-title">
        <h2 id="agenda-title">{t("sessions:detail.agenda")}</h2>
        {partialAgenda && <p className="muted">{t("sessions:detail.ownCasesOnly")}</p>}
        {manage ? (
          <AgendaEditor items={agenda} candidates={candidates} viewerZone={viewerZone} />
        ) : agenda.length === 0 ? (
          <p className="empty-state">{t("sessions:detail.noAgenda")}</p>
        ) : (
          <AgendaTable items={agenda} viewerZone={viewerZone} />
        )}
      </section>

      <section className="section" aria-labelledby="invitees-title">
        <h2 id="invitees-title">{t("sessions:detail.invitees")}</h2>
        <ul className="invitee-list">
          {invitees.map((i) => (
            <li key={i.id}>
              {i.name} — {t(INVITEE_KIND_LABEL_KEYS[i.kind])}
              {i.institution && ` · ${zh ? i.institution.nameZh : i.institution.nameEn}`} · {zoneLabel(t, i.timeZone)}
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}
