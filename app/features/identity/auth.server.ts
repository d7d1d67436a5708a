/** Who is signed in (session cookie or API token), and the gates that refuse everyone else with an audited answer. */
import { redirect, type AppLoadContext } from "@remix-run/node";
import { can, type Actor, type Permission } from "~/features/identity/permissions";
import { isRole } from "~/features/identity/roles";
import { recordAudit } from "~/features/audit/audit.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";
import { MAX_REDIRECT_LENGTH } from "~/platform/safe-redirect";
import { bearerToken, userForToken } from "./api-tokens.server";
import { loadSession, readSessionToken, type SessionUser } from "./session.server";

export type CurrentUser = SessionUser & Actor;
type Current = { sessionId: string; user: CurrentUser } | null;

const perRequest = new WeakMap<Request, Promise<Current>>();

/** The signed-in user of this request, or null. Looked up once per request. */
export function getCurrent(request: Request): Promise<Current> {
  let found = perRequest.get(request);
  if (!found) {
    found = lookUp(request);
    perRequest.set(request, found);
  }
  return found;
}

async function lookUp(request: Request): Promise<Current> {
  const token = await readSessionToken(request.headers.get("cookie"));
  if (!token) return lookUpApiToken(request);
  const loaded = await loadSession(getDb(), token);
  if (!loaded || !isRole(loaded.user.role)) return null;
  return { sessionId: loaded.sessionId, user: { ...loaded.user, role: loaded.user.role } };
}

/** Integrations authenticate with `Authorization: Bearer <token>`; the token acts as the user who made it. */
async function lookUpApiToken(request: Request): Promise<Current> {
  const bearer = bearerToken(request);
  const user = bearer ? await userForToken(getDb(), bearer) : null;
  if (!user || !user.active || user.institution?.active === false || !isRole(user.role)) return null;
  return { sessionId: "", user: { ...user, role: user.role } };
}

export async function getOptionalUser(request: Request): Promise<CurrentUser | null> {
  return (await getCurrent(request))?.user ?? null;
}

export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    // Only a path sign-in would follow (safeRedirect's limit), so a huge URL does not become a huge Location header.
    throw redirect(back.length <= MAX_REDIRECT_LENGTH ? `/login?${new URLSearchParams({ redirectTo: back })}` : "/login");
  }
  return user;
}

/** Signed in and granted the permission; otherwise the denial is audited and answered 403. */
export async function requirePermission(request: Request, context: AppLoadContext, permission: Permission): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!can(user, permission)) throw await denyAccess(request, context, user, { permission });
  return user;
}

/**
 * Audits a refused access and returns the response to throw: 403 by default,
 * 404 where even the existence of the thing must not leak.
 */
export async function denyAccess(
  request: Request,
  context: AppLoadContext,
  user: CurrentUser,
  details: Record<string, unknown>,
  status: 403 | 404 = 403,
): Promise<Response> {
  const url = new URL(request.url);
  await recordAudit(getDb(), {
    actor: user,
    action: "access.denied",
    outcome: "denied",
    details: { method: request.method, path: url.pathname, status, ...details },
    meta: requestMeta(request, context),
  });
  return new Response(status === 403 ? "Forbidden" : "Not Found", { status });
}
