/**
 * The page header: navigation for the user's role, the user, the language switch, the live indicator. On narrow
 * screens the navigation, the language switch and the user's part fold behind a menu button (a disclosure, not an
 * ARIA menu: its items are ordinary links and buttons reached with Tab).
 */
import { Form, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent } from "react";
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
  const menu = useHeaderMenu(location.key);
  return (
    <header ref={menu.headerRef} className="app-header" onKeyDown={menu.onKeyDown} onBlur={menu.onBlur}>
      <a className="brand" href={user?.home ?? "/"}>
        {t("common:appName")}
      </a>
      {user && <RealtimeIndicator unread={notifications} timeZone={user.timeZone} />}
      <button
        ref={menu.buttonRef}
        type="button"
        className="menu-button"
        aria-expanded={menu.open}
        aria-controls={menu.panelId}
        onClick={() => menu.setOpen(!menu.open)}
      >
        <span className="menu-icon" aria-hidden="true" />
        {t("common:menu")}
      </button>
      <div ref={menu.panelRef} id={menu.panelId} className="header-menu" data-open={menu.open}>
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
      </div>
    </header>
  );
}

/**
 * The folded menu's state: opening moves focus to its first item; Escape closes it and gives focus back to the
 * button; it closes when focus moves out of the header, on a tap or click outside it, and on every navigation.
 */
function useHeaderMenu(locationKey: string) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const headerRef = useRef<HTMLElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  useEffect(() => setOpen(false), [locationKey]);
  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLElement>("a[href], button")?.focus();
    const closeOutside = (event: PointerEvent) => {
      if (!headerRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", closeOutside);
    return () => document.removeEventListener("pointerdown", closeOutside);
  }, [open]);
  return {
    open,
    setOpen,
    panelId,
    headerRef,
    buttonRef,
    panelRef,
    onKeyDown(event: KeyboardEvent) {
      if (event.key !== "Escape" || !open) return;
      setOpen(false);
      buttonRef.current?.focus();
    },
    onBlur(event: FocusEvent<HTMLElement>) {
      if (open && event.relatedTarget && !event.currentTarget.contains(event.relatedTarget)) setOpen(false);
    },
  };
}
