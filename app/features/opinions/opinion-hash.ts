/**
 * The hash stored with a signed opinion: SHA-256 over the canonical JSON of
 * its content (object keys in a stable order), so the same content always
 * gives the same hash and any change to signed content shows. Pure
 * computation, like the audit chain; no I/O.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "~/platform/canonical-json";
import type { OpinionContent } from "./opinion-content";

export function opinionContentHash(content: OpinionContent): string {
  return createHash("sha256").update(canonicalJson(content), "utf8").digest("hex");
}
