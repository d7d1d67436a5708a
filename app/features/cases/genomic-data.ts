/**
 * The human genetic resources guard: raw genomic data may not leave China (HGR regulations), so an
 * upload that holds sequence reads, alignments or variant calls is recognised by its content,
 * whatever its name, and refused. Interpreted results stay allowed as structured biomarkers.
 */
import { Gunzip } from "fflate";

export const RAW_GENOMIC_FORMATS = ["FASTQ", "FASTA", "SAM", "BAM", "CRAM", "VCF", "BCF"] as const;
export type RawGenomicFormat = (typeof RAW_GENOMIC_FORMATS)[number];

/** How much of an inflated gzip or BGZF (bgzip) head the guard reads. */
const INFLATED_BYTES = 4096;

const ascii = (bytes: Uint8Array, from: number, length: number) => String.fromCharCode(...bytes.subarray(from, from + length));
const NUCLEOTIDES = /^[ACGTUNRYKMSWBDHVacgtunrykmswbdhv.*-]+$/;

/** The first bytes of a gzip member, as far as they inflate; null when the head is not gzip or does not inflate. */
function inflatedHead(head: Uint8Array): Uint8Array | null {
  if (head[0] !== 0x1f || head[1] !== 0x8b) return null;
  const parts: Uint8Array[] = [];
  try {
    new Gunzip((chunk) => parts.push(chunk)).push(head, false);
  } catch {
    return null;
  }
  const out = new Uint8Array(
    Math.min(
      INFLATED_BYTES,
      parts.reduce((n, p) => n + p.length, 0),
    ),
  );
  let at = 0;
  for (const part of parts) {
    if (at >= out.length) break;
    out.set(part.subarray(0, out.length - at), at);
    at += part.length;
  }
  return out;
}

function textFormat(text: string): RawGenomicFormat | null {
  if (text.startsWith("##fileformat=VCF")) return "VCF";
  if (/^@(HD|SQ|RG|PG)\t/.test(text)) return "SAM";
  const lines = text.split(/\r?\n/);
  // FASTQ records are four lines: @id, bases, +[id], one quality character per base.
  if (lines.length >= 4 && lines[0].startsWith("@") && NUCLEOTIDES.test(lines[1]) && lines[2].startsWith("+") && lines[3].length === lines[1].length)
    return "FASTQ";
  // FASTA: a >header, then lines of bases only (at least one full line, so a short note starting with ">" is not mistaken).
  if (lines[0].startsWith(">") && lines.length >= 3 && lines[1].length >= 50 && NUCLEOTIDES.test(lines[1])) return "FASTA";
  return null;
}

/** Which raw genomic format the file's first bytes show, or null. */
export function detectRawGenomicData(head: Uint8Array): RawGenomicFormat | null {
  if (ascii(head, 0, 4) === "CRAM") return "CRAM";
  const inflated = inflatedHead(head);
  const bytes = inflated ?? head;
  if (ascii(bytes, 0, 4) === "BAM\x01") return "BAM";
  if (ascii(bytes, 0, 3) === "BCF") return "BCF";
  return textFormat(new TextDecoder("utf-8", { fatal: false }).decode(bytes));
}

export type RawGenomicRefusal = { ok: false; status: 422; errorKey: "cases:errors.rawGenomicData"; rawGenomicFormat: RawGenomicFormat };

/** The refusal an upload gets when its first bytes are raw genomic data; null when they are not. */
export function refuseRawGenomicData(head: Uint8Array): RawGenomicRefusal | null {
  const format = detectRawGenomicData(head);
  return format ? { ok: false, status: 422, errorKey: "cases:errors.rawGenomicData", rawGenomicFormat: format } : null;
}
