import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));
const integration = (name: string, testDb: string) => ({
  extends: true as const,
  test: {
    name,
    include: ["tests/integration/**/*.test.ts"],
    // One migrated and seeded template per database kind and run; each test file gets a copy of it.
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup-database.ts"],
    env: { TEST_DB: testDb, LOG_LEVEL: "error" },
  },
});

/** As in the server build: `.client` modules (the viewers, which need a window) are empty, so routes that import them load in Node. */
const clientModulesEmpty: Plugin = {
  name: "client-modules-empty",
  transform(code, id, options) {
    if (!options?.ssr || !/\.client(\.[cm]?[jt]sx?)?$/.test(id)) return;
    const names = this.parse(code).body.flatMap((node) => {
      if (node.type === "ExportDefaultDeclaration") return ["default"];
      if (node.type !== "ExportNamedDeclaration") return [];
      if (node.declaration?.type === "VariableDeclaration")
        return node.declaration.declarations.flatMap((d) => (d.id.type === "Identifier" ? [d.id.name] : []));
      if (node.declaration) return node.declaration.id ? [node.declaration.id.name] : [];
      return node.specifiers.map((s) => (s.exported.type === "Identifier" ? s.exported.name : String(s.exported.value)));
    });
    return { code: names.map((n) => (n === "default" ? "export default undefined;" : `export const ${n} = undefined;`)).join("\n"), map: null };
  },
};

export default defineConfig({
  root,
  plugins: [tsconfigPaths({ root }), clientModulesEmpty],
  test: {
    pool: "forks",
    // Two workers even on two cores: integration tests wait on the databases, child processes and sockets much of the time.
    // As many kept as started: a worker retired for being idle makes tinypool reject "Terminating worker thread" (vitest#8564).
    maxWorkers: 2,
    minWorkers: 2,
    // Test files run one after another in a reused worker: the app's modules load once, not once per file.
    // Each file still gets its own database and storage (setup-database.ts), and stubs and spies are undone after every test.
    isolate: false,
    unstubEnvs: true,
    restoreMocks: true,
    testTimeout: 30_000,
    env: { LOG_LEVEL: "error" },
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      // Checked with dcmtk and dicom3tools against ../shared/corpus; no database involved.
      // Each DICOM file loads the WebAssembly codecs and whole corpus files: a fresh worker each, so memory does not pile up.
      { extends: true, test: { name: "dicom", include: ["tests/dicom/**/*.test.ts"], testTimeout: 120_000, isolate: true } },
      integration("integration-sqlite", "sqlite"),
      ...(process.env.TEST_POSTGRES_URL ? [integration("integration-postgres", "postgresql")] : []),
    ],
  },
});
