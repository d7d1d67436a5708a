/** A server of a test's own (its own database and storage), so the test can kill and restart it. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(process.cwd());

/** Runs a script of tests/support on the shared e2e server's database and returns the JSON it printed last. */
export function onE2eDatabase<T>(script: string): T {
  const out = execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", script], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "file:./tests/.artifacts/e2e-db/e2e.db" },
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as T;
}

export function startOwnServer(port: number, env: Record<string, string>, log: string): ChildProcess {
  // Node itself with the tsx loader (the tsx CLI would run the server in a child process that SIGKILL does not reach).
  const output = openSync(log, "a");
  return spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", output, output],
  });
}

/** Waits for the server to answer; migrating and seeding a fresh database can take a minute on a loaded 2-core machine. */
export async function healthy(port: number, within = 120_000) {
  const deadline = Date.now() + within;
  while (Date.now() < deadline) {
    if (
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("server did not start");
}

/**
 * A server of the test's own with the demo data, on a random port: `start` brings it up (again, after a kill) and
 * answers once it is healthy, `setUp` runs one of tests/support's scripts on its database and answers the JSON the
 * script printed last, `createBoard` schedules a board with a case (tests/support/create-board.ts), with the demo interpreter invited, a second case, a Zoom call or a saved SR measurement if asked.
 * `extraEnv` adds to the server's environment (an SMTP_URL, say).
 */
export function ownBoardServer(name: string, extraEnv: Record<string, string> = {}) {
  const work = mkdtempSync(path.join(os.tmpdir(), `tb-${name}-`));
  const env = {
    DATABASE_URL: `file:${path.join(work, "board.db")}`,
    STORAGE_DIR: path.join(work, "storage"),
    SEED_DEMO: "1",
    LOG_LEVEL: "warn",
    ...extraEnv,
  };
  const port = 3800 + Math.floor(Math.random() * 400);
  const log = path.join(work, "server.log");
  function setUp<T>(script: string, ...args: string[]): T {
    const printed = execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", `tests/support/${script}`, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    return JSON.parse(printed.trim().split("\n").at(-1)!) as T;
  }
  return {
    base: `http://127.0.0.1:${port}`,
    async start(): Promise<ChildProcess> {
      const server = startOwnServer(port, env, log);
      try {
        await healthy(port);
      } catch (error) {
        server.kill("SIGKILL");
        throw error;
      }
      return server;
    },
    setUp,
    createBoard: ({ interpreter = false, twoCases = false, zoom = false, report = false } = {}) =>
      setUp<{ sessionId: string; caseId: string; caseCode: string; secondCaseCode?: string }>(
        "create-board.ts",
        ...(interpreter ? ["--interpreter"] : []),
        ...(twoCases ? ["--two-cases"] : []),
        ...(zoom ? ["--zoom"] : []),
        ...(report ? ["--report"] : []),
      ),
    logTail: () => readFileSync(log, "utf8").slice(-3000),
  };
}
