/**
 * PACS studies are matched to cases by an accession number or hospital patient ID that the physician enters. Only a keyed
 * hash of it is kept or sent. The key is the institution's own, so the platform and that institution's on-premise gateway
 * compute the same hash, and no institution's gateway can compute another's.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";

export const LINKAGE_HASH = /^[0-9a-f]{64}$/;

export function normalizeLinkageKey(value: string): string {
  return value.trim().toUpperCase().replace(/\s+/g, "");
}

/** The keyed hash of an accession number or patient ID under the institution's linkage key (hex). */
export function linkageHashWith(institutionKey: string, value: string): string {
  return bytesToHex(hmac(sha256, hexToBytes(institutionKey), utf8ToBytes(normalizeLinkageKey(value))));
}

/** The hashes of the accession number and patient ID an instance carries, as they are matched to cases. */
export function linkageHashesOf(institutionKey: string, values: (string | undefined)[]): string[] {
  return values.filter((v): v is string => Boolean(v && normalizeLinkageKey(v))).map((v) => linkageHashWith(institutionKey, v));
}
