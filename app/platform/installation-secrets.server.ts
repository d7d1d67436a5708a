/** Random secrets made once per installation and kept in the database (linkage keys, de-identification contexts, second-factor encryption). */
import { randomBytes } from "node:crypto";
import type { Db } from "./db.server";

/** A random secret made once per installation and kept in the database. */
export async function installationSecret(db: Db, name: string): Promise<string> {
  const known = secretsOf.get(db) ?? new Map<string, string>();
  secretsOf.set(db, known);
  if (!known.has(name)) known.set(name, await loadOrCreateSecret(db, name));
  return known.get(name)!;
}

/** Secrets never change once made, so each database client reads them once. */
const secretsOf = new WeakMap<Db, Map<string, string>>();

async function loadOrCreateSecret(db: Db, name: string): Promise<string> {
  const existing = await db.systemSecret.findUnique({ where: { name } });
  if (existing) return existing.value;
  try {
    return (await db.systemSecret.create({ data: { name, value: randomBytes(32).toString("hex") } })).value;
  } catch {
    return (await db.systemSecret.findUniqueOrThrow({ where: { name } })).value;
  }
}
