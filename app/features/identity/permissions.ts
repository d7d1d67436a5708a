/**
 * The single source of who may do what. Loaders, actions, socket handlers and
 * file routes all ask `can`; anything not granted here is denied.
 */
import { isRole, type Role } from "./roles";

export type Actor = { id: string; role: Role; institutionId: string | null; active: boolean };

export const PERMISSIONS = {
  /** A treating physician's list of their institution's cases. */
  "cases.viewInstitution": ["TREATING_PHYSICIAN"],
  /** A consultant's queue of cases assigned to them. */
  "cases.viewAssigned": ["CONSULTANT"],
  /** The coordinator's board of every case's status. */
  "cases.viewBoard": ["COORDINATOR"],
  /** Case list metadata (code, status, dates), without clinical content. */
  "cases.viewMetadata": ["ADMIN"],
  "cases.create": ["TREATING_PHYSICIAN"],
  /** The institution's inbox of PACS studies that matched no case. */
  "imaging.inbox": ["TREATING_PHYSICIAN"],
  /** The bilingual glossary; interpreters use it to translate in the board room. */
  "glossary.read": ["TREATING_PHYSICIAN", "CONSULTANT", "COORDINATOR", "INTERPRETER"],
  "glossary.edit": ["COORDINATOR"],
  "accounts.manage": ["ADMIN"],
  "institutions.manage": ["ADMIN"],
  "audit.read": ["ADMIN"],
  /** Board sessions: coordinators see all, invitees theirs (each session's page checks `canViewSession`). */
  "sessions.view": ["TREATING_PHYSICIAN", "CONSULTANT", "COORDINATOR", "INTERPRETER"],
  /** Create, edit and cancel sessions and build their agendas. */
  "sessions.schedule": ["COORDINATOR"],
  /** Search across cases and opinions, each result limited to what the actor may see of that case. */
  "search.use": ["TREATING_PHYSICIAN", "CONSULTANT", "COORDINATOR"],
  /** Turnaround dashboard, outcome report and their CSV exports. */
  "reports.view": ["COORDINATOR"],
  /** The PIPL export ledger: each institution's count of cases readable abroad this year against the thresholds. */
  "compliance.crossBorder": ["COORDINATOR", "ADMIN"],
  /** Live notifications on the user's private socket room. */
  "notifications.receive": ["TREATING_PHYSICIAN", "CONSULTANT", "COORDINATOR", "ADMIN", "INTERPRETER"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  if (!actor || !actor.active) return false;
  // Own keys only: a name such as "toString" is no permission.
  const granted: readonly Role[] | undefined = Object.hasOwn(PERMISSIONS, permission) ? PERMISSIONS[permission] : undefined;
  return granted !== undefined && granted.includes(actor.role);
}

export type NavigationItem = { to: string; labelKey: string; permission: Permission };

const NAVIGATION: NavigationItem[] = [
  { to: "/cases", labelKey: "common:nav.cases", permission: "cases.viewInstitution" },
  { to: "/queue", labelKey: "common:nav.queue", permission: "cases.viewAssigned" },
  { to: "/board", labelKey: "common:nav.board", permission: "cases.viewBoard" },
  { to: "/sessions", labelKey: "common:nav.sessions", permission: "sessions.view" },
  { to: "/inbox", labelKey: "common:nav.inbox", permission: "imaging.inbox" },
  { to: "/search", labelKey: "common:nav.search", permission: "search.use" },
  { to: "/reports", labelKey: "common:nav.reports", permission: "reports.view" },
  { to: "/glossary", labelKey: "common:nav.glossary", permission: "glossary.read" },
  { to: "/cases", labelKey: "common:nav.caseMetadata", permission: "cases.viewMetadata" },
  { to: "/admin", labelKey: "common:nav.accounts", permission: "accounts.manage" },
  { to: "/admin/institutions", labelKey: "common:nav.institutions", permission: "institutions.manage" },
  { to: "/admin/security", labelKey: "common:nav.security", permission: "accounts.manage" },
  { to: "/admin/audit", labelKey: "common:nav.audit", permission: "audit.read" },
  { to: "/compliance/cross-border", labelKey: "common:nav.crossBorder", permission: "compliance.crossBorder" },
];

/** The header navigation an actor may use. */
export function navigationFor(actor: Actor): NavigationItem[] {
  return NAVIGATION.filter((item) => can(actor, item.permission));
}

/** Each role's landing page. */
const HOME: Record<Role, string> = {
  TREATING_PHYSICIAN: "/cases",
  CONSULTANT: "/queue",
  COORDINATOR: "/board",
  ADMIN: "/admin",
  INTERPRETER: "/sessions",
};

/** Where a user lands after sign-in and at "/": their role's own page (the site root for an unknown role). */
export function homeOf(user: { role: string }): string {
  return isRole(user.role) ? HOME[user.role] : "/";
}
