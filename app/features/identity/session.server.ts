/** Server-side sessions: the cookie holds a random token, the database its hash; loading, ending and refreshing them. */
import { createHash, randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { SESSION_ABSOLUTE_TIMEOUT_MS, sessionExpiry, sessionStatus, shouldTouchSession } from "~/features/identity/session-policy";
import type { Db } from "~/platform/db.server";
import { Prisma } from "~/generated/sqlite/client";
import { env } from "~/platform/env.server";
import type { RequestMeta } from "~/platform/request-meta.server";

export const SESSION_COOKIE_NAME = "tb_session";

export const sessionCookie = createCookie(SESSION_COOKIE_NAME, {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  secure: env("NODE_ENV") === "production",
  maxAge: SESSION_ABSOLUTE_TIMEOUT_MS / 1000,
});

/** Sessions are stored under the hash of the cookie token. */
export function sessionIdFromToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function readSessionToken(cookieHeader: string | null | undefined): Promise<string | null> {
  const value: unknown = await sessionCookie.parse(cookieHeader ?? null);
  return typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
}

/** A fresh token every sign-in, so a session id planted before login is useless. */
export async function createSession(
  db: Db,
  userId: string,
  meta: RequestMeta,
  { mfaPending = false }: { mfaPending?: boolean } = {},
): Promise<{ sessionId: string; setCookie: string }> {
  const token = randomBytes(32).toString("base64url");
  const now = new Date();
  const sessionId = sessionIdFromToken(token);
  const expiresAt = mfaPending ? new Date(now.getTime() + MFA_PENDING_TIMEOUT_MS) : sessionExpiry(now);
  await db.session.create({
    data: { id: sessionId, userId, createdAt: now, lastSeenAt: now, expiresAt, ip: meta.ip, userAgent: meta.userAgent, mfaPending },
  });
  return { sessionId, setCookie: await sessionCookie.serialize(token) };
}

/** Between a right password and the second factor: ten minutes. */
const MFA_PENDING_TIMEOUT_MS = 10 * 60 * 1000;

export const sessionUserSelect = {
  id: true,
  email: true,
  displayName: true,
  role: true,
  institutionId: true,
  preferredLocale: true,
  timeZone: true,
  active: true,
  institution: { select: { id: true, nameEn: true, nameZh: true, kind: true, timeZone: true, active: true } },
} as const;

/** The columns of `sessionUserSelect` for a raw query that reads the user (`u`) and its institution (`i`) next to another row. */
export const sessionUserColumns = Prisma.sql`u."id", u."email", u."displayName", u."role", u."institutionId", u."preferredLocale", u."timeZone", u."active",
  i."nameEn" AS "institutionNameEn", i."nameZh" AS "institutionNameZh", i."kind" AS "institutionKind",
  i."timeZone" AS "institutionTimeZone", i."active" AS "institutionActive"`;

export type SessionUserRow = Omit<SessionUser, "institution"> & {
  institutionNameEn: string | null;
  institutionNameZh: string | null;
  institutionKind: string | null;
  institutionTimeZone: string | null;
  institutionActive: boolean | null;
};

/** The user as `sessionUserSelect` gives it, from a row read with `sessionUserColumns`. */
export function sessionUserOfRow(row: SessionUserRow): SessionUser {
  const { institutionNameEn, institutionNameZh, institutionKind, institutionTimeZone, institutionActive } = row;
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    institutionId: row.institutionId,
    preferredLocale: row.preferredLocale,
    timeZone: row.timeZone,
    active: row.active,
    institution:
      row.institutionId === null
        ? null
        : {
            id: row.institutionId,
            nameEn: institutionNameEn!,
            nameZh: institutionNameZh!,
            kind: institutionKind!,
            timeZone: institutionTimeZone!,
            active: institutionActive!,
          },
  };
}

/**
 * Returns the live session and its user, ending it when it is idle, expired or its user is disabled. A session still
 * owing its second factor is no session at all, except to the second-factor pages (`pending`).
 */
export async function loadSession(db: Db, token: string, now = new Date(), { pending = false }: { pending?: boolean } = {}) {
  const sessionId = sessionIdFromToken(token);
  const session = await db.session.findUnique({ where: { id: sessionId }, include: { user: { select: sessionUserSelect } } });
  if (!session || session.mfaPending !== pending) return null;
  if (sessionStatus(session, now) !== "active" || !session.user.active || session.user.institution?.active === false) {
    await db.session.deleteMany({ where: { id: sessionId } });
    return null;
  }
  if (shouldTouchSession(session, now)) {
    await db.session.updateMany({ where: { id: sessionId }, data: { lastSeenAt: now } });
  }
  return { sessionId, user: session.user };
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof loadSession>>>["user"];

export async function destroySession(db: Db, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}

export async function destroyUserSessions(db: Db, userId: string): Promise<string[]> {
  const sessions = await db.session.findMany({ where: { userId }, select: { id: true } });
  await db.session.deleteMany({ where: { userId } });
  return sessions.map((s) => s.id);
}

export function clearSessionCookie(): Promise<string> {
  return sessionCookie.serialize("", { maxAge: 0 });
}
