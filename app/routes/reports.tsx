/** /reports: the coordinator's turnaround dashboard and outcome report. */
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldErrors } from "~/ui/field-errors";
import { CASE_STATUS_LABEL_KEYS } from "~/features/cases/case-lifecycle";
import { CANCER_TYPES, labelKeys, type CancerType } from "~/features/cases/clinical-vocabulary";
import type { Month } from "~/features/search-reports/turnaround-report";
import { i18nServer } from "~/i18n/i18n.server";
import { loadTurnaroundReport } from "~/features/search-reports/report.server";
import { requirePermission } from "~/features/identity/auth.server";
import { formatDate } from "~/ui/format";
import { requestMeta } from "~/platform/request-meta.server";
import { TableScroll } from "~/ui/table-scroll";

const CANCER_TYPE_KEYS = labelKeys("cancerTypes", CANCER_TYPES);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "reports.view");
  const page = await loadTurnaroundReport({
    user,
    meta: requestMeta(request, context),
    locale: await i18nServer.getLocale(request),
    searchParams: new URL(request.url).searchParams,
  });
  return data(page, { status: page.period ? 200 : 400 });
}

export default function ReportsPage() {
  const { timeZone, query, period, errors, report, outcomes } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const days = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const count = new Intl.NumberFormat(locale);
  const percent = (share: number | null) =>
    share === null ? "—" : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(share);
  const monthLabel = (month: Month) =>
    new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(`${month}-15T00:00:00Z`));
  const cancerType = (type: string | null) =>
    type === null ? t("reports:cancerTypeNotRecorded") : type in CANCER_TYPE_KEYS ? t(CANCER_TYPE_KEYS[type as CancerType]) : type;
  const csvLink = `/reports/turnaround.csv?${new URLSearchParams(period ? { from: period.from, to: period.to } : {})}`;
  const fieldError = (name: "from" | "to") => ({ errorId: `${name}-error`, errors: errors[name] });
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">{t("reports:title")}</h1>
      <p className="muted">{t("reports:intro", { timeZone })}</p>

      <Form method="get" className="filters" aria-label={t("reports:period.label")} noValidate>
        <div className="field">
          <label htmlFor="from">{t("reports:period.from")}</label>
          <input
            id="from"
            name="from"
            type="month"
            defaultValue={query.from}
            aria-invalid={errors.from ? true : undefined}
            aria-describedby={errors.from ? "from-error" : undefined}
          />
          <FieldErrors field={fieldError("from")} />
        </div>
        <div className="field">
          <label htmlFor="to">{t("reports:period.to")}</label>
          <input
            id="to"
            name="to"
            type="month"
            defaultValue={query.to}
            aria-invalid={errors.to ? true : undefined}
            aria-describedby={errors.to ? "to-error" : undefined}
          />
          <FieldErrors field={fieldError("to")} />
        </div>
        <button type="submit" className="button-secondary">
          {t("reports:period.apply")}
        </button>
      </Form>
      {period ? (
        <p>
          {t("reports:period.showing", { from: monthLabel(period.from), to: monthLabel(period.to) })}{" "}
          <a href={csvLink} download>
            {t("reports:csv.download")}
          </a>
        </p>
      ) : (
        <p className="alert alert-error" role="alert">
          {t("reports:period.invalid")}
        </p>
      )}

      <h2 id="open-title">{t("reports:open.title")}</h2>
      <TableScroll label={t("reports:open.title")}>
        <table className="data-table" aria-labelledby="open-title">
          <thead>
            <tr>
              <th scope="col">{t("reports:open.status")}</th>
              <th scope="col">{t("reports:open.count")}</th>
              <th scope="col">{t("reports:open.overdueCount")}</th>
            </tr>
          </thead>
          <tbody>
            {report.open.map((group) => (
              <tr key={group.status} className={group.overdueCount > 0 ? "overdue" : undefined}>
                <th scope="row">{t(CASE_STATUS_LABEL_KEYS[group.status])}</th>
                <td>{count.format(group.count)}</td>
                <td>{group.overdueCount > 0 ? <strong className="overdue-flag">{count.format(group.overdueCount)}</strong> : count.format(0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {report.open
        .filter((group) => group.count > 0)
        .map((group) => {
          const summary = t("reports:open.groupSummary", { status: t(CASE_STATUS_LABEL_KEYS[group.status]), count: group.count, overdue: group.overdueCount });
          return (
            <details key={group.status} open={group.overdueCount > 0}>
              <summary>{summary}</summary>
              <TableScroll label={summary}>
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("reports:columns.code")}</th>
                      <th scope="col">{t("reports:columns.institution")}</th>
                      <th scope="col">{t("reports:columns.submitted")}</th>
                      <th scope="col">{t("reports:columns.due")}</th>
                      <th scope="col">{t("reports:columns.daysOpen")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {group.cases.map((c) => (
                      <tr key={c.caseId} className={c.overdue ? "overdue" : undefined} data-overdue={c.overdue || undefined}>
                        <td>
                          <Link to={`/cases/${c.caseId}`}>{c.code}</Link>
                          {c.overdue && <span className="badge badge-urgent">{t("reports:overdue")}</span>}
                        </td>
                        <td>{c.institution}</td>
                        <td>{formatDate(c.submittedAt, locale, timeZone)}</td>
                        <td>{c.dueAt ? formatDate(c.dueAt, locale, timeZone) : "—"}</td>
                        <td>{c.daysOpen === null ? "—" : count.format(c.daysOpen)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            </details>
          );
        })}

      {period && (
        <>
          <h2 id="median-title">{t("reports:median.title")}</h2>
          {report.monthlyMedians.length === 0 ? (
            <p className="empty-state">{t("reports:delivered.empty")}</p>
          ) : (
            <TableScroll label={t("reports:median.title")}>
              <table className="data-table" aria-labelledby="median-title">
                <thead>
                  <tr>
                    <th scope="col">{t("reports:median.month")}</th>
                    <th scope="col">{t("reports:median.deliveries")}</th>
                    <th scope="col">{t("reports:median.medianDays")}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.monthlyMedians.map((m) => (
                    <tr key={m.month}>
                      <th scope="row">{monthLabel(m.month)}</th>
                      <td>{count.format(m.count)}</td>
                      <td>{days.format(m.medianDays)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}

          <h2 id="delivered-title">{t("reports:delivered.title")}</h2>
          <p className="muted">{t("reports:delivered.note")}</p>
          {report.delivered.length === 0 ? (
            <p className="empty-state">{t("reports:delivered.empty")}</p>
          ) : (
            <TableScroll label={t("reports:delivered.title")}>
              <table className="data-table" aria-labelledby="delivered-title">
                <thead>
                  <tr>
                    <th scope="col">{t("reports:columns.code")}</th>
                    <th scope="col">{t("reports:columns.institution")}</th>
                    <th scope="col">{t("reports:columns.cancerType")}</th>
                    <th scope="col">{t("reports:columns.submitted")}</th>
                    <th scope="col">{t("reports:columns.firstDelivered")}</th>
                    <th scope="col">{t("reports:columns.days")}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.delivered.map((c) => (
                    <tr key={c.caseId}>
                      <td>
                        <Link to={`/cases/${c.caseId}`}>{c.code}</Link>
                      </td>
                      <td>{c.institution}</td>
                      <td>{cancerType(c.cancerType)}</td>
                      <td>{formatDate(c.submittedAt, locale, timeZone)}</td>
                      <td>{formatDate(c.firstDeliveredAt, locale, timeZone)}</td>
                      <td>{days.format(c.days)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}

          <h2 id="outcomes-title">{t("reports:outcomes.title")}</h2>
          <p className="muted">{t("reports:outcomes.definition")}</p>
          {outcomes.groups.length === 0 ? (
            <p className="empty-state">{t("reports:delivered.empty")}</p>
          ) : (
            <TableScroll label={t("reports:outcomes.title")}>
              <table className="data-table" aria-labelledby="outcomes-title">
                <thead>
                  <tr>
                    <th scope="col">{t("reports:columns.cancerType")}</th>
                    <th scope="col">{t("reports:outcomes.delivered")}</th>
                    <th scope="col">{t("reports:outcomes.reported")}</th>
                    <th scope="col">{t("reports:outcomes.awaiting")}</th>
                    <th scope="col">{t("reports:outcomes.changedCare")}</th>
                    <th scope="col">{t("reports:outcomes.changedCareDefinitely")}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...outcomes.groups, outcomes.total].map((g, index) => {
                    const isTotal = index === outcomes.groups.length;
                    return (
                      <tr key={isTotal ? "total" : (g.cancerType ?? "none")}>
                        <th scope="row">{isTotal ? t("reports:outcomes.total") : cancerType(g.cancerType)}</th>
                        <td>{count.format(g.delivered)}</td>
                        <td>{t("reports:outcomes.countShare", { value: count.format(g.reported), share: percent(g.responseRate) })}</td>
                        <td>{count.format(g.awaiting)}</td>
                        <td>{t("reports:outcomes.countShare", { value: count.format(g.changedCare), share: percent(g.changedCareShare) })}</td>
                        <td>
                          {t("reports:outcomes.countShare", { value: count.format(g.changedCareDefinitely), share: percent(g.changedCareDefinitelyShare) })}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableScroll>
          )}
        </>
      )}
    </section>
  );
}
