import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FilterSelect } from "~/ui/filter-select";
import { AUDIT_OUTCOMES } from "~/features/audit/audit-outcomes";
import { isRole, ROLE_LABEL_KEYS } from "~/features/identity/roles";
import { startOfDayInZone } from "~/platform/time-zones";
import { recordAudit, listAuditEvents } from "~/features/audit/audit.server";
import { requirePermission } from "~/features/identity/auth.server";
import { getDb } from "~/platform/db.server";
import { formatDateTime } from "~/ui/format";
import { requestMeta } from "~/platform/request-meta.server";

const PAGE_SIZE = 50;
const DAY_MS = 24 * 60 * 60 * 1000;
const KNOWN_ACTIONS = ["auth.login", "auth.logout", "access.denied", "socket.connect", "user.create", "user.update", "institution.create", "institution.update", "audit.read"];

const OUTCOME_KEYS = {
  success: "admin:audit.outcomes.success",
  denied: "admin:audit.outcomes.denied",
  failure: "admin:audit.outcomes.failure",
  error: "admin:audit.outcomes.error",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, context, "audit.read");
  const params = new URL(request.url).searchParams;
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const from = startOfDayInZone(params.get("from") ?? "", admin.timeZone);
  const toDay = startOfDayInZone(params.get("to") ?? "", admin.timeZone);
  const outcome = params.get("outcome") ?? "";
  const filter = {
    actor: params.get("actor")?.trim() || undefined,
    action: params.get("action") || undefined,
    outcome: (AUDIT_OUTCOMES as readonly string[]).includes(outcome) ? outcome : undefined,
    from: from ?? undefined,
    to: toDay ? new Date(toDay.getTime() + DAY_MS) : undefined,
  };
  const db = getDb();
  const { events, total } = await listAuditEvents(db, filter, page, PAGE_SIZE);
  await recordAudit(db, {
    actor: admin,
    action: "audit.read",
    outcome: "success",
    entityType: "AuditEvent",
    details: { filter: Object.fromEntries(params), page },
    meta: requestMeta(request, context),
  });
  return { events, total, page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)), timeZone: admin.timeZone };
}

export default function AuditLogPage() {
  const { events, total, page, pageCount, timeZone } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation();
  const pageLink = (target: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(target));
    return `?${next}`;
  };
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t("admin:audit.title")}</h1>
      <p className="muted">{t("admin:audit.intro", { timeZone })}</p>
      <Form method="get" className="filters" aria-label={t("admin:filters")}>
        <div className="field">
          <label htmlFor="actor">{t("admin:audit.actor")}</label>
          <input id="actor" name="actor" type="search" defaultValue={params.get("actor") ?? ""} />
        </div>
        <FilterSelect
          name="action"
          label={t("admin:audit.action")}
          value={params.get("action") ?? ""}
          anyLabel={t("admin:all")}
          options={KNOWN_ACTIONS.map((action) => ({ value: action, label: action }))}
        />
        <FilterSelect
          name="outcome"
          label={t("admin:audit.outcome")}
          value={params.get("outcome") ?? ""}
          anyLabel={t("admin:all")}
          options={AUDIT_OUTCOMES.map((outcome) => ({ value: outcome, label: t(OUTCOME_KEYS[outcome]) }))}
        />
        <div className="field">
          <label htmlFor="from">{t("admin:audit.from")}</label>
          <input id="from" name="from" type="date" defaultValue={params.get("from") ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="to">{t("admin:audit.to")}</label>
          <input id="to" name="to" type="date" defaultValue={params.get("to") ?? ""} />
        </div>
        <button type="submit" className="button-secondary">
          {t("admin:applyFilters")}
        </button>
      </Form>
      <p role="status">{t("admin:audit.count", { count: total })}</p>
      {events.length === 0 ? (
        <p className="empty-state">{t("admin:audit.empty")}</p>
      ) : (
        <table className="data-table audit-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("admin:audit.time")}</th>
              <th scope="col">{t("admin:audit.actor")}</th>
              <th scope="col">{t("admin:audit.action")}</th>
              <th scope="col">{t("admin:audit.entity")}</th>
              <th scope="col">{t("admin:audit.outcome")}</th>
              <th scope="col">{t("admin:audit.ip")}</th>
              <th scope="col">{t("admin:audit.details")}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id} className={`outcome-${event.outcome}`}>
                <td>{event.id}</td>
                <td>{formatDateTime(event.occurredAt, i18n.language, timeZone)}</td>
                <td>
                  {event.actorEmail ?? "—"}
                  {event.actorRole && isRole(event.actorRole) && <span className="muted small"> ({t(ROLE_LABEL_KEYS[event.actorRole])})</span>}
                </td>
                <td>
                  <code>{event.action}</code>
                </td>
                <td>{event.entityType ? `${event.entityType} ${event.entityId ?? ""}` : "—"}</td>
                <td>{event.outcome in OUTCOME_KEYS ? t(OUTCOME_KEYS[event.outcome as keyof typeof OUTCOME_KEYS]) : event.outcome}</td>
                <td>{event.ip ?? "—"}</td>
                <td>
                  <code className="details">{event.details}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pagination" aria-label={t("admin:pagination")}>
        {page > 1 && <Link to={pageLink(page - 1)}>{t("admin:previous")}</Link>}
        <span>{t("admin:pageOf", { page, pageCount })}</span>
        {page < pageCount && <Link to={pageLink(page + 1)}>{t("admin:next")}</Link>}
      </nav>
    </section>
  );
}
