/**
 * The synchronizer token for writes that have no page of their own (uploads, STOW-RS with a cookie, sign-out, the
 * language switch): derived from the session's secret token, so it needs no storage, changes with every sign-in, and
 * a page on another site can neither read nor guess it. Pages get it from the root loader; forms send it as the
 * `csrf` field, scripts as the X-CSRF-Token header.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { readSessionToken } from "./session.server";

import { CSRF_FIELD, CSRF_HEADER } from "./csrf";

export function csrfTokenForSession(sessionToken: string): string {
  return createHash("sha256").update(`csrf\u0000${sessionToken}`).digest("base64url");
}

/** The token for the request's session; null without a session cookie. */
export async function csrfToken(request: Request): Promise<string | null> {
  const sessionToken = await readSessionToken(request.headers.get("cookie"));
  return sessionToken ? csrfTokenForSession(sessionToken) : null;
}

/** True when the request carries its session's token in the header or (when given) the form; false without a session. */
export async function hasValidCsrf(request: Request, form?: FormData): Promise<boolean> {
  const expected = await csrfToken(request);
  const sent = request.headers.get(CSRF_HEADER) ?? form?.get(CSRF_FIELD);
  if (!expected || typeof sent !== "string" || sent.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}

/**
 * Throws a 403 for a cookie-signed-in write without its session's token. Requests with an Authorization header (API and
 * gateway tokens, which browsers never attach on their own) and requests without a session (the route's own sign-in
 * check answers those) pass.
 */
export async function requireCsrf(request: Request, form?: FormData): Promise<void> {
  if (request.headers.get("authorization")) return;
  if (!(await readSessionToken(request.headers.get("cookie")))) return;
  if (await hasValidCsrf(request, form)) return;
  throw Response.json({ error: "common:errors.csrf" }, { status: 403 });
}
