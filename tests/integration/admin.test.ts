import { describe, expect, it } from "vitest";
import * as editInstitution from "~/routes/admin.institutions.$institutionId";
import * as newInstitution from "~/routes/admin.institutions.new";
import * as editUser from "~/routes/admin.users.$userId";
import * as newUser from "~/routes/admin.users.new";
import * as cases from "~/routes/cases._index";
import { getDb } from "~/platform/db.server";
import { createApiToken, gatewayForToken, hashToken, userForToken } from "~/features/identity/api-tokens.server";
import { sessionUserSelect } from "~/features/identity/session.server";
import { get, post, run, signIn } from "../support/remix";

const baseUser = {
  displayName: "王芳 Wang Fang",
  role: "TREATING_PHYSICIAN",
  institutionId: "demo-wuhan",
  preferredLocale: "zh-CN",
  timeZone: "Asia/Shanghai",
  active: "on",
  specialties: ["THORACIC_ONCOLOGY", "MEDICAL_ONCOLOGY"],
};

describe("account administration", () => {
  it("creates an account that can sign in, and audits it", async () => {
    const admin = await signIn("admin@demo.test");
    const result = await run(newUser.action, {
      request: post("/admin/users/new", { ...baseUser, email: "Wang.Fang@Demo.test", password: "initial-password-1" }, admin),
    });
    expect(result.status).toBe(302);
    const created = await getDb().user.findUniqueOrThrow({ where: { email: "wang.fang@demo.test" }, include: { specialties: true } });
    expect(created).toMatchObject({ role: "TREATING_PHYSICIAN", institutionId: "demo-wuhan", preferredLocale: "zh-CN", active: true });
    expect(created.specialties.map((s) => s.specialty).sort()).toEqual(["MEDICAL_ONCOLOGY", "THORACIC_ONCOLOGY"]);
    expect(created.passwordHash).toMatch(/^\$argon2id\$/);
    await signIn("wang.fang@demo.test", "initial-password-1");
    const audit = await getDb().auditEvent.findFirst({ where: { action: "user.create", entityId: created.id } });
    expect(audit?.outcome).toBe("success");
  });

  it("reports invalid input per field and saves nothing", async () => {
    const admin = await signIn("admin@demo.test");
    const before = await getDb().user.count();
    const result = await run(newUser.action, {
      request: post("/admin/users/new", { ...baseUser, email: "broken", timeZone: "Mars/Base", password: "short" }, admin),
    });
    expect(result.status).toBe(400);
    expect(result.data.result.error).toMatchObject({
      email: ["admin:errors.emailInvalid"],
      timeZone: ["admin:errors.timeZoneInvalid"],
      password: ["admin:errors.passwordTooShort"],
    });
    expect(await getDb().user.count()).toBe(before);
  });

  it("refuses passwords that are common, breached or made of the account's own name, on create and on change", async () => {
    const admin = await signIn("admin@demo.test");
    const before = await getDb().user.count();
    for (const password of ["aaaaaaaaaaaa", "password1234", "qwertyuiop12", "LiuYang2024!", "liu.yang@demo.test"]) {
      const result = await run(newUser.action, {
        request: post("/admin/users/new", { ...baseUser, email: "liu.yang@demo.test", displayName: "Liu Yang", password }, admin),
      });
      expect(result.status, password).toBe(400);
      expect(result.data.result.error.password, password).toEqual(["admin:errors.passwordWeak"]);
    }
    expect(await getDb().user.count()).toBe(before);
    const physician = await getDb().user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
    const hashBefore = physician.passwordHash;
    const edit = await run(editUser.action, {
      params: { userId: physician.id },
      request: post(
        `/admin/users/${physician.id}`,
        { ...baseUser, email: "physician@demo.test", displayName: physician.displayName, password: "passwordpassword" },
        admin,
      ),
    });
    expect(edit.data.result.error.password).toEqual(["admin:errors.passwordWeak"]);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: physician.id } })).passwordHash).toBe(hashBefore);
  });

  it("refuses a duplicate email and a role that does not fit the institution", async () => {
    const admin = await signIn("admin@demo.test");
    const duplicate = await run(newUser.action, {
      request: post("/admin/users/new", { ...baseUser, email: "physician@demo.test", password: "initial-password-1" }, admin),
    });
    expect(duplicate.data.result.error.email).toEqual(["admin:errors.emailTaken"]);
    const misplaced = await run(newUser.action, {
      request: post("/admin/users/new", { ...baseUser, email: "misplaced@demo.test", institutionId: "demo-pacific", password: "initial-password-1" }, admin),
    });
    expect(misplaced.data.result.error.institutionId).toEqual(["admin:errors.institutionKindTreating"]);
  });

  it("disabling an account signs its user out at once", async () => {
    const admin = await signIn("admin@demo.test");
    const victim = await signIn("physician2@demo.test");
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "physician2@demo.test" }, include: { specialties: true } });
    const form = {
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      institutionId: user.institutionId ?? "",
      preferredLocale: user.preferredLocale,
      timeZone: user.timeZone,
      specialties: user.specialties.map((s) => s.specialty),
    };
    const result = await run(editUser.action, { request: post(`/admin/users/${user.id}`, form, admin), params: { userId: user.id } });
    expect(result.status).toBe(302);
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
    expect((await run(cases.loader, { request: get("/cases", victim) })).status).toBe(302);
    const audit = await getDb().auditEvent.findFirst({ where: { action: "user.update", entityId: user.id }, orderBy: { id: "desc" } });
    expect(JSON.parse(audit!.details)).toMatchObject({ active: false, changed: ["active"], revokedSessions: 1 });
    await getDb().user.update({ where: { id: user.id }, data: { active: true } });
  });

  it("lists an account's API tokens, revokes one, refuses a forged id, and revokes the rest when the password changes", async () => {
    const admin = await signIn("admin@demo.test");
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "coordinator@demo.test" } });
    const [first, second] = [await createApiToken(getDb(), user.id, "PACS bridge"), await createApiToken(getDb(), user.id, "Research export")];
    const physician = await getDb().user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
    const othersToken = await createApiToken(getDb(), physician.id, "Someone else's");
    const page = await run(editUser.loader, { request: get(`/admin/users/${user.id}`, admin), params: { userId: user.id } });
    expect(page.data.tokens.map((t: { name: string }) => t.name).sort()).toEqual(["PACS bridge", "Research export"]);
    expect(JSON.stringify(page.data)).not.toContain(hashToken(first));

    const firstRow = await getDb().apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(first) } });
    const revoke = (tokenId: string) =>
      run(editUser.action, { request: post(`/admin/users/${user.id}`, { intent: "revokeToken", tokenId }, admin), params: { userId: user.id } });
    expect((await revoke(firstRow.id)).status).toBe(302);
    expect(await userForToken(getDb(), first)).toBeNull();
    // Read with the token in one query, the user is exactly the one a session gives.
    expect(await userForToken(getDb(), second)).toEqual(await getDb().user.findUnique({ where: { id: user.id }, select: sessionUserSelect }));

    const othersRow = await getDb().apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(othersToken) } });
    await revoke(othersRow.id);
    expect((await userForToken(getDb(), othersToken))?.id).toBe(physician.id);
    expect(await getDb().auditEvent.count({ where: { action: "apiToken.revoke", outcome: "denied" } })).toBe(1);

    const form = {
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      preferredLocale: user.preferredLocale,
      timeZone: user.timeZone,
      active: "on",
    };
    const changed = await run(editUser.action, {
      request: post(`/admin/users/${user.id}`, { ...form, password: "a-new-long-password-9" }, admin),
      params: { userId: user.id },
    });
    expect(changed.status).toBe(302);
    expect(await userForToken(getDb(), second)).toBeNull();
    const audit = await getDb().auditEvent.findFirst({ where: { action: "user.update", entityId: user.id }, orderBy: { id: "desc" } });
    expect(JSON.parse(audit!.details)).toMatchObject({ revokedTokens: 1 });
    await getDb().user.update({ where: { id: user.id }, data: { passwordHash: physician.passwordHash } });
  });

  it("lists an institution's gateway tokens and revokes one", async () => {
    const admin = await signIn("admin@demo.test");
    const issuer = await getDb().user.findUniqueOrThrow({ where: { email: "admin@demo.test" } });
    const token = await createApiToken(getDb(), issuer.id, "Main PACS", { scope: "gateway", institutionId: "demo-wuhan" });
    const page = await run(editInstitution.loader, { request: get("/admin/institutions/demo-wuhan", admin), params: { institutionId: "demo-wuhan" } });
    expect(page.data.tokens.map((t: { name: string }) => t.name)).toContain("Main PACS");
    const row = await getDb().apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    const revoked = await run(editInstitution.action, {
      request: post("/admin/institutions/demo-wuhan", { intent: "revokeToken", tokenId: row.id }, admin),
      params: { institutionId: "demo-wuhan" },
    });
    expect(revoked.status).toBe(302);
    expect(await gatewayForToken(getDb(), token)).toBeNull();
  });

  it("keeps an admin from locking themselves out", async () => {
    const admin = await signIn("admin@demo.test");
    const me = await getDb().user.findUniqueOrThrow({ where: { email: "admin@demo.test" } });
    const result = await run(editUser.action, {
      request: post(
        `/admin/users/${me.id}`,
        { email: me.email, displayName: me.displayName, role: "COORDINATOR", preferredLocale: "en", timeZone: me.timeZone, active: "on" },
        admin,
      ),
      params: { userId: me.id },
    });
    expect(result.data.result.error.active).toEqual(["admin:errors.cannotDemoteSelf"]);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: me.id } })).role).toBe("ADMIN");
  });

  it("answers 404 for an account that does not exist", async () => {
    const admin = await signIn("admin@demo.test");
    expect((await run(editUser.loader, { request: get("/admin/users/nope", admin), params: { userId: "nope" } })).status).toBe(404);
  });
});

describe("institution administration", () => {
  it("creates and edits a bilingual institution", async () => {
    const admin = await signIn("admin@demo.test");
    const fields = { nameEn: "Chengdu Demo Hospital", nameZh: "成都演示医院", country: "cn", timeZone: "Asia/Shanghai", kind: "TREATING", active: "on" };
    expect((await run(newInstitution.action, { request: post("/admin/institutions/new", fields, admin) })).status).toBe(302);
    const created = await getDb().institution.findFirstOrThrow({ where: { nameEn: "Chengdu Demo Hospital" } });
    expect(created).toMatchObject({ nameZh: "成都演示医院", country: "CN", kind: "TREATING", active: true });
    const edited = await run(editInstitution.action, {
      request: post(`/admin/institutions/${created.id}`, { ...fields, kind: "CONSULTING" }, admin),
      params: { institutionId: created.id },
    });
    expect(edited.status).toBe(302);
    expect((await getDb().institution.findUniqueOrThrow({ where: { id: created.id } })).kind).toBe("CONSULTING");
  });

  it("will not change the kind of an institution that has physicians", async () => {
    const admin = await signIn("admin@demo.test");
    const result = await run(editInstitution.action, {
      request: post(
        "/admin/institutions/demo-wuhan",
        { nameEn: "Wuhan", nameZh: "武汉", country: "CN", timeZone: "Asia/Shanghai", kind: "CONSULTING", active: "on" },
        admin,
      ),
      params: { institutionId: "demo-wuhan" },
    });
    expect(result.data.result.error.kind).toEqual(["admin:errors.kindHasMembers"]);
  });

  it("disabling an institution signs out its users and keeps them out", async () => {
    const admin = await signIn("admin@demo.test");
    const physician = await signIn("physician2@demo.test");
    const fields = { nameEn: "Hangzhou West Lake Hospital (demo)", nameZh: "杭州西湖医院（演示）", country: "CN", timeZone: "Asia/Shanghai", kind: "TREATING" };
    await run(editInstitution.action, { request: post("/admin/institutions/demo-hangzhou", fields, admin), params: { institutionId: "demo-hangzhou" } });
    expect((await run(cases.loader, { request: get("/cases", physician) })).status).toBe(302);
    await expect(signIn("physician2@demo.test")).rejects.toThrow(/invalid/);
    await getDb().institution.update({ where: { id: "demo-hangzhou" }, data: { active: true } });
  });
});
