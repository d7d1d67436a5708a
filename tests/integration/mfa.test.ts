/** The second factor: enrolment a role requires, TOTP sign-in without replay, recovery codes, the pending session, the policy. */
import { generateSync } from "otplib";
import { describe, expect, it } from "vitest";
import * as enrolRoute from "~/routes/login_.enrol";
import * as verifyRoute from "~/routes/login_.verify";
import * as securityRoute from "~/routes/admin.security";
import * as queueRoute from "~/routes/queue";
import * as accountSecurity from "~/routes/account.security";
import * as editUser from "~/routes/admin.users.$userId";
import * as setLanguage from "~/routes/set-language";
import * as rootRoute from "~/root";
import { attemptLogin } from "~/features/identity/login.server";
import { hashPassword } from "~/features/identity/password.server";
import { getDb } from "~/platform/db.server";
import { csrfFor, get, nextIp, post, run, signIn } from "../support/remix";

const PASSWORD = "violet-harbour-lantern-42";

async function newConsultant(email: string) {
  await getDb().user.create({
    data: { email, displayName: "Dr. Test", passwordHash: await hashPassword(PASSWORD), role: "CONSULTANT", institutionId: "demo-pacific", timeZone: "UTC" },
  });
}

async function passwordStep(email: string) {
  const result = await attemptLogin({ email, password: PASSWORD, meta: { ip: nextIp(), userAgent: "vitest", requestId: null } });
  if (!result.ok) throw new Error(result.reason);
  return { cookie: result.setCookie.split(";")[0], step: result.secondFactor };
}

const cookieOf = (response: { headers: Headers }) => (response.headers.get("set-cookie") ?? "").split(";")[0];
const code = (secret: string, stepsAhead = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });

describe("second factor", () => {
  it("makes a consultant enrol before anything opens, then asks for a fresh code at every sign-in, and takes each recovery code once", async () => {
    await newConsultant("mfa.consultant@demo.test");
    const first = await passwordStep("mfa.consultant@demo.test");
    expect(first.step).toBe("enrol");
    // The password alone opens nothing, but the page can still switch its language.
    expect((await run(queueRoute.loader, { request: get("/queue", first.cookie) })).status).toBe(302);
    const root = await run(rootRoute.loader, { request: get("/login/enrol", first.cookie) });
    expect(root.data.csrf).toBe(await csrfFor(first.cookie));
    const switched = await run(setLanguage.action, {
      request: post("/set-language", { lng: "zh-CN", redirectTo: "/login/enrol", csrf: root.data.csrf }, first.cookie),
    });
    expect(switched.headers.get("location")).toBe("/login/enrol");

    const page = await run(enrolRoute.loader, { request: get("/login/enrol", first.cookie) });
    const secret: string = page.data.secret;
    expect(page.data.uri).toMatch(/^otpauth:\/\/totp\/Tumor%20Board:mfa\.consultant%40demo\.test\?secret=/);
    const wrong = await run(enrolRoute.action, { request: post("/login/enrol", { code: "000000" }, first.cookie) });
    expect(wrong.status).toBe(400);
    expect(wrong.data.formError).toBe("auth:mfa.wrongCode");
    const enrolCode = code(secret);
    const enrolled = await run(enrolRoute.action, { request: post("/login/enrol", { code: enrolCode }, first.cookie) });
    expect(enrolled.status).toBe(200);
    const recovery: string[] = enrolled.data.codes;
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    const signedIn = cookieOf(enrolled);
    expect(signedIn).not.toBe(first.cookie);
    expect((await run(queueRoute.loader, { request: get("/queue", signedIn) })).status).toBe(200);
    expect((await run(queueRoute.loader, { request: get("/queue", first.cookie) })).status).toBe(302);

    const second = await passwordStep("mfa.consultant@demo.test");
    expect(second.step).toBe("verify");
    expect((await run(enrolRoute.loader, { request: get("/login/enrol", second.cookie) })).headers.get("location")).toBe("/login/verify");
    // The code that confirmed enrolment was used: it does not sign in again.
    const replay = await run(verifyRoute.action, { request: post("/login/verify", { code: enrolCode }, second.cookie) });
    expect(replay.status).toBe(400);
    const fresh = await run(verifyRoute.action, { request: post("/login/verify", { code: code(secret, 1), redirectTo: "/sessions" }, second.cookie) });
    expect(fresh.status).toBe(302);
    expect(fresh.headers.get("location")).toBe("/sessions");
    expect((await run(queueRoute.loader, { request: get("/queue", cookieOf(fresh)) })).status).toBe(200);

    const third = await passwordStep("mfa.consultant@demo.test");
    const recovered = await run(verifyRoute.action, { request: post("/login/verify", { code: recovery[0].toLowerCase().replace("-", " ") }, third.cookie) });
    expect(recovered.status).toBe(302);
    const fourth = await passwordStep("mfa.consultant@demo.test");
    expect((await run(verifyRoute.action, { request: post("/login/verify", { code: recovery[0] }, fourth.cookie) })).status).toBe(400);
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "mfa.consultant@demo.test" } });
    expect(await getDb().recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(9);
    expect(user.mfaSecret).not.toContain(secret);
    const audited = await getDb().auditEvent.findMany({ where: { entityId: user.id, action: { in: ["mfa.enrol", "mfa.verify"] } }, orderBy: { id: "asc" } });
    expect(audited.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      "mfa.enrol:success",
      "mfa.verify:failure",
      "mfa.verify:success",
      "mfa.verify:success",
      "mfa.verify:failure",
    ]);
  });

  it("slows down wrong codes", async () => {
    await newConsultant("mfa.guess@demo.test");
    const { cookie } = await passwordStep("mfa.guess@demo.test");
    const { secret } = (await run(enrolRoute.loader, { request: get("/login/enrol", cookie) })).data;
    await run(enrolRoute.action, { request: post("/login/enrol", { code: code(secret) }, cookie) });
    const next = await passwordStep("mfa.guess@demo.test");
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await run(verifyRoute.action, { request: post("/login/verify", { code: "123456" }, next.cookie) })).status);
    expect(statuses.slice(0, 3)).toEqual([400, 400, 400]);
    expect(statuses.at(-1)).toBe(429);
  });

  it("follows the administrator's setting per role, and lets demo accounts in with a password", async () => {
    await newConsultant("mfa.policy@demo.test");
    expect((await passwordStep("mfa.policy@demo.test")).step).toBe("enrol");
    const admin = await signIn("admin@demo.test");
    const saved = await run(securityRoute.action, { request: post("/admin/security", { required: ["COORDINATOR", "ADMIN"] }, admin) });
    expect(saved.data).toEqual({ saved: true });
    expect((await passwordStep("mfa.policy@demo.test")).step).toBe("none");
    expect((await run(securityRoute.loader, { request: get("/admin/security", await signIn("coordinator@demo.test")) })).status).toBe(403);
    await run(securityRoute.action, { request: post("/admin/security", { required: ["CONSULTANT", "COORDINATOR", "ADMIN"] }, admin) });
    expect((await passwordStep("mfa.policy@demo.test")).step).toBe("enrol");
    // Demo accounts are exempt (the login page says so).
    expect(await signIn("consultant@demo.test")).toMatch(/^tb_session=/);
  });
});

describe("a physician's own second factor", () => {
  it("is optional, set up from the account page, and asked for from the next sign-in", async () => {
    const physician = await getDb().user.create({
      data: {
        email: "mfa.physician@demo.test",
        displayName: "Dr. Optional",
        passwordHash: await hashPassword(PASSWORD),
        role: "TREATING_PHYSICIAN",
        institutionId: "demo-wuhan",
        timeZone: "Asia/Shanghai",
      },
    });
    const first = await passwordStep(physician.email);
    expect(first.step).toBe("none");
    const page = await run(accountSecurity.loader, { request: get("/account/security", first.cookie) });
    expect(page.data).toMatchObject({ enabledAt: null });
    expect((await run(accountSecurity.action, { request: post("/account/security", { code: "000000" }, first.cookie) })).data.formError).toBe(
      "auth:mfa.wrongCode",
    );
    const on = await run(accountSecurity.action, { request: post("/account/security", { code: code(page.data.setup.secret) }, first.cookie) });
    expect(on.data.codes).toHaveLength(10);
    expect((await run(accountSecurity.loader, { request: get("/account/security", first.cookie) })).data).toMatchObject({ codesLeft: 10, setup: null });
    expect((await passwordStep(physician.email)).step).toBe("verify");
    expect((await run(accountSecurity.loader, { request: get("/account/security") })).status).toBe(302);
  });
});

describe("a lost second factor", () => {
  it("is reset by an administrator (passkeys too), which ends the user's sessions and makes a required role set it up again", async () => {
    await newConsultant("mfa.lost@demo.test");
    const { cookie } = await passwordStep("mfa.lost@demo.test");
    const { secret } = (await run(enrolRoute.loader, { request: get("/login/enrol", cookie) })).data;
    const enrolled = await run(enrolRoute.action, { request: post("/login/enrol", { code: code(secret) }, cookie) });
    const session = cookieOf(enrolled);
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "mfa.lost@demo.test" } });
    await getDb().passkey.create({ data: { userId: user.id, credentialId: "lost-key", publicKey: "AA", name: "Lost key" } });
    const admin = await signIn("admin@demo.test");
    const page = await run(editUser.loader, { request: get(`/admin/users/${user.id}`, admin), params: { userId: user.id } });
    expect(page.data.secondFactorOn).toBe(true);
    const reset = await run(editUser.action, { request: post(`/admin/users/${user.id}`, { intent: "resetSecondFactor" }, admin), params: { userId: user.id } });
    expect(reset.status).toBe(302);
    expect((await run(queueRoute.loader, { request: get("/queue", session) })).status).toBe(302);
    expect(await getDb().recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(await getDb().passkey.count({ where: { userId: user.id } })).toBe(0);
    expect((await passwordStep("mfa.lost@demo.test")).step).toBe("enrol");
    expect(await getDb().auditEvent.count({ where: { action: "mfa.reset", entityId: user.id } })).toBe(1);
  });
});
