/** /admin/audit: the administrator reads the audit log, filtered. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FilterSelect } from "~/ui/filter-select";
import { AUDIT_ACTION_FILTERS } from "~/features/audit/audit-log-filter";
import { AUDIT_OUTCOME_LABEL_KEYS, AUDIT_OUTCOMES, isAuditOutcome } from "~/features/audit/audit-outcomes";
import { isRole, ROLE_LABEL_KEYS } from "~/features/identity/roles";
import { loadAuditLog } from "~/features/audit/audit.server";
import { requirePermission } from "~/features/identity/auth.server";
import { formatDateTime } from "~/ui/format";
import { requestMeta } from "~/platform/request-meta.server";
import { TableScroll } from "~/ui/table-scroll";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, context, "audit.read");
  return loadAuditLog({ user: admin, meta: requestMeta(request, context), searchParams: new URL(request.url).searchParams });
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
          options={AUDIT_ACTION_FILTERS.map((action) => ({ value: action, label: action }))}
        />
        <FilterSelect
          name="outcome"
          label={t("admin:audit.outcome")}
          value={params.get("outcome") ?? ""}
          anyLabel={t("admin:all")}
          options={AUDIT_OUTCOMES.map((outcome) => ({ value: outcome, label: t(AUDIT_OUTCOME_LABEL_KEYS[outcome]) }))}
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
        <TableScroll label={t("admin:audit.title")}>
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
                  <td>{isAuditOutcome(event.outcome) ? t(AUDIT_OUTCOME_LABEL_KEYS[event.outcome]) : event.outcome}</td>
                  <td>{event.ip ?? "—"}</td>
                  <td>
                    <code className="details">{event.details}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <nav className="pagination" aria-label={t("admin:pagination")}>
        {page > 1 && <Link to={pageLink(page - 1)}>{t("admin:previous")}</Link>}
        <span>{t("admin:pageOf", { page, pageCount })}</span>
        {page < pageCount && <Link to={pageLink(page + 1)}>{t("admin:next")}</Link>}
      </nav>
    </section>
  );
}
