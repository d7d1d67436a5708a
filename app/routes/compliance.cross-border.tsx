/** /compliance/cross-border: the PIPL export ledger for coordinators and administrators. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CROSS_BORDER_BASIS_LABEL_KEYS, type CrossBorderBasis } from "~/features/compliance/cross-border";
import { loadCrossBorderLedger } from "~/features/compliance/cross-border.server";
import { requirePermission } from "~/features/identity/auth.server";
import { can } from "~/features/identity/permissions";
import { formatDate, formatNumber } from "~/ui/format";
import { TableScroll } from "~/ui/table-scroll";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "compliance.crossBorder");
  const ledger = await loadCrossBorderLedger({ yearParam: new URL(request.url).searchParams.get("year") });
  return { ...ledger, mayEditInstitutions: can(user, "institutions.manage") };
}

export default function CrossBorderLedgerPage() {
  const { year, thisYear, threshold, warningPercent, rows, mayEditInstitutions } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const years = Array.from({ length: Math.min(6, thisYear - 2019) }, (_, i) => thisYear - i);
  return (
    <section aria-labelledby="ledger-title" className="stack">
      <h1 id="ledger-title">{t("admin:crossBorder.title")}</h1>
      <p>{t("admin:crossBorder.intro", { threshold: formatNumber(threshold, i18n.language), warning: warningPercent })}</p>
      <Form method="get" className="filters">
        <label htmlFor="ledger-year">{t("admin:crossBorder.year")}</label>
        <select id="ledger-year" name="year" defaultValue={year}>
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
        <button type="submit">{t("admin:crossBorder.show")}</button>
      </Form>
      <TableScroll label={t("admin:crossBorder.title")}>
        <table className="data-table">
          <caption className="visually-hidden">{t("admin:crossBorder.caption", { year })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("admin:crossBorder.institution")}</th>
              <th scope="col">{t("admin:crossBorder.basis")}</th>
              <th scope="col">{t("admin:crossBorder.count")}</th>
              <th scope="col">{t("admin:crossBorder.status")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.institutionId} data-level={row.level}>
                <th scope="row">
                  {mayEditInstitutions ? (
                    <Link to={`/admin/institutions/${row.institutionId}`}>{i18n.language === "zh-CN" ? row.nameZh : row.nameEn}</Link>
                  ) : i18n.language === "zh-CN" ? (
                    row.nameZh
                  ) : (
                    row.nameEn
                  )}
                </th>
                <td>
                  {row.basis ? (
                    <>
                      {t(CROSS_BORDER_BASIS_LABEL_KEYS[row.basis as CrossBorderBasis])}
                      <br />
                      <span className="muted">
                        {row.reference}
                        {row.basisDate ? `, ${formatDate(row.basisDate, i18n.language, "Asia/Shanghai")}` : ""}
                      </span>
                    </>
                  ) : (
                    <strong>{t("admin:crossBorder.noBasis")}</strong>
                  )}
                </td>
                <td>{t("admin:crossBorder.countOf", { formatted: formatNumber(row.count, i18n.language), percent: row.percent })}</td>
                <td>
                  {row.level === "ok" ? (
                    t("admin:crossBorder.levels.ok")
                  ) : (
                    <strong role="status">{t(row.level === "warning" ? "admin:crossBorder.levels.warning" : "admin:crossBorder.levels.overThreshold")}</strong>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
