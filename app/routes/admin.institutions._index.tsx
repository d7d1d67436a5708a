/** /admin/institutions: the administrator's list of institutions. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { INSTITUTION_KIND_LABEL_KEYS, type InstitutionKind } from "~/features/identity/institutions";
import { loadInstitutionList } from "~/features/identity/accounts.server";
import { requirePermission } from "~/features/identity/auth.server";
import { TableScroll } from "~/ui/table-scroll";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "institutions.manage");
  return loadInstitutionList();
}

export default function InstitutionsPage() {
  const { institutions } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="institutions-title">
      <div className="page-heading">
        <h1 id="institutions-title">{t("admin:institutions.title")}</h1>
        <Link className="button-primary" to="/admin/institutions/new">
          {t("admin:institutions.new")}
        </Link>
      </div>
      {institutions.length === 0 ? (
        <p className="empty-state">{t("admin:institutions.empty")}</p>
      ) : (
        <TableScroll label={t("admin:institutions.title")}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("admin:institutions.nameEn")}</th>
                <th scope="col">{t("admin:institutions.nameZh")}</th>
                <th scope="col">{t("admin:institutions.kind")}</th>
                <th scope="col">{t("admin:institutions.country")}</th>
                <th scope="col">{t("admin:institutions.timeZone")}</th>
                <th scope="col">{t("admin:institutions.accounts")}</th>
                <th scope="col">{t("admin:users.status")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("admin:actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {institutions.map((institution) => (
                <tr key={institution.id}>
                  <td lang="en">{institution.nameEn}</td>
                  <td lang="zh-CN">{institution.nameZh}</td>
                  <td>{t(INSTITUTION_KIND_LABEL_KEYS[institution.kind as InstitutionKind])}</td>
                  <td>{institution.country}</td>
                  <td>{institution.timeZone}</td>
                  <td>{institution._count.users}</td>
                  <td>{institution.active ? t("admin:users.statusActive") : t("admin:users.statusDisabled")}</td>
                  <td>
                    <Link to={`/admin/institutions/${institution.id}`} aria-label={t("admin:institutions.editNamed", { name: institution.nameEn })}>
                      {t("admin:edit")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
