/** /sessions: the board sessions the reader may see. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SessionTime } from "~/features/boards/session-time";
import { SESSION_STATUS_LABEL_KEYS } from "~/features/boards/board-schedule";
import { loadSessionList } from "~/features/boards/session-page.server";
import { requirePermission } from "~/features/identity/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  return loadSessionList({ user: await requirePermission(request, context, "sessions.view") });
}

type Row = Awaited<ReturnType<typeof loader>>["upcoming"][number];

function SessionTable({ rows, timeZone, caption }: { rows: Row[]; timeZone: string; caption: string }) {
  const { t } = useTranslation();
  return (
    <table className="data-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("sessions:list.columns.title")}</th>
          <th scope="col">{t("sessions:list.columns.when")}</th>
          <th scope="col">{t("sessions:list.columns.chair")}</th>
          <th scope="col">{t("sessions:list.columns.status")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => (
          <tr key={s.id}>
            <td>
              <Link to={`/sessions/${s.id}`}>{s.title}</Link>
            </td>
            <td>
              <SessionTime startsAt={s.startsAt} durationMinutes={s.durationMinutes} viewerZone={timeZone} otherZone={s.otherZone} />
            </td>
            <td>{s.chair}</td>
            <td>
              <span className={`badge session-${s.status}`}>{t(SESSION_STATUS_LABEL_KEYS[s.status])}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function SessionsPage() {
  const { upcoming, past, timeZone, canSchedule } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="sessions-title">
      <header className="page-heading">
        <h1 id="sessions-title">{t("sessions:list.title")}</h1>
        {canSchedule && (
          <Link className="button-primary" to="/sessions/new">
            {t("sessions:list.new")}
          </Link>
        )}
      </header>
      <h2>{t("sessions:list.upcoming")}</h2>
      {upcoming.length === 0 ? (
        <p className="empty-state">{t("sessions:list.empty")}</p>
      ) : (
        <SessionTable rows={upcoming} timeZone={timeZone} caption={t("sessions:list.upcoming")} />
      )}
      <h2>{t("sessions:list.past")}</h2>
      {past.length === 0 ? (
        <p className="empty-state">{t("sessions:list.emptyPast")}</p>
      ) : (
        <SessionTable rows={past} timeZone={timeZone} caption={t("sessions:list.past")} />
      )}
    </section>
  );
}
