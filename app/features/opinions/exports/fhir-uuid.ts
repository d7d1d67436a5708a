/**
 * Name-based UUIDs (RFC 4122 version 5: SHA-1 of a namespace and a name) for
 * the `urn:uuid:` full URLs of exported FHIR resources, so exporting the same
 * record twice gives the same URLs. Pure computation; no I/O.
 */
import { createHash } from "node:crypto";

/** This platform's namespace for FHIR resource UUIDs; fixed forever, or re-exports stop matching. */
export const FHIR_UUID_NAMESPACE = "92291ac0-8e48-4048-8645-d1bdb8cb7dd2";

export function uuidV5(name: string, namespace: string = FHIR_UUID_NAMESPACE): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ""), "hex");
  if (namespaceBytes.length !== 16) throw new Error(`Not a UUID: ${namespace}`);
  const bytes = createHash("sha1").update(namespaceBytes).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The full URL of one exported resource, e.g. `urn:uuid:…` for `Composition/<opinion id>`. */
export function resourceUrn(resourceType: string, id: string): string {
  return `urn:uuid:${uuidV5(`${resourceType}/${id}`)}`;
}
