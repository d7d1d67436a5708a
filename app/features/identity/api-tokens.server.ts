/**
 * API tokens for integrations, created once, stored only as a hash, read from the Authorization header. Each has a scope:
 * a "dicomweb" token acts as its user on the case DICOMweb services; a "gateway" token belongs to one institution's
 * on-premise DICOM gateway and opens only the gateway endpoints. Every token expires.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "~/platform/db.server";
import { sessionUserColumns, sessionUserOfRow, type SessionUser, type SessionUserRow } from "./session.server";
import type { ApiTokenListRow } from "./api-token-list";

const PREFIX = "tbt_";
export const TOKEN_SCOPES = ["dicomweb", "gateway"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export const DEFAULT_TOKEN_DAYS = 365;
export const MAX_TOKEN_DAYS = 730;
const DAY_MS = 86_400_000;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

type TokenOptions = { scope?: TokenScope; institutionId?: string; days?: number };

/** Creates a token for the user (for a gateway: issued by the user, for the institution) and returns it once; only its hash is kept. */
export async function createApiToken(
  db: Db,
  userId: string,
  name: string,
  { scope = "dicomweb", institutionId, days = DEFAULT_TOKEN_DAYS }: TokenOptions = {},
) {
  if ((scope === "gateway") !== Boolean(institutionId)) throw new Error("A gateway token needs an institution, and only a gateway token has one");
  const token = PREFIX + randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + Math.min(Math.max(days, 1), MAX_TOKEN_DAYS) * DAY_MS);
  await db.apiToken.create({ data: { tokenHash: hashToken(token), userId, name, scope, institutionId, expiresAt } });
  return token;
}

export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header && /^Bearer\s+(tbt_[A-Za-z0-9_-]{43})$/.exec(header.trim());
  return match ? match[1] : null;
}

const TOUCH_INTERVAL_MS = 60_000;

type TokenState = { id: string; scope: string; revokedAt: Date | null; expiresAt: Date | null; lastUsedAt: Date | null };

/** Whether the token is live for that scope (not revoked, not expired); lastUsedAt is written at most once a minute, sparing a write per request. */
async function isLive(db: Db, token: TokenState | undefined | null, scope: TokenScope): Promise<boolean> {
  const now = new Date();
  if (!token || token.scope !== scope || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return false;
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return true;
}

/** The user a live DICOMweb token acts as, read with the token in one query (every DICOMweb request asks). */
export async function userForToken(db: Db, token: string): Promise<SessionUser | null> {
  const [row] = await db.$queryRaw<(SessionUserRow & Omit<TokenState, "id"> & { tokenId: string })[]>`
    SELECT t."id" AS "tokenId", t."scope", t."revokedAt", t."expiresAt", t."lastUsedAt", ${sessionUserColumns}
    FROM "ApiToken" t JOIN "User" u ON u."id" = t."userId" LEFT JOIN "Institution" i ON i."id" = u."institutionId"
    WHERE t."tokenHash" = ${hashToken(token)}`;
  return row && (await isLive(db, { ...row, id: row.tokenId }, "dicomweb")) ? sessionUserOfRow(row) : null;
}

export type GatewayCaller = { tokenId: string; name: string; institutionId: string };

/** The gateway a live gateway token belongs to, while its institution is an active treating institution. */
export async function gatewayForToken(db: Db, token: string): Promise<GatewayCaller | null> {
  const found = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, name: true, scope: true, revokedAt: true, expiresAt: true, institutionId: true, lastUsedAt: true },
  });
  if (!(await isLive(db, found, "gateway")) || !found?.institutionId) return null;
  const institution = await db.institution.findUnique({ where: { id: found.institutionId }, select: { active: true, kind: true } });
  if (!institution?.active || institution.kind !== "TREATING") return null;
  return { tokenId: found.id, name: found.name, institutionId: found.institutionId };
}

const tokenRowSelect = { id: true, name: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true } as const;
const iso = (value: Date | null) => value?.toISOString() ?? null;

/** A user's DICOMweb tokens, or an institution's gateway tokens, newest first, as the token list shows them; never the token or its hash. */
export async function listApiTokens(db: Db, owner: { userId: string } | { institutionId: string }): Promise<ApiTokenListRow[]> {
  const where = "userId" in owner ? { userId: owner.userId, scope: "dicomweb" } : { institutionId: owner.institutionId, scope: "gateway" };
  const rows = await db.apiToken.findMany({ where, select: tokenRowSelect, orderBy: { createdAt: "desc" }, take: 200 });
  return rows.map((row) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  }));
}

/** Revokes the user's live DICOMweb tokens (they act as the user: a password change, a new role or disabling ends them); returns how many. */
export async function revokeTokensOf(db: Db, userId: string): Promise<number> {
  return (await db.apiToken.updateMany({ where: { userId, scope: "dicomweb", revokedAt: null }, data: { revokedAt: new Date() } })).count;
}
