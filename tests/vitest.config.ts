import { fileURLToPath } from "node:url";
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));
const integration = (name: string, testDb: string) => ({
  extends: true as const,
  test: {
    name,
    include: ["tests/integration/**/*.test.ts"],
    setupFiles: ["tests/support/setup-database.ts"],
    env: { TEST_DB: testDb, LOG_LEVEL: "error" },
  },
});

export default defineConfig({
  root,
  plugins: [tsconfigPaths({ root })],
  test: {
    pool: "forks",
    testTimeout: 30_000,
    env: { LOG_LEVEL: "error" },
    hookTimeout: 60_000,
    globalSetup: ["tests/support/global-setup.ts"],
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      // Checked with dcmtk and dicom3tools against ../shared/corpus; no database involved.
      { extends: true, test: { name: "dicom", include: ["tests/dicom/**/*.test.ts"], testTimeout: 120_000 } },
      integration("integration-sqlite", "sqlite"),
      ...(process.env.TEST_POSTGRES_URL ? [integration("integration-postgres", "postgresql")] : []),
    ],
  },
});
