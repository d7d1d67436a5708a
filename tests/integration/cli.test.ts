import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { attemptLogin } from "~/features/identity/login.server";
import { describe, expect, it } from "vitest";
import { getDb } from "~/platform/db.server";

const exec = promisify(execFile);

function userCreate(...args: string[]) {
  return exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/cli/user-create.ts", ...args], { env: process.env }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

describe("npm run user:create", () => {
  it("bootstraps an admin with a generated password that works, and audits it", async () => {
    const { code, out } = await userCreate("--email", "Ops@Hospital.example", "--role", "ADMIN", "--name", "Ops Lead");
    expect(code).toBe(0);
    const password = /Password \(shown once\): (\S+)/.exec(out)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(20);
    // The password works; an administrator then has to set up a second factor before anything opens.
    const signedIn = await attemptLogin({ email: "ops@hospital.example", password: password!, meta: { ip: null, userAgent: "vitest", requestId: null } });
    expect(signedIn).toMatchObject({ ok: true, secondFactor: "enrol" });
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "ops@hospital.example" } });
    expect(await getDb().auditEvent.count({ where: { action: "user.create", entityId: user.id } })).toBe(1);
  });

  it("places a physician in an institution named in English", async () => {
    const { code } = await userCreate(
      "--email",
      "doc@wuhan.example",
      "--role",
      "TREATING_PHYSICIAN",
      "--institution",
      "Wuhan Riverside Cancer Hospital (demo)",
      "--password",
      "a-long-password-1",
      "--time-zone",
      "Asia/Shanghai",
    );
    expect(code).toBe(0);
    expect((await getDb().user.findUniqueOrThrow({ where: { email: "doc@wuhan.example" } })).institutionId).toBe("demo-wuhan");
  });

  it("explains what is wrong and creates nothing", async () => {
    const duplicate = await userCreate("--email", "admin@demo.test", "--role", "ADMIN");
    expect(duplicate.code).toBe(1);
    expect(duplicate.out).toContain("already exists");
    const badRole = await userCreate("--email", "x@y.example", "--role", "PATIENT");
    expect(badRole.code).toBe(1);
    expect(badRole.out).toContain("--role");
    const wrongKind = await userCreate("--email", "c@y.example", "--role", "CONSULTANT", "--institution", "demo-wuhan");
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.out).toContain("A consultant must belong to a consulting centre.");
    const weak = await userCreate("--email", "w@y.example", "--role", "ADMIN", "--password", "password1234");
    expect(weak.code).toBe(1);
    expect(weak.out).toContain("--password: This password is too easy to guess");
    expect(await getDb().user.count({ where: { email: { in: ["x@y.example", "c@y.example", "w@y.example"] } } })).toBe(0);
    // Four command runs, each starting tsx: slow on a loaded 2-core machine.
  }, 120_000);
});

describe("npm run seed:bulk", () => {
  it("adds the requested number of cases, continuing the case-code sequence", async () => {
    const before = await getDb().case.count();
    const result = await exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/cli/seed-bulk.ts", "--cases", "40"], { env: process.env });
    expect(result.stdout).toContain("Created 40 cases");
    expect(await getDb().case.count()).toBe(before + 40);
    const codes = (await getDb().case.findMany({ select: { code: true } })).map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    const bad = await exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/cli/seed-bulk.ts", "--cases", "lots"], { env: process.env }).catch(
      (e) => e,
    );
    expect(bad.code).toBe(1);
  });
});

describe("npm run token:create", () => {
  it("prints a token once for a physician or coordinator, storing only its hash", async () => {
    const result = await exec(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "app/cli/token-create.ts", "--email", "coordinator@demo.test", "--name", "PACS bridge"],
      { env: process.env },
    );
    const token = /\n(tbt_[A-Za-z0-9_-]{43})/.exec(result.stdout)?.[1];
    expect(token).toBeTruthy();
    const stored = await getDb().apiToken.findFirstOrThrow({ where: { name: "PACS bridge" } });
    expect(stored.tokenHash).not.toContain(token!);
    const refused = await exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/cli/token-create.ts", "--email", "consultant@demo.test"], {
      env: process.env,
    }).catch((e) => e);
    expect(refused.code).toBe(1);
  });

  it("issues an institution's gateway token only from an administrator, scoped and expiring", async () => {
    const cli = (...args: string[]) =>
      exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/cli/token-create.ts", ...args], { env: process.env }).catch(
        (e: { code: number; stderr: string }) => e,
      );
    const result = (await cli("--gateway", "--institution", "demo-wuhan", "--email", "admin@demo.test", "--days", "30")) as { stdout: string };
    expect(/\n(tbt_[A-Za-z0-9_-]{43})/.test(result.stdout)).toBe(true);
    const stored = await getDb().apiToken.findFirstOrThrow({ where: { scope: "gateway", institutionId: "demo-wuhan" } });
    expect(stored.expiresAt!.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(stored.expiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);
    expect(((await cli("--gateway", "--institution", "demo-wuhan", "--email", "physician@demo.test")) as { code: number }).code).toBe(1);
    expect(((await cli("--gateway", "--institution", "nowhere", "--email", "admin@demo.test")) as { code: number }).code).toBe(1);
    expect(((await cli("--email", "coordinator@demo.test", "--days", "9999")) as { code: number }).code).toBe(1);
  });
});
