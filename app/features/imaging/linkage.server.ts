/** The installation's secrets, and the linkage keys and hashes derived from them per institution (see linkage.ts). */
import { createHmac, randomBytes } from "node:crypto";
import type { Db } from "~/platform/db.server";
import { linkageHashesOf, linkageHashWith } from "./linkage";

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

/** The institution's linkage key (hex), derived from the installation's secret; its gateway receives it. */
export async function institutionLinkageKey(db: Db, institutionId: string): Promise<string> {
  return createHmac("sha256", await installationSecret(db, "linkage-hmac"))
    .update(`linkage:${institutionId}`)
    .digest("hex");
}

export async function linkageHash(db: Db, institutionId: string, value: string): Promise<string> {
  return linkageHashWith(await institutionLinkageKey(db, institutionId), value);
}

/** The open case of this institution whose linkage key hash is one of `hashes`. */
export async function caseForLinkageHashes(db: Db, institutionId: string, hashes: string[]) {
  if (hashes.length === 0) return null;
  return db.case.findFirst({ where: { institutionId, linkageKeyHash: { in: hashes }, status: { not: "WITHDRAWN" } }, select: { id: true, code: true } });
}

/** The open case of this institution whose linkage key matches the accession number or patient ID. */
export async function caseForLinkage(db: Db, institutionId: string, values: (string | undefined)[]) {
  return caseForLinkageHashes(db, institutionId, linkageHashesOf(await institutionLinkageKey(db, institutionId), values));
}
