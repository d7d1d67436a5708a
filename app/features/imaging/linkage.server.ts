/** The linkage keys and hashes derived from the installation's secret per institution (see linkage.ts). */
import { createHmac } from "node:crypto";
import type { Db } from "~/platform/db.server";
import { installationSecret } from "~/platform/installation-secrets.server";
import { linkageHashesOf, linkageHashWith } from "./linkage";

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
