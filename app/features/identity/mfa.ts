/**
 * The second factor's rules: TOTP (RFC 6238) with one-time recovery codes. MLPS 2.0 level 3 asks for two factors for
 * systems holding health data: by default consultants, coordinators, administrators and interpreters must use one and
 * treating physicians may; an administrator changes this per role. Demo accounts are exempt, and the login page says so.
 */
import type { Role } from "./roles";

export const MFA_REQUIRED_BY_DEFAULT: Record<Role, boolean> = {
  TREATING_PHYSICIAN: false,
  CONSULTANT: true,
  COORDINATOR: true,
  ADMIN: true,
  INTERPRETER: true,
};
export const RECOVERY_CODE_COUNT = 10;
export const MFA_ISSUER = "Tumor Board";

export type SecondFactorStep = "none" | "verify" | "enrol";

/** What a user owes after a right password: nothing, a code, or enrolment first. */
export function secondFactorStep(user: { mfaEnabledAt: Date | string | null; mfaExempt: boolean }, required: boolean): SecondFactorStep {
  if (user.mfaEnabledAt) return "verify";
  return required && !user.mfaExempt ? "enrol" : "none";
}

export const isTotpCode = (code: string) => /^\d{6}$/.test(code);

/** Recovery codes are read aloud and typed by hand: case, spaces and dashes do not matter. */
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "");
}

/** Ten characters from an alphabet without 0/O and 1/I, shown as XXXXX-XXXXX. */
const RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export function formatRecoveryCode(bytes: Uint8Array): string {
  const chars = [...bytes.subarray(0, 10)].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Passkeys stand in for the app's code at sign-in; they are added once the app is set up, so recovery codes exist. */
export const MAX_PASSKEYS = 10;
export const PASSKEY_NAME_MAX = 60;
