import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const exec = promisify(execFile);

/** Runs a script under tsx with the test's environment plus `overrides`. */
function run(script: string, overrides: Record<string, string>, ...args: string[]) {
  return exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", script, ...args], { env: { ...process.env, ...overrides }, timeout: 25_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe("an invalid environment at start-up", () => {
  it("stops the server before it touches anything, naming the variable", async () => {
    const database = path.join(mkdtempSync(path.join(os.tmpdir(), "tumorboard-env-")), "never.db");
    const { code, stdout, stderr } = await run("server.ts", { PORT: "abc", DATABASE_URL: `file:${database}` });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('Invalid environment: PORT must be an integer from 1 to 65535 (got "abc")');
    expect(stdout).toBe("");
    expect(existsSync(database)).toBe(false);
  });

  it("names every invalid variable", async () => {
    const { code, stderr } = await run("server.ts", { PORT: "3000x", ATTACHMENT_MAX_MB: "-5", NODE_ENV: "prod" });
    expect(code).toBe(1);
    expect(stderr).toContain('PORT must be an integer from 1 to 65535 (got "3000x")');
    expect(stderr).toContain('NODE_ENV must be one of development, production, test (got "prod")');
    expect(stderr).toContain('ATTACHMENT_MAX_MB must be a number of MB above 0 and at most 1048576 (got "-5")');
  });

  it("stops a CLI that touches the database", async () => {
    const { code, stdout, stderr } = await run(
      "app/cli/user-create.ts",
      { DATABASE_URL: "mysql://db/tumorboard" },
      "--email",
      "env@hospital.example",
      "--role",
      "ADMIN",
    );
    expect(code).toBe(1);
    expect(stderr).toContain(
      'Invalid environment: DATABASE_URL must be file:<path> (SQLite) or a postgresql:// URL (PostgreSQL) whose optional ?schema= is a plain name (got "mysql://db/tumorboard")',
    );
    expect(stdout).toBe("");
  });
});
