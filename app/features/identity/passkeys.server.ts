/**
 * WebAuthn passkeys, a second factor beside the authenticator app: added from the account's security page once the app is
 * set up (so recovery codes exist) and with its current code, used at sign-in instead of a code. Each ceremony answers the challenge its session was
 * given, once and within CHALLENGE_TTL_MS; the origin and relying party are this installation's (PUBLIC_URL, else the
 * request's own).
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { recordAudit } from "~/features/audit/audit.server";
import { getDb, type Db, isUniqueViolation } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import { safeRedirect } from "~/platform/safe-redirect";
import { completeSignIn, pendingSignIn } from "./login.server";
import { clearLoginFailures, recordLoginFailure, throttleRemainingMs } from "./login-throttle.server";
import { checkSecondFactor } from "./mfa.server";
import { MAX_PASSKEYS, MFA_ISSUER, PASSKEY_NAME_MAX } from "./mfa";
import { homeOf } from "./permissions";

const CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** Signature counters are unsigned 32-bit; the column holds what fits a signed one, which real authenticators never pass. */
const MAX_COUNTER = 2 ** 31 - 1;
const TRANSPORTS = new Set(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);
const knownTransports = (value: unknown) =>
  Array.isArray(value) ? value.filter((t): t is string => typeof t === "string" && TRANSPORTS.has(t)).slice(0, TRANSPORTS.size) : [];

function relyingParty(request: Request) {
  const origin = new URL(env("PUBLIC_URL") ?? request.url).origin;
  return { origin, rpID: new URL(origin).hostname };
}

async function giveChallenge(db: Db, sessionId: string, challenge: string) {
  await db.session.update({ where: { id: sessionId }, data: { passkeyChallenge: challenge, passkeyChallengeAt: new Date() } });
}

/** The session's challenge, taken so it cannot be answered twice; null when there is none or it is too old. */
async function takeChallenge(db: Db, sessionId: string): Promise<string | null> {
  const row = await db.session.findUnique({ where: { id: sessionId }, select: { passkeyChallenge: true, passkeyChallengeAt: true } });
  if (!row?.passkeyChallenge || !row.passkeyChallengeAt) return null;
  const taken = await db.session.updateMany({
    where: { id: sessionId, passkeyChallenge: row.passkeyChallenge },
    data: { passkeyChallenge: null, passkeyChallengeAt: null },
  });
  if (taken.count !== 1 || Date.now() - row.passkeyChallengeAt.getTime() > CHALLENGE_TTL_MS) return null;
  return row.passkeyChallenge;
}

export function listPasskeys(db: Db, userId: string) {
  return db.passkey.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, createdAt: true, lastUsedAt: true } });
}

type Account = { id: string; email: string; displayName: string; role: string };
export type PasskeyRefusal = { ok: false; status: 400 | 403 | 409; errorKey: string };

/** Options for the browser to create a passkey; only with the authenticator app already set up, and at most MAX_PASSKEYS. */
export async function passkeyRegistrationOptions({ request, user, sessionId, db = getDb() }: { request: Request; user: Account; sessionId: string; db?: Db }) {
  const row = await db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: { mfaEnabledAt: true, passkeys: { select: { credentialId: true, transports: true } } },
  });
  if (!sessionId) return { ok: false, status: 403, errorKey: "auth:passkeys.needsSession" } satisfies PasskeyRefusal;
  if (!row.mfaEnabledAt) return { ok: false, status: 409, errorKey: "auth:passkeys.needsApp" } satisfies PasskeyRefusal;
  if (row.passkeys.length >= MAX_PASSKEYS) return { ok: false, status: 409, errorKey: "auth:passkeys.tooMany" } satisfies PasskeyRefusal;
  const options = await generateRegistrationOptions({
    rpName: MFA_ISSUER,
    rpID: relyingParty(request).rpID,
    userName: user.email,
    userDisplayName: user.displayName,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: row.passkeys.map((p) => ({ id: p.credentialId, transports: knownTransports(p.transports.split(",")) })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
  });
  await giveChallenge(db, sessionId, options.challenge);
  return { ok: true as const, options };
}

/**
 * Stores the passkey the browser created, after checking it answers this session's challenge from this origin. The
 * authenticator app's current code is asked for too: a session left open on a shared ward computer must not be enough to
 * give someone else a lasting second factor.
 */
export async function registerPasskey({
  request,
  user,
  sessionId,
  response,
  name,
  code,
  meta,
  db = getDb(),
}: {
  request: Request;
  user: Account;
  sessionId: string;
  response: RegistrationResponseJSON;
  name: string;
  code: string;
  meta: RequestMeta;
  db?: Db;
}): Promise<{ ok: true } | (PasskeyRefusal & { retryAfterSeconds?: number })> {
  const label = name.trim().slice(0, PASSKEY_NAME_MAX);
  if (!label) return { ok: false, status: 400, errorKey: "auth:passkeys.nameRequired" };
  const check = await checkSecondFactor(db, user.id, code.slice(0, 40), meta, "addPasskey");
  if (!check.ok)
    return check.reason === "throttled"
      ? { ok: false, status: 400, errorKey: "auth:errors.throttled", retryAfterSeconds: check.retryAfterSeconds }
      : { ok: false, status: 400, errorKey: "auth:mfa.wrongCode" };
  const refuse = async (errorKey: string, reason: string, status: 400 | 409 = 400): Promise<PasskeyRefusal> => {
    await recordAudit(db, { actor: user, action: "mfa.passkeyAdded", outcome: "failure", entityType: "User", entityId: user.id, details: { reason }, meta });
    return { ok: false, status, errorKey };
  };
  const expectedChallenge = sessionId ? await takeChallenge(db, sessionId) : null;
  if (!expectedChallenge) return refuse("auth:passkeys.expired", "challenge");
  const { origin, rpID } = relyingParty(request);
  const verified = await verifyRegistrationResponse({
    response,
    expectedChallenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: true,
  }).catch(() => null);
  if (!verified?.verified || verified.registrationInfo.credential.counter > MAX_COUNTER) return refuse("auth:passkeys.notVerified", "response");
  const { credential } = verified.registrationInfo;
  const account = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { mfaEnabledAt: true, _count: { select: { passkeys: true } } } });
  if (!account.mfaEnabledAt) return refuse("auth:passkeys.needsApp", "no authenticator app", 409);
  if (account._count.passkeys >= MAX_PASSKEYS) return refuse("auth:passkeys.tooMany", "too many", 409);
  const created = await db.passkey
    .create({
      data: {
        userId: user.id,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString("base64url"),
        counter: credential.counter,
        transports: knownTransports(credential.transports).join(","),
        name: label,
      },
      select: { id: true },
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) return null;
      throw error;
    });
  if (!created) return refuse("auth:passkeys.alreadyAdded", "credential already added", 409);
  await recordAudit(db, {
    actor: user,
    action: "mfa.passkeyAdded",
    outcome: "success",
    entityType: "User",
    entityId: user.id,
    details: { passkeyId: created.id, name: label },
    meta,
  });
  return { ok: true };
}

export async function removePasskey({ user, passkeyId, meta, db = getDb() }: { user: Account; passkeyId: string; meta: RequestMeta; db?: Db }) {
  const removed = await db.passkey.deleteMany({ where: { id: passkeyId, userId: user.id } });
  if (removed.count === 0) return false;
  await recordAudit(db, { actor: user, action: "mfa.passkeyRemoved", outcome: "success", entityType: "User", entityId: user.id, details: { passkeyId }, meta });
  return true;
}

/** Options for a passkey sign-in of the session that owes its second factor: the user's own passkeys only. */
export async function passkeySignInOptions({ request, db = getDb() }: { request: Request; db?: Db }) {
  const pending = await pendingSignIn(request, db);
  if (!pending?.user.mfaEnabledAt) return null;
  const passkeys = await db.passkey.findMany({ where: { userId: pending.user.id }, select: { credentialId: true, transports: true } });
  if (passkeys.length === 0) return null;
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(request).rpID,
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: knownTransports(p.transports.split(",")) })),
    userVerification: "required",
  });
  await giveChallenge(db, pending.sessionId, options.challenge);
  return options;
}

export type PasskeySignIn =
  { ok: true; location: string; setCookie: string } | { ok: false; status: 400 | 401 | 429; errorKey: string; retryAfterSeconds?: number };

/**
 * The passkey's answer settles the second factor: it must be one of the pending user's passkeys, answer the session's
 * challenge, and count up. Failures count toward the same throttle as wrong codes; both outcomes are audited.
 */
export async function signInWithPasskey({
  request,
  response,
  redirectTo,
  meta,
  db = getDb(),
}: {
  request: Request;
  response: AuthenticationResponseJSON;
  redirectTo: unknown;
  meta: RequestMeta;
  db?: Db;
}): Promise<PasskeySignIn> {
  const pending = await pendingSignIn(request, db);
  if (!pending?.user.mfaEnabledAt) return { ok: false, status: 401, errorKey: "auth:passkeys.expired" };
  const subjects = [{ kind: "mfa" as const, value: pending.user.id }];
  const waitMs = await throttleRemainingMs(db, subjects);
  if (waitMs > 0) return { ok: false, status: 429, errorKey: "auth:errors.throttled", retryAfterSeconds: Math.ceil(waitMs / 1000) };
  const actor = { id: pending.user.id, role: pending.user.role };
  const audit = (outcome: "success" | "failure", details: Record<string, unknown>) =>
    recordAudit(db, {
      actor,
      action: "mfa.verify",
      outcome,
      entityType: "User",
      entityId: actor.id,
      details: { purpose: "login", kind: "passkey", ...details },
      meta,
    });
  const expectedChallenge = await takeChallenge(db, pending.sessionId);
  const passkey =
    typeof response?.id === "string" ? await db.passkey.findFirst({ where: { credentialId: response.id.slice(0, 1024), userId: pending.user.id } }) : null;
  const { origin, rpID } = relyingParty(request);
  const verified =
    expectedChallenge && passkey
      ? await verifyAuthenticationResponse({
          response,
          expectedChallenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: true,
          credential: {
            id: passkey.credentialId,
            publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
            counter: passkey.counter,
            transports: knownTransports(passkey.transports.split(",")) as never,
          },
        }).catch(() => null)
      : null;
  // A counter that does not move forward (when the authenticator keeps one) means a cloned key.
  const newCounter = verified?.verified ? verified.authenticationInfo.newCounter : null;
  const moved = newCounter !== null && passkey && newCounter <= MAX_COUNTER && (newCounter > passkey.counter || (newCounter === 0 && passkey.counter === 0));
  if (newCounter === null || !passkey || !moved) {
    const reason = !expectedChallenge ? "challenge" : !passkey ? "not this account's passkey" : newCounter === null ? "response" : "counter";
    await recordLoginFailure(db, subjects);
    await audit("failure", { reason, credentialId: typeof response?.id === "string" ? response.id.slice(0, 200) : null });
    return { ok: false, status: 400, errorKey: expectedChallenge ? "auth:passkeys.notVerified" : "auth:passkeys.expired" };
  }
  await db.passkey.update({ where: { id: passkey.id }, data: { counter: newCounter, lastUsedAt: new Date() } });
  await clearLoginFailures(db, subjects);
  await audit("success", { passkeyId: passkey.id });
  const setCookie = await completeSignIn(db, pending, meta);
  return { ok: true, location: safeRedirect(redirectTo, homeOf(pending.user)), setCookie };
}
