/** A server of a test's own (its own database and storage), so the test can kill and restart it. */
import { spawn, type ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(process.cwd());

export function startOwnServer(port: number, env: Record<string, string>, log: string): ChildProcess {
  // Node itself with the tsx loader (the tsx CLI would run the server in a child process that SIGKILL does not reach).
  const output = openSync(log, "a");
  return spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", output, output],
  });
}

export async function healthy(port: number) {
  for (let i = 0; i < 150; i++) {
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
