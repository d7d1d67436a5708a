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

/** `deidentified`: the file was de-identified before it arrived (in the uploader's browser) and is only checked. */
export function prepareInstance(input: Uint8Array, ctx: DeidContext, deidentified = false): PreparedInstance {
  const prepared = deidentified ? checkDeidentified(input, ctx) : deidentifyFile(input, ctx);
  if (!prepared.ok) return prepared;
  return { ...prepared, sha256: createHash("sha256").update(prepared.bytes).digest("hex") };
}
