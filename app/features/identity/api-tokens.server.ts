/** API tokens for integrations (DICOMweb): created once, stored only as a hash, read from the Authorization header. */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "~/platform/db.server";

const PREFIX = "tbt_";
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Creates a token for the user and returns it once; only its hash is kept. */
export async function createApiToken(db: Db, userId: string, name: string): Promise<string> {
  const token = PREFIX + randomBytes(32).toString("base64url");
  await db.apiToken.create({ data: { tokenHash: hashToken(token), userId, name } });
  return token;
}

export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header && /^Bearer\s+(tbt_[A-Za-z0-9_-]{43})$/.exec(header.trim());
  return match ? match[1] : null;
}

const TOUCH_INTERVAL_MS = 60_000;

/** The token's user, if the token is live. lastUsedAt is written at most once a minute, sparing a write per request. */
export async function userForToken(db: Db, token: string) {
  const found = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, select: { id: true, revokedAt: true, userId: true, lastUsedAt: true } });
  if (!found || found.revokedAt) return null;
  const now = new Date();
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    await db.apiToken.update({ where: { id: found.id }, data: { lastUsedAt: now } });
  }
  return found.userId;
}
