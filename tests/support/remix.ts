import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { attemptLogin } from "~/features/identity/login.server";
import { DEMO_PASSWORD } from "~/seed/seed.server";

export const BASE = "http://localhost";
export const context: AppLoadContext = { requestId: "test-request", clientIp: "127.0.0.1", cspNonce: "" };

let ipCounter = 1;
/** Each test login comes from its own address so the per-IP throttle of one test does not leak into the next. */
export function nextIp(): string {
  ipCounter++;
  return `10.0.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
}

/** Signs in through the real login code and returns the Cookie header a browser would send. */
export async function signIn(email: string, password = DEMO_PASSWORD): Promise<string> {
  const result = await attemptLogin({ email, password, meta: { ip: nextIp(), userAgent: "vitest", requestId: null } });
  if (!result.ok) throw new Error(`sign-in failed for ${email}: ${result.reason}`);
  if (result.secondFactor !== "none") throw new Error(`sign-in of ${email} owes a second factor (${result.secondFactor})`);
  return result.setCookie.split(";")[0];
}

export function get(path: string, cookie?: string): Request {
  return new Request(BASE + path, { headers: cookie ? { cookie } : {} });
}

export function post(path: string, fields: Record<string, string | string[]>, cookie?: string, headers: Record<string, string> = {}): Request {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  return new Request(BASE + path, { method: "POST", body, headers: { ...(cookie ? { cookie } : {}), ...headers } });
}

type RouteArgs = { request: Request; params?: LoaderFunctionArgs["params"] };

/**
 * A route module's loader or action, typed as Remix calls it (loaders and
 * actions receive the same arguments), so `run(route.loader, ...)` needs no cast.
 */
export type RouteFunction = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

/** What `run` gives as `data` for an outcome of type T: a Response's body text, or what `data()` (or a plain return) carried. */
export type Settled<T> = T extends Response ? string : T extends { type: string; data: infer D; init: ResponseInit | null } ? D : T;
/** The `data` a route function's returned outcome gives; a thrown Response gives its text instead (its status tells them apart). */
export type RouteData<F extends RouteFunction> = Settled<Awaited<ReturnType<F>>>;
/**
 * `data` is `any` unless a test asks for more, e.g.
 * `const r: RunResult<RouteData<typeof route.loader>> = await run(route.loader, ...)`:
 * one outcome can be the returned value or a thrown Response's text, and the
 * tests tell them apart by status at run time.
 */
export type RunResult<D = any> = { status: number; headers: Headers; data: D };

/**
 * Calls a loader or action the way Remix does and normalises the outcome:
 * thrown or returned Responses and single-fetch `data()` results alike.
 */
export async function run(fn: RouteFunction, { request, params = {} }: RouteArgs): Promise<RunResult> {
  let outcome: unknown;
  try {
    outcome = await fn({ request, params, context });
  } catch (thrown) {
    outcome = thrown;
  }
  if (outcome instanceof Response) {
    const text = await outcome.text();
    return { status: outcome.status, headers: outcome.headers, data: text };
  }
  if (outcome && typeof outcome === "object" && (outcome as { type?: string }).type === "DataWithResponseInit") {
    const { data, init } = outcome as { data: unknown; init: ResponseInit | null };
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), data };
  }
  if (outcome instanceof Error) throw outcome;
  return { status: 200, headers: new Headers(), data: outcome };
}

/** The CSRF token of a signed-in cookie, as the root loader gives it to the page (for uploads, STOW-RS with a cookie, sign-out, the language switch). */
export async function csrfFor(cookie: string): Promise<string> {
  const { readSessionToken } = await import("~/features/identity/session.server");
  const { csrfTokenForSession } = await import("~/features/identity/csrf.server");
  const token = await readSessionToken(cookie);
  if (!token) throw new Error("not a session cookie");
  return csrfTokenForSession(token);
}
