// ESLint (flat config, typescript-eslint), run by `npm run lint` and `npm run validate`. The house rules it enforces:
// routes never touch the database client or name a role; pure modules (x.ts) never do I/O or import x.server modules.
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const root = fileURLToPath(new URL("..", import.meta.url));

const ROLE_NAMES = "^(TREATING_PHYSICIAN|CONSULTANT|COORDINATOR|ADMIN|INTERPRETER)$";
const DATABASE_CLIENT = [
  { group: ["~/platform/db.server", "**/platform/db.server"], message: "Routes never touch the database: call the feature's service step." },
  { group: ["~/generated/**", "@prisma/*", "better-sqlite3", "pg"], message: "Routes never touch the database: call the feature's service step." },
];
const SERVER_MODULES = [
  { group: ["*.server", "**/*.server", "*.server.*", "**/*.server.*"], message: "Pure modules and components never import I/O (x.server) modules." },
];
const IO_MODULES = [
  {
    group: [
      "node:fs",
      "node:fs/*",
      "fs",
      "node:child_process",
      "node:net",
      "node:http",
      "node:https",
      "node:worker_threads",
      "@prisma/*",
      "~/generated/**",
      "better-sqlite3",
      "pg",
      "redis",
      "nodemailer",
    ],
    message: "Pure rules do no I/O: put it in the feature's x.server.ts.",
  },
];
const roleComparison = {
  selector: `Literal[value=/${ROLE_NAMES}/]`,
  message: "Do not decide by role here: ask the feature's abilities (caseAbilities, imagingAbilities, sessionAbilities, opinionAbilities, can).",
};

export default tseslint.config(
  { ignores: ["app/generated/**", "build/**", "node_modules/**", "tests/.artifacts/**", "playwright-report/**"] },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node, ...globals.browser }, parserOptions: { tsconfigRootDir: root } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      "no-console": ["error", { allow: ["error", "warn"] }],
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
      // Control characters in patterns are deliberate here: stripping them from file names and FHIR text.
      "no-control-regex": "off",
      eqeqeq: ["error", "smart"],
    },
  },
  {
    files: ["app/**/*.tsx", "app/**/use-*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  {
    files: ["app/routes/**/*.{ts,tsx}", "app/root.tsx"],
    rules: {
      "no-restricted-imports": ["error", { patterns: DATABASE_CLIENT }],
      "no-restricted-syntax": ["error", roleComparison],
    },
  },
  {
    // Components: no I/O modules, and no rule decided by role.
    files: ["app/features/**/*.tsx", "app/ui/**/*.tsx"],
    ignores: ["app/features/**/*.server.tsx"],
    rules: {
      "no-restricted-imports": ["error", { patterns: SERVER_MODULES }],
      "no-restricted-syntax": ["error", roleComparison],
    },
  },
  {
    // Pure modules: the rules and the shapes shared by browser and server.
    files: ["app/features/**/*.ts", "app/platform/**/*.ts", "app/realtime/**/*.ts", "app/ui/**/*.ts", "app/i18n/**/*.ts", "app/seed/**/*.ts"],
    ignores: ["**/*.server.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [...SERVER_MODULES, ...IO_MODULES] }] },
  },
  {
    files: ["app/cli/**/*.ts", "server.ts", "tests/**/*.ts", "app/platform/logger.server.ts", "app/platform/startup.server.ts"],
    rules: { "no-console": "off" },
  },
  {
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  prettier,
);
