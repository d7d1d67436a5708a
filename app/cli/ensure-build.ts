/**
 * Used by `npm start`: builds the app when build/ is missing or older than the
 * sources, so a fresh clone starts with one command.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fingerprintFile = path.join(root, "build/.source-fingerprint");
const SOURCES = ["app", "locales", "package-lock.json", "tsconfig.json"];

function* files(entry: string): Generator<string> {
  const full = path.join(root, entry);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const child of readdirSync(full).sort()) yield* files(path.join(entry, child));
  } else {
    yield entry;
  }
}

export function sourceFingerprint(): string {
  const hash = createHash("sha256");
  for (const source of SOURCES) for (const file of files(source)) hash.update(file).update(readFileSync(path.join(root, file)));
  return hash.digest("hex");
}

const fingerprint = sourceFingerprint();
const current = existsSync(fingerprintFile) ? readFileSync(fingerprintFile, "utf8") : null;
if (current === fingerprint && existsSync(path.join(root, "build/server/index.js"))) {
  console.log("Build is up to date.");
} else {
  console.log("Building the app (first start or sources changed)...");
  const remixCli = path.join(root, "node_modules/@remix-run/dev/dist/cli.js");
  execFileSync(process.execPath, [remixCli, "vite:build", "--config", "app/vite.config.ts"], { cwd: root, stdio: "inherit" });
  execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/cli/precompress-assets.ts"], { cwd: root, stdio: "inherit" });
  writeFileSync(fingerprintFile, fingerprint);
}
