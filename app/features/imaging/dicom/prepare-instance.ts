/**
 * One incoming file, start to finish, in memory, on the server: de-identified (deidentify-file.ts), or, for a file the
 * uploader's browser de-identified, checked against the profile and the case's seal and kept byte for byte; then hashed.
 * Nothing identifiable leaves this function except the linkage values the caller hashes. Rejections carry a reason code
 * for the user's language.
 */
import { createHash } from "node:crypto";
import { burnedInRisk, type DeidContext } from "./deidentify";
import { deidentifyFile, indexOf, withParsedFile, type DeidentifiedFile, type Rejection } from "./deidentify-file";
import { deidentificationProblems } from "./deid-verify";

export type { RejectionReason } from "./deidentify-file";
export type PreparedFile = DeidentifiedFile & { sha256: string };
export type PreparedInstance = PreparedFile | Rejection;

function checkDeidentified(input: Uint8Array, ctx: DeidContext): DeidentifiedFile | Rejection {
  return withParsedFile(input, (parsed) => {
    const indexed = indexOf(parsed);
    if (!indexed.ok) return { ok: false, reason: indexed.reason, detail: indexed.detail };
    const problems = deidentificationProblems(parsed, ctx);
    if (problems.length > 0) {
      const reason = problems.some((p) => p.kind === "identifying") ? "stillIdentifying" : "otherContext";
      return {
        ok: false,
        reason,
        detail: problems
          .slice(0, 5)
          .map((p) => `${p.tag} ${p.detail}`)
          .join("; "),
      };
    }
    return { ok: true, bytes: input, index: indexed.index, transferSyntax: parsed.transferSyntax, burnedInRisk: burnedInRisk(parsed.dataset), linkage: {} };
  });
}

/**
 * A document the platform wrote itself from the case's de-identified instances (structured-report-writer.ts: measurement
 * reports, key object selections): indexed as it is, since its patient and study attributes are the case's already.
 */
function indexGenerated(input: Uint8Array): DeidentifiedFile | Rejection {
  return withParsedFile(input, (parsed) => {
    const indexed = indexOf(parsed);
    if (!indexed.ok) return { ok: false, reason: indexed.reason, detail: indexed.detail };
    return { ok: true, bytes: input, index: indexed.index, transferSyntax: parsed.transferSyntax, burnedInRisk: false, linkage: {} };
  });
}

/** How a file reaches the case: de-identified here, de-identified in the uploader's browser (only checked), or written by the platform. */
export type PrepareMode = "deidentify" | "check" | "generated";

export function prepareInstance(input: Uint8Array, ctx: DeidContext, mode: PrepareMode = "deidentify"): PreparedInstance {
  const prepared = mode === "check" ? checkDeidentified(input, ctx) : mode === "generated" ? indexGenerated(input) : deidentifyFile(input, ctx);
  if (!prepared.ok) return prepared;
  return { ...prepared, sha256: createHash("sha256").update(prepared.bytes).digest("hex") };
}
