/**
 * Which transfer syntaxes a WADO-RS client accepts (PS3.18 8.7.3), in its
 * order of preference, read from the Accept header's media ranges for one
 * media type. Without a transfer-syntax parameter the default applies:
 * Explicit VR Little Endian. "*" means the syntax as stored.
 */
import { TS } from "./part10";

export const AS_STORED = "*";

/** The most media ranges of one Accept header that are read; later ones are ignored (no client needs more). */
export const MAX_MEDIA_RANGES = 64;

/**
 * The media ranges of an Accept header (RFC 9110 12.5.1), trimmed, empty list elements left out, at most
 * MAX_MEDIA_RANGES: split at commas outside quoted strings in one pass over the text. (A regular expression splitting
 * at "commas followed by an even number of quotes" looked ahead to the end at every comma: quadratic, seconds for a
 * header of many commas.)
 */
export function mediaRanges(accept: string): string[] {
  const ranges: string[] = [];
  let start = 0;
  let quoted = false;
  const push = (end: number) => {
    const range = accept.slice(start, end).trim();
    if (range) ranges.push(range);
    start = end + 1;
  };
  for (let i = 0; i < accept.length && ranges.length < MAX_MEDIA_RANGES; i++) {
    const c = accept.charCodeAt(i);
    if (quoted && c === 0x5c /* \ */) i++;
    else if (c === 0x22 /* " */) quoted = !quoted;
    else if (c === 0x2c /* , */ && !quoted) push(i);
  }
  if (ranges.length < MAX_MEDIA_RANGES && start < accept.length) push(accept.length);
  return ranges;
}

export function acceptedTransferSyntaxes(accept: string | null, mediaType: "application/dicom" | "application/octet-stream"): string[] {
  const ranges = accept ? mediaRanges(accept) : [];
  if (ranges.length === 0) return [TS.explicitLE];
  const ranked: { syntax: string; q: number; order: number }[] = [];
  ranges.forEach((range, order) => {
    const [type, ...rawParams] = range.split(";").map((p) => p.trim());
    const params = Object.fromEntries(
      rawParams.map((p) => {
        const at = p.indexOf("=");
        return at === -1
          ? [p.toLowerCase(), ""]
          : [
              p.slice(0, at).trim().toLowerCase(),
              p
                .slice(at + 1)
                .trim()
                .replace(/^"|"$/g, ""),
            ];
      }),
    );
    const q = params.q === undefined ? 1 : Number(params.q);
    if (!(q > 0)) return;
    const inner = type.toLowerCase() === "multipart/related" ? (params.type ?? "").toLowerCase() : type.toLowerCase();
    if (inner !== mediaType && inner !== "*/*" && inner !== "application/*" && inner !== "") return;
    ranked.push({
      syntax: params["transfer-syntax"] || TS.explicitLE,
      q,
      order,
    });
  });
  return ranked.sort((a, b) => b.q - a.q || a.order - b.order).map((r) => r.syntax);
}
