/**
 * Text as the FHIR R4 JSON schema accepts it. A FHIR `string` is never empty,
 * and the schema's pattern (`^[ \r\n\t\S]+$`, read with JavaScript's `\s`)
 * refuses every whitespace character but space, tab, CR and LF, such as the
 * ideographic space common in Chinese text. So control characters are
 * dropped, other spaces become plain spaces, and empty text is left out.
 * Narrative XHTML keeps the text as written. No I/O.
 */

const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
const OTHER_SPACES = /[\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]/g;

/** The text as a FHIR `string`/`markdown`, or `undefined` (left out of the JSON) when nothing remains. */
export function fhirString(value: string | null | undefined): string | undefined {
  if (value == null) return undefined;
  const text = value.replace(CONTROL_CHARACTERS, "").replace(OTHER_SPACES, " ").trim();
  return text === "" ? undefined : text;
}
