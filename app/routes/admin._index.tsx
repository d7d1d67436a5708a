/** /admin: the administrator's list of accounts with filters. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FilterSelect } from "~/ui/filter-select";
import { isRole, ROLE_LABEL_KEYS, ROLES } from "~/features/identity/roles";
import { SPECIALTY_LABEL_KEYS, isSpecialty } from "~/features/identity/specialties";
import { loadAccountsPage } from "~/features/identity/accounts.server";
import { requirePermission } from "~/features/identity/auth.server";
import { formatDateTime } from "~/ui/format";
import { TableScroll } from "~/ui/table-scroll";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, context, "accounts.manage");
  return loadAccountsPage({ user: admin, searchParams: new URL(request.url).searchParams });
}

export default function AccountsPage() {
  const { users, timeZone, filter } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="accounts-title">
      <div className="page-heading">
        <h1 id="accounts-title">{t("admin:users.title")}</h1>
        <Link className="button-primary" to="/admin/users/new">
          {t("admin:users.new")}
        </Link>
      </div>
      <Form method="get" className="filters" aria-label={t("admin:filters")}>
        <div className="field">
          <label htmlFor="q">{t("admin:users.search")}</label>
          <input id="q" name="q" type="search" defaultValue={filter.q} />
        </div>
        <FilterSelect
          name="role"
          label={t("admin:users.role")}
          value={filter.role}
          anyLabel={t("admin:all")}
          options={ROLES.map((role) => ({ value: role, label: t(ROLE_LABEL_KEYS[role]) }))}
        />
        <FilterSelect
          name="status"
          label={t("admin:users.status")}
          value={filter.status}
          anyLabel={t("admin:all")}
          options={[
            { value: "active", label: t("admin:users.statusActive") },
            { value: "disabled", label: t("admin:users.statusDisabled") },
          ]}
        />
        <button type="submit" className="button-secondary">
          {t("admin:applyFilters")}
        </button>
      </Form>
      {users.length === 0 ? (
        <p className="empty-state">{t("admin:users.empty")}</p>
      ) : (
        <TableScroll label={t("admin:users.title")}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("admin:users.displayName")}</th>
                <th scope="col">{t("admin:users.email")}</th>
                <th scope="col">{t("admin:users.role")}</th>
                <th scope="col">{t("admin:users.institution")}</th>
                <th scope="col">{t("admin:users.specialties")}</th>
                <th scope="col">{t("admin:users.status")}</th>
                <th scope="col">{t("admin:users.lastLogin")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("admin:actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id}>
                  <td>{user.displayName}</td>
                  <td>{user.email}</td>
                  <td>{isRole(user.role) ? t(ROLE_LABEL_KEYS[user.role]) : user.role}</td>
                  <td>{user.institution ? (i18n.language === "zh-CN" ? user.institution.nameZh : user.institution.nameEn) : "—"}</td>
                  <td>{user.specialties.map((s) => (isSpecialty(s.specialty) ? t(SPECIALTY_LABEL_KEYS[s.specialty]) : s.specialty)).join(", ") || "—"}</td>
                  <td>{user.active ? t("admin:users.statusActive") : t("admin:users.statusDisabled")}</td>
                  <td>{user.lastLoginAt ? formatDateTime(user.lastLoginAt, i18n.language, timeZone) : t("admin:users.never")}</td>
                  <td>
                    <Link to={`/admin/users/${user.id}`} aria-label={t("admin:users.editNamed", { name: user.displayName })}>
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
