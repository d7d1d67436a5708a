import { describe, expect, it } from "vitest";
import * as casesRoute from "~/routes/cases._index";
import * as loginRoute from "~/routes/login";
import * as logoutRoute from "~/routes/logout";
import { SESSION_IDLE_TIMEOUT_MS } from "~/features/identity/session-policy";
import { getDb } from "~/platform/db.server";
import { flushRefusals } from "~/features/audit/audit-refusals.server";
import { sessionIdFromToken } from "~/features/identity/session.server";
import { DEMO_PASSWORD } from "~/seed/seed.server";
import { csrfFor, get, nextIp, post, run, signIn } from "../support/remix";

async function loginAction(fields: Record<string, string>, ip = nextIp()) {
  const request = post("/login", fields);
  return run((args) => loginRoute.action({ ...args, context: { ...args.context, clientIp: ip } }), { request });
}

async function tokenFrom(cookie: string) {
  const { sessionCookie } = await import("~/features/identity/session.server");
  return (await sessionCookie.parse(cookie)) as string;
}

describe("sign-in", () => {
  it("signs in with the right password, starts a server-side session and sends the user home", async () => {
    const result = await loginAction({ email: "Physician@Demo.test", password: DEMO_PASSWORD });
    expect(result.status).toBe(302);
    expect(result.headers.get("location")).toBe("/cases");
    const setCookie = result.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^tb_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const token = await tokenFrom(setCookie.split(";")[0]);
    expect(await getDb().session.findUnique({ where: { id: sessionIdFromToken(token) } })).not.toBeNull();
  });

  it("follows a same-site redirectTo and ignores an off-site one", async () => {
    const inside = await loginAction({ email: "admin@demo.test", password: DEMO_PASSWORD, redirectTo: "/admin/audit" });
    expect(inside.headers.get("location")).toBe("/admin/audit");
    const outside = await loginAction({ email: "admin@demo.test", password: DEMO_PASSWORD, redirectTo: "https://evil.example/" });
    expect(outside.headers.get("location")).toBe("/admin");
  });

  it("gives a new session id at every sign-in", async () => {
    const a = await signIn("consultant@demo.test");
    const b = await signIn("consultant@demo.test");
    expect(a).not.toBe(b);
  });

  it("answers a wrong password and an unknown email identically", async () => {
    const wrong = await loginAction({ email: "consultant2@demo.test", password: "not-the-password" });
    const unknown = await loginAction({ email: "nobody@demo.test", password: "not-the-password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const withoutEcho = (data: { result: { initialValue?: unknown } }) => ({ ...data, result: { ...data.result, initialValue: undefined } });
    expect(withoutEcho(wrong.data)).toEqual(withoutEcho(unknown.data));
    expect(wrong.data.formError).toBe("auth:errors.invalidCredentials");
    expect(wrong.headers.get("set-cookie")).toBeNull();
  });

  it("rejects malformed input with field errors", async () => {
    const result = await loginAction({ email: "not-an-email", password: "x" });
    expect(result.status).toBe(400);
    expect(result.data.result.error.email).toEqual(["auth:errors.emailInvalid"]);
  });

  it("makes an account wait longer after each failure past three, then lets the right password in", async () => {
    const ip = nextIp();
    for (let i = 0; i < 4; i++) {
      expect((await loginAction({ email: "coordinator@demo.test", password: `wrong-${i}` }, nextIp())).status).toBe(401);
    }
    const waiting = await loginAction({ email: "coordinator@demo.test", password: DEMO_PASSWORD }, ip);
    expect(waiting.status).toBe(429);
    expect(waiting.data.formError).toBe("auth:errors.throttled");
    expect(waiting.data.retryAfterSeconds).toBe(1);
    // Once the wait is over, the right password works, and the count starts again.
    await getDb().loginThrottle.updateMany({ where: { key: "email:coordinator@demo.test" }, data: { lockedUntil: new Date(Date.now() - 1) } });
    expect((await loginAction({ email: "coordinator@demo.test", password: DEMO_PASSWORD }, ip)).status).toBe(302);
    expect(await getDb().loginThrottle.count({ where: { key: "email:coordinator@demo.test" } })).toBe(0);
  });

  it("records a flood of throttled sign-ins from one address as one row at once and one counted row when the window closes", async () => {
    const ip = nextIp();
    for (let i = 0; i < 3; i++) await loginAction({ email: "consultant2@demo.test", password: `wrong-${i}` }, ip);
    await getDb().loginThrottle.updateMany({ where: { key: "email:consultant2@demo.test" }, data: { lockedUntil: new Date(Date.now() + 60_000) } });
    const throttledRows = () => getDb().auditEvent.findMany({ where: { action: "auth.login", outcome: "denied", ip }, orderBy: { id: "asc" } });
    for (let i = 0; i < 53; i++) expect((await loginAction({ email: "consultant2@demo.test", password: `flood-${i}` }, ip)).status).toBe(429);
    expect(await throttledRows()).toHaveLength(1);
    await flushRefusals();
    const rows = await throttledRows();
    expect(rows).toHaveLength(2);
    expect(JSON.parse(rows[1].details)).toMatchObject({ reason: "throttled", repeated: 52 });
    await getDb().loginThrottle.deleteMany({ where: { key: "email:consultant2@demo.test" } });
  });

  it("never closes an account for more than a minute, however many failures an attacker sends", async () => {
    for (let i = 0; i < 40; i++) {
      await getDb().loginThrottle.updateMany({ where: { key: "email:consultant2@demo.test" }, data: { lockedUntil: null } });
      await loginAction({ email: "consultant2@demo.test", password: `guess-${i}` }, nextIp());
    }
    const row = await getDb().loginThrottle.findUniqueOrThrow({ where: { key: "email:consultant2@demo.test" } });
    expect(row.lockedUntil!.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    await getDb().loginThrottle.deleteMany({});
  });

  it("slows an IP address after 10 failures across accounts, not other addresses", async () => {
    const ip = nextIp();
    for (let i = 0; i < 11; i++) await loginAction({ email: `probe${i}@demo.test`, password: "guess" }, ip);
    const fromSameIp = await loginAction({ email: "physician2@demo.test", password: DEMO_PASSWORD }, ip);
    expect(fromSameIp.status).toBe(429);
    const fromElsewhere = await loginAction({ email: "physician2@demo.test", password: DEMO_PASSWORD }, nextIp());
    expect(fromElsewhere.status).toBe(302);
    await getDb().loginThrottle.deleteMany({});
  });

  it("does not let a disabled account sign in, with the same message", async () => {
    const db = getDb();
    await db.user.update({ where: { email: "physician2@demo.test" }, data: { active: false } });
    const result = await loginAction({ email: "physician2@demo.test", password: DEMO_PASSWORD });
    await db.user.update({ where: { email: "physician2@demo.test" }, data: { active: true } });
    expect(result.status).toBe(401);
    expect(result.data.formError).toBe("auth:errors.invalidCredentials");
  });

  it("audits successes and failures without storing the password", async () => {
    await loginAction({ email: "admin@demo.test", password: "the-wrong-one-123" });
    const failures = await getDb().auditEvent.findMany({ where: { action: "auth.login", outcome: "failure" } });
    expect(failures.some((e) => JSON.parse(e.details).email === "admin@demo.test" && JSON.parse(e.details).reason === "wrongPassword")).toBe(true);
    const all = await getDb().auditEvent.findMany({ where: { action: "auth.login" } });
    expect(all.some((e) => e.outcome === "success")).toBe(true);
    expect(all.every((e) => !e.details.includes("the-wrong-one-123") && !e.details.includes(DEMO_PASSWORD))).toBe(true);
  });
});

describe("sessions", () => {
  it("lets a fresh session in and sends an anonymous visitor to sign in", async () => {
    const cookie = await signIn("physician@demo.test");
    expect((await run(casesRoute.loader, { request: get("/cases", cookie) })).status).toBe(200);
    const anonymous = await run(casesRoute.loader, { request: get("/cases?x=1") });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/login?redirectTo=%2Fcases%3Fx%3D1");
  });

  it("ends a session after 30 idle minutes", async () => {
    const cookie = await signIn("physician@demo.test");
    const id = sessionIdFromToken(await tokenFrom(cookie));
    await getDb().session.update({ where: { id }, data: { lastSeenAt: new Date(Date.now() - SESSION_IDLE_TIMEOUT_MS - 1000) } });
    expect((await run(casesRoute.loader, { request: get("/cases", cookie) })).status).toBe(302);
    expect(await getDb().session.findUnique({ where: { id } })).toBeNull();
  });

  it("ends a session at its absolute expiry", async () => {
    const cookie = await signIn("physician@demo.test");
    const id = sessionIdFromToken(await tokenFrom(cookie));
    await getDb().session.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await run(casesRoute.loader, { request: get("/cases", cookie) })).status).toBe(302);
  });

  it("logout ends the session on the server at once and is audited", async () => {
    const cookie = await signIn("physician@demo.test");
    const result = await run(logoutRoute.action, { request: post("/logout", { csrf: await csrfFor(cookie) }, cookie) });
    expect(result.status).toBe(302);
    expect(result.headers.get("set-cookie")).toMatch(/tb_session=;.*Max-Age=0/);
    expect((await run(casesRoute.loader, { request: get("/cases", cookie) })).status).toBe(302);
    expect(await getDb().auditEvent.count({ where: { action: "auth.logout" } })).toBeGreaterThan(0);
  });

  it("ends all sessions of a user who is disabled", async () => {
    const cookie = await signIn("physician@demo.test");
    await getDb().user.update({ where: { email: "physician@demo.test" }, data: { active: false } });
    const result = await run(casesRoute.loader, { request: get("/cases", cookie) });
    await getDb().user.update({ where: { email: "physician@demo.test" }, data: { active: true } });
    expect(result.status).toBe(302);
  });
});
