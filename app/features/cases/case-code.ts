/** Pseudonymous case codes: TB-<year>-<number, at least 4 digits>. */
export function formatCaseCode(year: number, number: number): string {
  return `TB-${year}-${String(number).padStart(4, "0")}`;
}
