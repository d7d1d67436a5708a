/** The steps between a right password and a session: the code (or a recovery code), or enrolment first. */
import { redirect } from "@remix-run/node";
import { getDb, type Db } from "~/platform/db.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import { safeRedirect } from "~/platform/safe-redirect";
import { completeSignIn, pendingSignIn } from "./login.server";
import { checkSecondFactor, confirmEnrolment, pendingEnrolment, recoveryCodesLeft } from "./mfa.server";
import { listPasskeys } from "./passkeys.server";
import { homeOf } from "./permissions";

type Step = { request: Request; meta: RequestMeta; db?: Db };

async function requirePending(request: Request, db: Db, wants: "verify" | "enrol") {
  const pending = await pendingSignIn(request, db);
  const back = new URL(request.url).searchParams.get("redirectTo");
  const query = back ? `?${new URLSearchParams({ redirectTo: back })}` : "";
  if (!pending) throw redirect(`/login${query}`);
  const enrolled = pending.user.mfaEnabledAt !== null;
  if (wants === "verify" && !enrolled) throw redirect(`/login/enrol${query}`);
  if (wants === "enrol" && enrolled) throw redirect(`/login/verify${query}`);
  return pending;
}

export async function loadVerifyPage({ request, db = getDb() }: Omit<Step, "meta">) {
  const pending = await requirePending(request, db, "verify");
  return { hasPasskeys: (await db.passkey.count({ where: { userId: pending.user.id } })) > 0 };
}

export type VerifyOutcome = { ok: true; location: string; setCookie: string } | { ok: false; formError: string; retryAfterSeconds: number | null };

export async function submitSecondFactor({
  request,
  meta,
  code,
  redirectTo,
  db = getDb(),
}: Step & { code: string; redirectTo: unknown }): Promise<VerifyOutcome> {
  const pending = await requirePending(request, db, "verify");
  const check = await checkSecondFactor(db, pending.user.id, code, meta, "login");
  if (!check.ok)
    return check.reason === "throttled"
      ? { ok: false, formError: "auth:errors.throttled", retryAfterSeconds: check.retryAfterSeconds ?? 60 }
      : { ok: false, formError: "auth:mfa.wrongCode", retryAfterSeconds: null };
  const setCookie = await completeSignIn(db, pending, meta);
  return { ok: true, location: safeRedirect(redirectTo, homeOf(pending.user)), setCookie };
}

export async function loadEnrolPage({ request, db = getDb() }: Omit<Step, "meta">) {
  const pending = await requirePending(request, db, "enrol");
  const { secret, uri } = await pendingEnrolment(db, pending.user);
  return { secret, uri, email: pending.user.email };
}

export type EnrolOutcome = { ok: true; codes: string[]; next: string; setCookie: string } | { ok: false; formError: string };

/** A right code confirms enrolment, signs in and gives the recovery codes, shown this once. */
export async function submitEnrolment({ request, meta, code, redirectTo, db = getDb() }: Step & { code: string; redirectTo: unknown }): Promise<EnrolOutcome> {
  const pending = await requirePending(request, db, "enrol");
  const codes = await confirmEnrolment(db, pending.user.id, code.trim(), meta);
  if (!codes) return { ok: false, formError: "auth:mfa.wrongCode" };
  const setCookie = await completeSignIn(db, pending, meta);
  return { ok: true, codes, next: safeRedirect(redirectTo, homeOf(pending.user)), setCookie };
}

/** The account's own security page: whether a second factor is set up, how many recovery codes are left, or the key to set one up. */
export async function loadAccountSecurity({ user, db = getDb() }: { user: { id: string; email: string }; db?: Db }) {
  const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { mfaEnabledAt: true } });
  if (row.mfaEnabledAt)
    return { enabledAt: row.mfaEnabledAt, codesLeft: await recoveryCodesLeft(db, user.id), setup: null, passkeys: await listPasskeys(db, user.id) };
  return { enabledAt: null, codesLeft: 0, setup: await pendingEnrolment(db, user), passkeys: [] };
}

/** A signed-in user sets up a second factor of their own accord; the recovery codes come back once. */
export async function enrolFromAccount({ user, code, meta, db = getDb() }: { user: { id: string }; code: string; meta: RequestMeta; db?: Db }) {
  const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { mfaEnabledAt: true } });
  if (row.mfaEnabledAt) return { ok: false as const, formError: "auth:mfa.alreadyEnabled" };
  const codes = await confirmEnrolment(db, user.id, code.trim(), meta);
  return codes ? { ok: true as const, codes } : { ok: false as const, formError: "auth:mfa.wrongCode" };
}
