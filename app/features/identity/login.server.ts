/** Signing in (under the throttle) and signing out, each audited. */
import { recordAudit } from "~/features/audit/audit.server";
import { recordRefusal } from "~/features/audit/audit-refusals.server";
import { getDb, type Db } from "~/platform/db.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import { disconnectSessions } from "~/realtime/io.server";
import type { CurrentUser } from "./auth.server";
import { clearLoginFailures, recordLoginFailure, throttleRemainingMs } from "./login-throttle.server";
import { verifyAgainstDecoy, verifyPassword } from "./password.server";
import { createSession, destroySession } from "./session.server";

export type LoginResult =
  | { ok: true; user: { id: string; role: string; preferredLocale: string }; setCookie: string }
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
  const { sessionId, setCookie } = await createSession(db, user.id, meta);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAudit(db, {
    actor: { id: user.id, role: user.role },
    action: "auth.login",
    outcome: "success",
    entityType: "User",
    entityId: user.id,
    details: { sessionId: sessionId.slice(0, 12) },
    meta,
  });
  return { ok: true, user: { id: user.id, role: user.role, preferredLocale: user.preferredLocale }, setCookie };
}

/** Ends the session on the server at once (its sockets too) and audits the sign-out. */
export async function signOut({ user, sessionId, meta, db = getDb() }: { user: CurrentUser; sessionId: string; meta: RequestMeta; db?: Db }): Promise<void> {
  await destroySession(db, sessionId);
  disconnectSessions([sessionId]);
  await recordAudit(db, { actor: user, action: "auth.logout", outcome: "success", entityType: "User", entityId: user.id, meta });
}
