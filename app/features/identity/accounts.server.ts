/**
 * Account administration: the accounts and institutions pages, saving users and
 * institutions with the checks that need the database, the audit trail, and
 * immediate revocation of sessions when an account or institution is disabled;
 * and each user's own language preference.
 */
import { recordAudit } from "~/features/audit/audit.server";
import { AccountFilterSchema, type InstitutionInput, type UserInput } from "~/features/identity/account-schemas";
import { createInstitution, getInstitution, institutionOptions, listInstitutions, updateInstitution } from "~/features/identity/institution-store.server";
import { institutionMismatch, ROLES_BOUND_TO_KIND } from "~/features/identity/institutions";
import { can } from "~/features/identity/permissions";
import { createUser, findUserByEmail, getUserForEdit, listUsers, updateUser } from "~/features/identity/user-store.server";
import type { Locale } from "~/i18n/locales";
import { getDb, type Db } from "~/platform/db.server";
import { parseQuery } from "~/platform/query-params";
import type { RequestMeta } from "~/platform/request-meta.server";
import { notifyLive } from "~/features/notifications/notifications.server";
import { disconnectSessions } from "~/realtime/io.server";
import type { CurrentUser } from "./auth.server";
import { destroyUserSessions } from "./session.server";
import { listApiTokens, revokeTokensOf } from "./api-tokens.server";
import { isWeakPassword } from "./password-strength.server";

type FieldErrors = Record<string, string[]>;
export type SaveResult = { ok: true; id: string } | { ok: false; fieldErrors: FieldErrors };

/** Who administers, and the request facts their audit events record: what every administration step takes. */
type AdminCaller = { user: CurrentUser; meta: RequestMeta; db?: Db };

/** The accounts list, narrowed by the URL's filters (name or email, role, status). */
export async function loadAccountsPage({ user, searchParams, db = getDb() }: { user: CurrentUser; searchParams: URLSearchParams; db?: Db }) {
  const filter = parseQuery(searchParams, AccountFilterSchema);
  const users = await listUsers(db, {
    q: filter.q || undefined,
    role: filter.role,
    active: filter.status === undefined ? undefined : filter.status === "active",
  });
  return { users, timeZone: user.timeZone, filter: { q: filter.q, role: filter.role ?? "", status: filter.status ?? "" } };
}

/** The new-account form: the institutions an account may belong to. */
export async function loadNewUserForm({ db = getDb() }: { db?: Db } = {}) {
  return { institutions: await institutionOptions(db) };
}

/** The account as its edit form shows it, or null when there is none. */
export function findUserForEdit({ userId, db = getDb() }: { userId: string; db?: Db }) {
  return getUserForEdit(db, userId);
}

/** The edit form of an account with the institutions it may belong to and its API tokens, or null when there is no such account. */
export async function loadUserEditor({ userId, db = getDb() }: { userId: string; db?: Db }) {
  const user = await getUserForEdit(db, userId);
  if (!user) return null;
  const secondFactorOn = (await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { mfaEnabledAt: true } })).mfaEnabledAt !== null;
  return { user, institutions: await institutionOptions(db), tokens: await listApiTokens(db, { userId: user.id }), secondFactorOn };
}

/**
 * Revokes one API token of the account (`owner.userId`) or institution (`owner.institutionId`) being edited; audited. A token
 * of anyone else is not found, so a forged id on one page cannot revoke another's token.
 */
export async function revokeApiToken({
  user,
  meta,
  tokenId,
  owner,
  db = getDb(),
}: AdminCaller & { tokenId: string; owner: { userId: string } | { institutionId: string } }): Promise<boolean> {
  const permission = "userId" in owner ? "accounts.manage" : "institutions.manage";
  const where = {
    id: tokenId,
    revokedAt: null,
    ...("userId" in owner ? { userId: owner.userId, scope: "dicomweb" } : { institutionId: owner.institutionId, scope: "gateway" }),
  };
  const revoked = can(user, permission) ? (await db.apiToken.updateMany({ where, data: { revokedAt: new Date() } })).count : 0;
  await recordAudit(db, {
    actor: user,
    action: "apiToken.revoke",
    outcome: revoked ? "success" : "denied",
    entityType: "userId" in owner ? "User" : "Institution",
    entityId: "userId" in owner ? owner.userId : owner.institutionId,
    details: { tokenId },
    meta,
  });
  return revoked > 0;
}

/** Creates an account (`userId` null) or saves one; the users it changes in a way that matters are signed out. */
export async function saveUser({
  user: actor,
  meta,
  userId,
  input,
  db = getDb(),
}: AdminCaller & { userId: string | null; input: UserInput }): Promise<SaveResult> {
  const fieldErrors: FieldErrors = {};
  const institution = input.institutionId ? await getInstitution(db, input.institutionId) : null;
  if (input.institutionId && !institution) fieldErrors.institutionId = ["admin:errors.institutionRequired"];
  const mismatch = institutionMismatch(input.role, institution);
  if (mismatch) fieldErrors.institutionId = [mismatch];
  const sameEmail = await findUserByEmail(db, input.email);
  if (sameEmail && sameEmail.id !== userId) fieldErrors.email = ["admin:errors.emailTaken"];
  // An admin may not take away their own access to this page.
  if (userId === actor.id && !can({ ...actor, role: input.role, active: input.active }, "accounts.manage"))
    fieldErrors.active = ["admin:errors.cannotDemoteSelf"];
  if (!userId && !input.password) fieldErrors.password = ["admin:errors.passwordTooShort"];
  else if (input.password && isWeakPassword(input.password, [input.email, input.displayName])) fieldErrors.password = ["admin:errors.passwordWeak"];
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };

  const before = userId ? await getUserForEdit(db, userId) : null;
  const saved = userId ? (await updateUser(db, userId, input))[1] : await createUser(db, { ...input, password: input.password! });
  const changed = before ? changedFields(before, input) : Object.keys(input).filter((k) => k !== "password");
  if (input.password && before) changed.push("password");

  let revokedSessions = 0;
  let revokedTokens = 0;
  if (before && (!input.active || input.password || before.role !== input.role)) {
    revokedSessions = await endSessionsOf(db, [saved.id]);
    revokedTokens = await revokeTokensOf(db, saved.id);
  } else if (before) {
    notifyLive(saved.id, "accountChanged");
  }
  await recordAudit(db, {
    actor,
    action: before ? "user.update" : "user.create",
    outcome: "success",
    entityType: "User",
    entityId: saved.id,
    details: { email: saved.email, role: saved.role, active: saved.active, changed, revokedSessions, revokedTokens },
    meta,
  });
  return { ok: true, id: saved.id };
}

/** Signs the users out everywhere at once: sessions deleted, their sockets disconnected. */
async function endSessionsOf(db: Db, userIds: string[]): Promise<number> {
  let ended = 0;
  for (const userId of userIds) {
    const sessionIds = await destroyUserSessions(db, userId);
    disconnectSessions(sessionIds);
    ended += sessionIds.length;
  }
  return ended;
}

function changedFields(before: Record<string, unknown>, after: UserInput): string[] {
  return (Object.keys(after) as (keyof UserInput)[]).filter((key) => {
    if (key === "password") return false;
    const old = key === "institutionId" ? (before.institutionId ?? "") : before[key];
    return (
      JSON.stringify(Array.isArray(old) ? [...old].sort() : old) !==
      JSON.stringify(Array.isArray(after[key]) ? [...(after[key] as string[])].sort() : (after[key] ?? ""))
    );
  });
}

/** The institutions page. */
export async function loadInstitutionList({ db = getDb() }: { db?: Db } = {}) {
  return { institutions: await listInstitutions(db) };
}

/** The institution, or null when there is none. */
export function findInstitution({ institutionId, db = getDb() }: { institutionId: string; db?: Db }) {
  return getInstitution(db, institutionId);
}

/** The institution's edit form and its gateway tokens, or null when there is no such institution. */
export async function loadInstitutionEditor({ institutionId, db = getDb() }: { institutionId: string; db?: Db }) {
  const institution = await getInstitution(db, institutionId);
  return institution && { institution, tokens: await listApiTokens(db, { institutionId: institution.id }) };
}

/** Creates an institution (`institutionId` null) or saves one; disabling it signs out all its users. */
export async function saveInstitution({
  user: actor,
  meta,
  institutionId,
  input,
  db = getDb(),
}: AdminCaller & { institutionId: string | null; input: InstitutionInput }): Promise<SaveResult> {
  const before = institutionId ? await getInstitution(db, institutionId) : null;
  if (before && before.kind !== input.kind) {
    const members = await db.user.count({ where: { institutionId: before.id, role: { in: [...ROLES_BOUND_TO_KIND] } } });
    if (members > 0) return { ok: false, fieldErrors: { kind: ["admin:errors.kindHasMembers"] } };
  }
  const saved = institutionId ? await updateInstitution(db, institutionId, input) : await createInstitution(db, input);
  let revokedSessions = 0;
  if (before?.active && !input.active) {
    const members = await db.user.findMany({ where: { institutionId: saved.id }, select: { id: true } });
    revokedSessions = await endSessionsOf(
      db,
      members.map((m) => m.id),
    );
  }
  await recordAudit(db, {
    actor,
    action: before ? "institution.update" : "institution.create",
    outcome: "success",
    entityType: "Institution",
    entityId: saved.id,
    details: {
      nameEn: saved.nameEn,
      kind: saved.kind,
      active: saved.active,
      revokedSessions,
      // The PACS address is the hospital's network configuration, not patient data; recorded so a changed target is traceable.
      pacs: saved.pacsHost ? `${saved.pacsAeTitle}@${saved.pacsHost}:${saved.pacsPort}` : null,
      ...(before &&
      (before.pacsHost !== saved.pacsHost ||
        before.pacsPort !== saved.pacsPort ||
        before.pacsAeTitle !== saved.pacsAeTitle ||
        before.pacsCallingAeTitle !== saved.pacsCallingAeTitle)
        ? { pacsChanged: true }
        : {}),
    },
    meta,
  });
  return { ok: true, id: saved.id };
}

/** The language the user chose in the header, kept as their account's preference. */
export async function savePreferredLocale({ user, locale, db = getDb() }: { user: CurrentUser; locale: Locale; db?: Db }): Promise<void> {
  if (user.preferredLocale === locale) return;
  await db.user.update({ where: { id: user.id }, data: { preferredLocale: locale } });
}
