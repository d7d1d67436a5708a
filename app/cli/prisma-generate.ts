/**
 * Generates both Prisma clients offline. prisma/schema.prisma (SQLite) is the
 * source; the PostgreSQL schema is derived from it so the two cannot drift.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const prismaDir = fileURLToPath(new URL("../../prisma/", import.meta.url));
const source = readFileSync(`${prismaDir}schema.prisma`, "utf8");
const derivedPath = `${prismaDir}generated/schema.postgresql.prisma`;

export function derivePostgresSchema(sqliteSchema: string): string {
  const derived = sqliteSchema
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output       = "../app/generated/sqlite"', 'output       = "../../app/generated/postgresql"');
  if (derived === sqliteSchema || !derived.includes('"postgresql"') || !derived.includes("generated/postgresql")) {
    throw new Error("prisma/schema.prisma no longer has the provider/output lines this script rewrites");
  }
  return "// GENERATED from prisma/schema.prisma by app/cli/prisma-generate.ts. Do not edit.\n" + derived;
}

mkdirSync(`${prismaDir}generated`, { recursive: true });
writeFileSync(derivedPath, derivePostgresSchema(source));

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const prismaBin = fileURLToPath(new URL("../../node_modules/prisma/build/index.js", import.meta.url));
if (!existsSync(prismaBin)) throw new Error(`Prisma CLI not found at ${prismaBin}`);
for (const schema of [`${prismaDir}schema.prisma`, derivedPath]) {
  execFileSync(process.execPath, [prismaBin, "generate", "--schema", schema], { stdio: "inherit", env });
}
