/** /sessions: the board sessions the reader may see. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SessionTime } from "~/features/boards/session-time";
import { SESSION_STATUS_LABEL_KEYS } from "~/features/boards/board-schedule";
import { loadSessionList } from "~/features/boards/session-page.server";
import { requirePermission } from "~/features/identity/auth.server";
import { StackedTable } from "~/ui/stacked-table";

export async function loader({ request, context }: LoaderFunctionArgs) {
  return loadSessionList({ user: await requirePermission(request, context, "sessions.view") });
}

type Row = Awaited<ReturnType<typeof loader>>["upcoming"][number];

function SessionTable({ rows, timeZone, caption }: { rows: Row[]; timeZone: string; caption: string }) {
  const { t } = useTranslation();
  return (
    <StackedTable
      caption={caption}
      rows={rows}
      rowKey={(s) => s.id}
      columns={[
        { label: t("sessions:list.columns.title"), cell: (s) => <Link to={`/sessions/${s.id}`}>{s.title}</Link> },
        {
          label: t("sessions:list.columns.when"),
          cell: (s) => <SessionTime startsAt={s.startsAt} durationMinutes={s.durationMinutes} viewerZone={timeZone} otherZone={s.otherZone} />,
        },
        { label: t("sessions:list.columns.chair"), cell: (s) => s.chair },
        {
          label: t("sessions:list.columns.status"),
          cell: (s) => <span className={`badge session-${s.status}`}>{t(SESSION_STATUS_LABEL_KEYS[s.status])}</span>,
        },
      ]}
    />
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
