/** Which series a role may see: consultants not those held back for possible burned-in text until a coordinator clears them. */
export function visibleSeries(role: string) {
  return role === "CONSULTANT" ? { OR: [{ burnedInRisk: false }, { burnedInClearedAt: { not: null } }] } : {};
}
