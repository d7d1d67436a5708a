/** Pseudonymous case codes: TB-<year>-<number, at least 4 digits>. */
/** Whether a text is a case code as `formatCaseCode` writes it. */
export function isCaseCode(text: string | null): text is string {
  return text !== null && /^TB-\d{4}-\d{4,9}$/.test(text);
}

export function formatCaseCode(year: number, number: number): string {
  return `TB-${year}-${String(number).padStart(4, "0")}`;
}
