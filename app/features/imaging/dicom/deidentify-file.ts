/**
 * One file in, one de-identified file out, in memory and without Node modules: parse it defensively, de-identify it, check it
 * is a usable instance, and encode the result. The server's ingest (prepare-instance.ts) and the browser's upload worker both
 * run it, so a file is refused for the same reasons in either place.
 */
import { deidentify, type DeidContext } from "./deidentify";
import { dictionaryVr } from "./deid-profile";
import { indexInstance, type IndexRejection, type InstanceIndex } from "./instance-index";
import { DicomParseError, parsePart10, TS, writePart10, type DicomErrorCode, type Part10 } from "./part10";

export type RejectionReason = DicomErrorCode | IndexRejection | "stillIdentifying" | "otherContext";
export type Rejection = { ok: false; reason: RejectionReason; detail: string };
export type DeidentifiedFile = {
  ok: true;
  bytes: Uint8Array;
  index: InstanceIndex;
  transferSyntax: string;
  burnedInRisk: boolean;
  linkage: { accessionNumber?: string; patientId?: string };
};

/** Runs `step` on the parsed file, turning parse errors into rejections with their reason. */
export function withParsedFile<T>(input: Uint8Array, step: (parsed: Part10) => T | Rejection): T | Rejection {
  try {
    return step(parsePart10(input, dictionaryVr));
  } catch (error) {
    if (error instanceof DicomParseError) return { ok: false, reason: error.code, detail: error.message };
    if (error instanceof RangeError) return { ok: false, reason: "truncated", detail: error.message };
    throw error;
  }
}

export function indexOf(file: Part10) {
  return indexInstance(file.dataset, file.transferSyntax !== TS.explicitBE, file.transferSyntax);
}

export function deidentifyFile(input: Uint8Array, ctx: DeidContext): DeidentifiedFile | Rejection {
  return withParsedFile(input, (parsed) => {
    const outcome = deidentify(parsed, ctx);
    const indexed = indexOf(outcome.file);
    if (!indexed.ok) return { ok: false, reason: indexed.reason, detail: indexed.detail };
    return {
      ok: true,
      bytes: writePart10(outcome.file),
      index: indexed.index,
      transferSyntax: parsed.transferSyntax,
      burnedInRisk: outcome.burnedInRisk,
      linkage: outcome.linkage,
    };
  });
}
