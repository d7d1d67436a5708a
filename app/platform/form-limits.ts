/**
 * Bounds on the shape of a submitted form, checked before any form is parsed into objects: conform turns `a[100000000]`
 * into an array of that length, so one short request could otherwise exhaust the server's memory.
 */
export const FORM_LIMITS = {
  /** A urlencoded or multipart form without a file: the longest case packet is far below this. */
  bytes: 2 * 1024 * 1024,
  fields: 2_000,
  /** The highest list index any form uses (biomarkers, regimens, agenda items...) is far below this. */
  index: 499,
  nameLength: 200,
} as const;

/** Why these field names cannot belong to any of our forms, or null. */
export function formShapeProblem(names: Iterable<string>): string | null {
  let count = 0;
  for (const name of names) {
    if (++count > FORM_LIMITS.fields) return `more than ${FORM_LIMITS.fields} fields`;
    if (name.length > FORM_LIMITS.nameLength) return `a field name longer than ${FORM_LIMITS.nameLength} characters`;
    for (const match of name.matchAll(/\[([^\]]*)\]/g)) {
      if (!/^\d{1,3}$/.test(match[1]) || Number(match[1]) > FORM_LIMITS.index) return `a list index other than 0 to ${FORM_LIMITS.index}`;
    }
  }
  return null;
}
