/** The second factor's storage and checks: TOTP secrets encrypted at rest, one-time recovery codes, the per-role policy. */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { generateSecret, generateURI, verifySync } from "otplib";
import { recordAudit } from "~/features/audit/audit.server";
import { getDb, type Db } from "~/platform/db.server";
import { installationSecret } from "~/platform/installation-secrets.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import { clearLoginFailures, recordLoginFailure, throttleRemainingMs } from "./login-throttle.server";
import { formatRecoveryCode, isTotpCode, MFA_ISSUER, MFA_REQUIRED_BY_DEFAULT, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from "./mfa";
import { can, type Actor } from "./permissions";
import { destroyUserSessions } from "./session.server";
import { disconnectSessions } from "~/realtime/io.server";
import { ROLES, type Role } from "./roles";

/** A code is accepted from the step before or after the current one (clocks drift), never twice. */
const TOLERANCE_SECONDS = 30;

async function key(db: Db): Promise<Buffer> {
  return Buffer.from(await installationSecret(db, "mfa-secret-key"), "hex");
}

async function encrypt(db: Db, secret: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", await key(db), iv);
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), sealed.toString("base64")].join(":");
}

async function decrypt(db: Db, stored: string): Promise<string> {
  const [version, iv, tag, sealed] = stored.split(":");
  if (version !== "v1") throw new Error("unknown second-factor secret format");
  const decipher = createDecipheriv("aes-256-gcm", await key(db), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(sealed, "base64")), decipher.final()]).toString("utf8");
}

/** The time step a TOTP code belongs to, or null when it is wrong. */
function totpStep(secret: string, code: string): number | null {
  const result = verifySync({ secret, token: code, epochTolerance: TOLERANCE_SECONDS });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

const hashRecoveryCode = (code: string) => createHash("sha256").update(normalizeRecoveryCode(code)).digest("hex");

export async function mfaPolicy(db: Db = getDb()): Promise<Record<Role, boolean>> {
  const rows = await db.mfaPolicy.findMany();
  return Object.fromEntries(ROLES.map((role) => [role, rows.find((r) => r.role === role)?.required ?? MFA_REQUIRED_BY_DEFAULT[role]])) as Record<Role, boolean>;
}

export async function saveMfaPolicy({ user, meta, policy, db = getDb() }: { user: Actor; meta: RequestMeta; policy: Record<Role, boolean>; db?: Db }) {
  if (!can(user, "accounts.manage")) return { ok: false as const };
  for (const role of ROLES) await db.mfaPolicy.upsert({ where: { role }, create: { role, required: policy[role] }, update: { required: policy[role] } });
  await recordAudit(db, { actor: user, action: "mfa.policy", outcome: "success", details: policy, meta });
  return { ok: true as const };
}

/** A new secret for the user (replacing an unconfirmed one), and the otpauth:// URI authenticator apps read. */
export async function beginEnrolment(db: Db, user: { id: string; email: string }) {
  const secret = generateSecret();
  await db.user.update({ where: { id: user.id }, data: { mfaSecret: await encrypt(db, secret), mfaEnabledAt: null, mfaLastStep: null } });
  return { secret, uri: generateURI({ issuer: MFA_ISSUER, label: user.email, secret }) };
}

/** The secret being enrolled, for showing it again (the page is reloaded, the language changed). */
export async function pendingEnrolment(db: Db, user: { id: string; email: string }) {
  const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { mfaSecret: true, mfaEnabledAt: true } });
  if (!row.mfaSecret || row.mfaEnabledAt) return beginEnrolment(db, user);
  const secret = await decrypt(db, row.mfaSecret);
  return { secret, uri: generateURI({ issuer: MFA_ISSUER, label: user.email, secret }) };
}

/** Confirms enrolment with a code from the app; returns the recovery codes (shown once), or null for a wrong code. */
export async function confirmEnrolment(db: Db, userId: string, code: string, meta: RequestMeta): Promise<string[] | null> {
  const row = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { mfaSecret: true, role: true } });
  if (!row.mfaSecret || !isTotpCode(code)) return null;
  const step = totpStep(await decrypt(db, row.mfaSecret), code);
  if (step === null) return null;
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => formatRecoveryCode(randomBytes(10)));
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { mfaEnabledAt: new Date(), mfaLastStep: step } }),
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) }),
  ]);
  await recordAudit(db, { actor: { id: userId, role: row.role }, action: "mfa.enrol", outcome: "success", entityType: "User", entityId: userId, meta });
  return codes;
}

export type SecondFactorCheck = { ok: true; kind: "totp" | "recovery" } | { ok: false; reason: "wrong" | "throttled"; retryAfterSeconds?: number };

/** Checks a TOTP code (each time step once) or an unused recovery code (used up by this); throttled per user; audited. */
export async function checkSecondFactor(
  db: Db,
  userId: string,
  typed: string,
  meta: RequestMeta,
  purpose: "login" | "sign" | "addPasskey",
): Promise<SecondFactorCheck> {
  const subjects = [{ kind: "mfa" as const, value: userId }];
  const waitMs = await throttleRemainingMs(db, subjects);
  if (waitMs > 0) return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(waitMs / 1000) };
  const row = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { mfaSecret: true, mfaEnabledAt: true, mfaLastStep: true, role: true } });
  const code = typed.trim();
  let kind: "totp" | "recovery" | null = null;
  if (row.mfaSecret && row.mfaEnabledAt && isTotpCode(code)) {
    const step = totpStep(await decrypt(db, row.mfaSecret), code);
    if (step !== null && step > (row.mfaLastStep ?? -1)) {
      const claimed = await db.user.updateMany({
        where: { id: userId, OR: [{ mfaLastStep: null }, { mfaLastStep: { lt: step } }] },
        data: { mfaLastStep: step },
      });
      if (claimed.count === 1) kind = "totp";
    }
  } else if (row.mfaEnabledAt && code.length > 0 && code.length <= 20) {
    const used = await db.recoveryCode.updateMany({ where: { userId, codeHash: hashRecoveryCode(code), usedAt: null }, data: { usedAt: new Date() } });
    if (used.count === 1) kind = "recovery";
  }
  const actor = { id: userId, role: row.role };
  if (!kind) {
    await recordLoginFailure(db, subjects);
    await recordAudit(db, { actor, action: "mfa.verify", outcome: "failure", entityType: "User", entityId: userId, details: { purpose }, meta });
    return { ok: false, reason: "wrong" };
  }
  await clearLoginFailures(db, subjects);
  await recordAudit(db, { actor, action: "mfa.verify", outcome: "success", entityType: "User", entityId: userId, details: { purpose, kind }, meta });
  return { ok: true, kind };
}

/** Recovery codes the user has left. */
export function recoveryCodesLeft(db: Db, userId: string): Promise<number> {
  return db.recoveryCode.count({ where: { userId, usedAt: null } });
}

/** An administrator clears a user's second factor (a lost phone and lost codes; passkeys go too): the user's sessions end, and a role that requires one sets it up again at the next sign-in. */
export async function resetSecondFactor({ user, meta, userId, db = getDb() }: { user: Actor; meta: RequestMeta; userId: string; db?: Db }): Promise<boolean> {
  if (!can(user, "accounts.manage")) return false;
  // The sessions end first, so none of them can add a factor between the clearing and the end.
  const ended = await destroyUserSessions(db, userId);
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { mfaSecret: null, mfaEnabledAt: null, mfaLastStep: null } }),
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.passkey.deleteMany({ where: { userId } }),
  ]);
  disconnectSessions(ended);
  await recordAudit(db, {
    actor: user,
    action: "mfa.reset",
    outcome: "success",
    entityType: "User",
    entityId: userId,
    details: { endedSessions: ended.length },
    meta,
  });
  return true;
}
