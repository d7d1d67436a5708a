import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = Number(process.env.E2E_PORT ?? 3210);
export const E2E_DICOM_PORT = Number(process.env.E2E_DICOM_PORT ?? 11190);

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./.artifacts/playwright",
  timeout: 45_000,
  expect: { timeout: 10_000 },
  // One browser at a time: the machines have two cores, and several tests run servers of their own.
  workers: 1,
  retries: 0,
  reporter: "list",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  webServer: {
    // A fresh SQLite database with demo data for every run, on the production build.
    command: "rm -rf tests/.artifacts/e2e-db && mkdir -p tests/.artifacts/e2e-db && node node_modules/tsx/dist/cli.mjs server.ts",
    cwd: root,
    url: `http://127.0.0.1:${port}/healthz`,
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: "file:./tests/.artifacts/e2e-db/e2e.db",
      SEED_DEMO: "1",
      LOG_LEVEL: "warn",
      DICOM_PORT: String(E2E_DICOM_PORT),
    },
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
