/**
 * One incoming file, start to finish, in memory: parse it defensively,
 * de-identify it, check it is a usable instance, and encode the result.
 * Nothing identifiable leaves this function except the linkage values the
 * caller hashes. Rejections carry a reason code for the user's language.
 */
import { createHash } from "node:crypto";
import { deidentify, type DeidContext } from "./deidentify";
import { dictionaryVr } from "./deid-profile";
import { indexInstance, type IndexRejection, type InstanceIndex } from "./instance-index";
import { DicomParseError, parsePart10, TS, writePart10, type DicomErrorCode } from "./part10";

export type RejectionReason = DicomErrorCode | IndexRejection;
export type PreparedInstance =
  | {
      ok: true;
      bytes: Uint8Array;
      sha256: string;
      index: InstanceIndex;
      transferSyntax: string;
      burnedInRisk: boolean;
      linkage: { accessionNumber?: string; patientId?: string };
    }
  | { ok: false; reason: RejectionReason; detail: string };

export function prepareInstance(input: Uint8Array, ctx: DeidContext): PreparedInstance {
  try {
    const parsed = parsePart10(input, dictionaryVr);
    const outcome = deidentify(parsed, ctx);
    const indexed = indexInstance(outcome.file.dataset, parsed.transferSyntax !== TS.explicitBE, parsed.transferSyntax);
    if (!indexed.ok) return { ok: false, reason: indexed.reason, detail: indexed.detail };
    const bytes = writePart10(outcome.file);
    return {
      ok: true,
      bytes,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      index: indexed.index,
      transferSyntax: parsed.transferSyntax,
      burnedInRisk: outcome.burnedInRisk,
      linkage: outcome.linkage,
    };
  } catch (error) {
    if (error instanceof DicomParseError) return { ok: false, reason: error.code, detail: error.message };
    if (error instanceof RangeError) return { ok: false, reason: "truncated", detail: error.message };
    throw error;
  }
}
