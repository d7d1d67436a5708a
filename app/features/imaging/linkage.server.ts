/**
 * PACS studies are matched to cases by an accession number or hospital patient
 * ID that the physician enters. Only a keyed hash is stored, so the database
 * never holds the identifier itself.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Db } from "~/platform/db.server";

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

export function normalizeLinkageKey(value: string): string {
  return value.trim().toUpperCase().replace(/\s+/g, "");
}

export async function linkageHash(db: Db, value: string): Promise<string> {
  const key = await installationSecret(db, "linkage-hmac");
  return createHmac("sha256", key).update(normalizeLinkageKey(value)).digest("hex");
}

/** The open case of this institution whose linkage key matches the accession number or patient ID. */
export async function caseForLinkage(db: Db, institutionId: string, values: (string | undefined)[]) {
  const hashes = await Promise.all(values.filter((v): v is string => Boolean(v && v.trim())).map((v) => linkageHash(db, v)));
  if (hashes.length === 0) return null;
  return db.case.findFirst({ where: { institutionId, linkageKeyHash: { in: hashes }, status: { not: "WITHDRAWN" } }, select: { id: true, code: true } });
}
