/**
 * What the benchmarks share: a free loopback port, waiting for a server to
 * answer, our server built and started in a process of its own, and a case
 * to store into.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

/** A temporary directory for the run, with its own SQLite database and storage (demo data seeded), set in this process's environment. */
export function benchWorkspace(name: string): string {
  const work = mkdtempSync(path.join(os.tmpdir(), `tb-bench-${name}-`));
  process.env.DATABASE_URL = `file:${path.join(work, "bench.db")}`;
  process.env.STORAGE_DIR = path.join(work, "storage");
  process.env.SEED_DEMO = "1";
  process.env.LOG_LEVEL = "error";
  return work;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function waitFor(url: string, what: string) {
  for (let i = 0; ; i++) {
    if (i > 300) throw new Error(`${what} did not start`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The production build, served by `server.ts` on a free port with this process's environment (database, storage). */
export async function startOurServer(): Promise<{ base: string; process: ChildProcess }> {
  execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/cli/ensure-build.ts"], { stdio: "ignore" });
  const port = await freePort();
  // BENCH_PROFILE_DIR=<dir>: the server writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "server.ts"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/healthz`, "our server");
  return { base, process: child };
}

/** A new draft case of the demo physician, and an API token to STOW into it. */
export async function benchCase() {
  const { getDb } = await import("~/platform/db.server");
  const { createApiToken } = await import("~/features/identity/api-tokens.server");
  const { createDraftCase } = await import("~/features/cases/case-store.server");
  const db = getDb();
  const physician = await db.user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
  const token = await createApiToken(db, physician.id, "bench");
  const created = await createDraftCase(db, { institutionId: physician.institutionId!, createdById: physician.id });
  return { db, caseId: created.id, token };
}

/** A fresh browser context at 1280×1000, signed in on `base` as a demo user (the Wuhan physician unless named). */
export async function signedInPage(browser: Browser, base: string, email = "physician@demo.test"): Promise<{ context: BrowserContext; page: Page }> {
  const { DEMO_PASSWORD } = await import("~/seed/seed.server");
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  // tsx names the functions handed to page.evaluate with a helper the page does not have.
  await page.addInitScript({ content: "window.__name = (f) => f;" });
  await page.goto(`${base}/login?lng=en`);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  return { context, page };
}

/** The middle value of the runs (the upper one of the two for an even count), as every benchmark reports it. */
export const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
