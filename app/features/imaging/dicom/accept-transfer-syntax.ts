/**
 * Which transfer syntaxes a WADO-RS client accepts (PS3.18 8.7.3), in its
 * order of preference, read from the Accept header's media ranges for one
 * media type. Without a transfer-syntax parameter the default applies:
 * Explicit VR Little Endian. "*" means the syntax as stored.
 */
import { TS } from "./part10";

export const AS_STORED = "*";

export function acceptedTransferSyntaxes(accept: string | null, mediaType: "application/dicom" | "application/octet-stream"): string[] {
  if (!accept || !accept.trim()) return [TS.explicitLE];
  const ranked: { syntax: string; q: number; order: number }[] = [];
  accept.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).forEach((range, order) => {
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
