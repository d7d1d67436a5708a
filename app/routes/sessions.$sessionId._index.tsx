/** /sessions/<id>: a board session's schedule and agenda, and the coordinator's agenda editing. */
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AgendaEditor, AgendaTable } from "~/features/boards/agenda-editor";
import { MeetingJoinLink } from "~/features/boards/meeting-join";
import { OutOfHoursWarning } from "~/features/boards/out-of-hours-warning";
import { SessionTime } from "~/features/boards/session-time";
import { INVITEE_KIND_LABEL_KEYS, SESSION_STATUS_LABEL_KEYS, zoneLabel } from "~/features/boards/board-schedule";
import { AgendaChangeForm, isAgendaIntent, type AgendaReply } from "~/features/boards/board-forms";
import { requireSession } from "~/features/boards/board-access.server";
import { changeAgenda } from "~/features/boards/board-scheduling.server";
import { loadSessionPage } from "~/features/boards/session-page.server";
import { readForm } from "~/platform/request-body.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return loadSessionPage(await requireSession(request, context, params.sessionId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireSession(request, context, params.sessionId, "schedule");
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const itemId = String(formData.get("itemId") ?? "") || null;
  if (!isAgendaIntent(intent)) return data<AgendaReply>({ intent, itemId, error: "sessions:errors.unknownAction" }, { status: 400 });
  const submission = parseWithZod(formData, { schema: AgendaChangeForm });
  if (submission.status !== "success") {
    const error = Object.values(submission.error ?? {}).flat()[0] ?? "sessions:errors.unknownAction";
    return data<AgendaReply>({ intent, itemId, error, result: submission.reply() }, { status: 400 });
  }
  const changed = await changeAgenda({ ...caller, change: submission.value });
  if (changed.ok) return { intent, itemId, error: null, result: submission.reply() } satisfies AgendaReply;
  const error = changed.formError ?? "sessions:errors.unknownAction";
  return data<AgendaReply>({ intent, itemId, error, result: submission.reply({ formErrors: [error] }) }, { status: 400 });
}

export default function SessionPage() {
  const { session, meeting, may, viewerZone, otherZone, chair, invitees, agenda, partialAgenda, warnings, overrunMinutes, candidates } =
    useLoaderData<typeof loader>();
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
        {may.editSchedule && (
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
          {may.enterRoom && (
            <>
              <dt>{t("sessions:detail.video")}</dt>
              <dd>{meeting ? <MeetingJoinLink meeting={meeting} /> : t("sessions:detail.noVideo")}</dd>
            </>
          )}
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
        {may.enterRoom ? (
          <Link className="button-primary" to={`/sessions/${session.id}/room`}>
            {t("sessions:detail.roomLink")}
          </Link>
        ) : (
          <p className="muted">{t("sessions:detail.roomClosed")}</p>
        )}
        {may.exportAttendance && (
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
        {may.editSchedule ? (
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
