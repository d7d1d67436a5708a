/** The page header: navigation for the user's role, the user, the language switch, the live indicator. */
import { Form, NavLink, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { NavigationItem } from "~/features/identity/permissions";
import { ROLE_LABEL_KEYS, type Role } from "~/features/identity/roles";
import { CsrfField } from "./csrf-field";
import { LanguageSwitch } from "./language-switch";
import { RealtimeIndicator } from "~/features/notifications/realtime-indicator";

type HeaderUser = {
  displayName: string;
  timeZone: string;
  email: string;
  role: Role;
  home: string;
  institution: { nameEn: string; nameZh: string } | null;
};

export function AppHeader({
  user,
  navigation,
  notifications,
  locale,
}: {
  user: HeaderUser | null;
  navigation: NavigationItem[];
  notifications: { unread: number; asOf: string } | null;
  locale: string;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <header className="app-header">
      <a className="brand" href={user?.home ?? "/"}>
        {t("common:appName")}
      </a>
      {user && (
        <nav aria-label={t("common:nav.label")}>
          <ul className="nav-list">
            {navigation.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === "/admin"}>
                  {t(item.labelKey)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div className="header-tools">
        <LanguageSwitch locale={locale} redirectTo={location.pathname + location.search} />
        {user && (
          <>
            <RealtimeIndicator unread={notifications} timeZone={user.timeZone} />
            <div className="user-badge">
              <span className="user-name">{user.displayName}</span>
              <span className="user-role">
                {t(ROLE_LABEL_KEYS[user.role])}
                {user.institution && ` · ${locale === "zh-CN" ? user.institution.nameZh : user.institution.nameEn}`}
              </span>
              <NavLink to="/account/security" className="user-security">
                {t("auth:mfa.navLink")}
              </NavLink>
            </div>
            <Form method="post" action="/logout">
              <CsrfField />
              <button type="submit" className="button-secondary">
                {t("common:signOut")}
              </button>
            </Form>
          </>
        )}
      </div>
    </header>
  );
}
