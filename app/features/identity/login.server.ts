/** Signing in (under the throttle) and signing out, each audited. */
import { recordAudit } from "~/features/audit/audit.server";
import { recordRefusal } from "~/features/audit/audit-refusals.server";
import { getDb, type Db } from "~/platform/db.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import { disconnectSessions } from "~/realtime/io.server";
import type { CurrentUser } from "./auth.server";
import { clearLoginFailures, recordLoginFailure, throttleRemainingMs } from "./login-throttle.server";
import { verifyAgainstDecoy, verifyPassword } from "./password.server";
import { createSession, destroySession, loadSession, readSessionToken } from "./session.server";
import { secondFactorStep, type SecondFactorStep } from "./mfa";
import { mfaPolicy } from "./mfa.server";
import type { Role } from "./roles";

export type LoginResult =
  | { ok: true; user: { id: string; role: string; preferredLocale: string }; setCookie: string; secondFactor: SecondFactorStep }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks the credentials under the throttle. The answer for a wrong password,
 * an unknown email and a disabled account is the same, so it never says
 * whether an address has an account.
 */
export async function attemptLogin({
  email: typed,
  password,
  meta,
  db = getDb(),
}: {
  email: string;
  password: string;
  meta: RequestMeta;
  db?: Db;
}): Promise<LoginResult> {
  const email = typed.trim().toLowerCase();
  const subjects = [{ kind: "email" as const, value: email }, ...(meta.ip ? [{ kind: "ip" as const, value: meta.ip }] : [])];
  const lockedMs = await throttleRemainingMs(db, subjects);
  if (lockedMs > 0) {
    await recordRefusal(db, { actor: null, action: "auth.login", outcome: "denied", details: { email, reason: "throttled" }, meta });
    return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(lockedMs / 1000) };
  }

  const user = await db.user.findUnique({ where: { email }, include: { institution: { select: { active: true } } } });
  const passwordOk = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDecoy(password);
  const accountUsable = user?.active === true && user.institution?.active !== false;
  if (!user || !passwordOk || !accountUsable) {
    await recordLoginFailure(db, subjects);
    const reason = !user ? "unknownEmail" : !passwordOk ? "wrongPassword" : "accountDisabled";
    await recordAudit(db, {
      actor: user ? { id: user.id, role: user.role } : null,
      action: "auth.login",
      outcome: "failure",
      entityType: user ? "User" : null,
      entityId: user?.id ?? null,
      details: { email, reason },
      meta,
    });
    return { ok: false, reason: "invalid" };
  }

  await clearLoginFailures(db, [{ kind: "email", value: email }, ...(meta.ip ? [{ kind: "ip" as const, value: meta.ip }] : [])]);
  // A right password alone opens nothing while a second factor is owed: the session waits for it.
  const secondFactor = secondFactorStep(user, (await mfaPolicy(db))[user.role as Role] ?? true);
  const account = { id: user.id, role: user.role, preferredLocale: user.preferredLocale };
  if (secondFactor === "none") return { ok: true, user: account, setCookie: await openSession(db, account, meta, {}), secondFactor };
  const { setCookie } = await createSession(db, user.id, meta, { mfaPending: true });
  await recordAudit(db, {
    actor: account,
    action: "auth.password",
    outcome: "success",
    entityType: "User",
    entityId: user.id,
    details: { secondFactor },
    meta,
  });
  return { ok: true, user: account, setCookie, secondFactor };
}

/** A full session for a user who has shown all they owe, and the sign-in audited. */
async function openSession(db: Db, user: { id: string; role: string }, meta: RequestMeta, details: Record<string, unknown>): Promise<string> {
  const { sessionId, setCookie } = await createSession(db, user.id, meta);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAudit(db, {
    actor: { id: user.id, role: user.role },
    action: "auth.login",
    outcome: "success",
    entityType: "User",
    entityId: user.id,
    details: { sessionId: sessionId.slice(0, 12), ...details },
    meta,
  });
  return setCookie;
}

/** The session still owing its second factor, from the request's cookie; null when there is none. */
export async function pendingSignIn(request: Request, db: Db = getDb()) {
  const token = await readSessionToken(request.headers.get("cookie"));
  const loaded = token ? await loadSession(db, token, new Date(), { pending: true }) : null;
  if (!loaded) return null;
  const user = await db.user.findUniqueOrThrow({ where: { id: loaded.user.id }, select: { id: true, email: true, role: true, mfaEnabledAt: true } });
  return { sessionId: loaded.sessionId, user };
}

/** The second factor is settled: the waiting session is replaced by a full one (a new token), and the sign-in audited. */
export async function completeSignIn(db: Db, pending: { sessionId: string; user: { id: string; role: string } }, meta: RequestMeta) {
  await destroySession(db, pending.sessionId);
  return openSession(db, pending.user, meta, { secondFactor: true });
}

/** Ends the session on the server at once (its sockets too) and audits the sign-out. */
export async function signOut({ user, sessionId, meta, db = getDb() }: { user: CurrentUser; sessionId: string; meta: RequestMeta; db?: Db }): Promise<void> {
  await destroySession(db, sessionId);
  disconnectSessions([sessionId]);
  await recordAudit(db, { actor: user, action: "auth.logout", outcome: "success", entityType: "User", entityId: user.id, meta });
}

/** Whether demo accounts that sign in without a second factor exist here (the login page then says so). */
export async function demoAccountsWithoutSecondFactor(db: Db = getDb()): Promise<boolean> {
  return (await db.user.count({ where: { mfaExempt: true, active: true } })) > 0;
}
