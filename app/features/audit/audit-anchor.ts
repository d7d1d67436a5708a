/**
 * Anchors of the audit chain: the head (newest event id and hash) written outside the database
 * at least every minute. A database that loses its newest events, or has them rewritten along
 * with the rest of the chain, no longer holds an event an anchor names.
 */
export type AuditAnchor = { at: string; eventId: number; hash: string };

export type AnchorProblem =
  | { reason: "anchorUnreadable"; line: number }
  | { reason: "anchoredEventMissing"; eventId: number; at: string }
  | { reason: "anchoredEventChanged"; eventId: number; at: string };

export function formatAnchor(anchor: AuditAnchor): string {
  return JSON.stringify(anchor) + "\n";
}

/** The anchors in a file's text, with the line numbers of lines that are not anchors (a torn last line is ignored). */
export function parseAnchors(text: string): { anchors: AuditAnchor[]; unreadable: number[] } {
  const lines = text.split("\n");
  const torn = !text.endsWith("\n") ? lines.length : -1;
  const anchors: AuditAnchor[] = [];
  const unreadable: number[] = [];
  lines.forEach((line, index) => {
    if (line === "" || index + 1 === torn) return;
    try {
      const value = JSON.parse(line) as Partial<AuditAnchor>;
      if (typeof value.at === "string" && Number.isSafeInteger(value.eventId) && typeof value.hash === "string" && /^[0-9a-f]{64}$/.test(value.hash))
        anchors.push({ at: value.at, eventId: value.eventId!, hash: value.hash });
      else unreadable.push(index + 1);
    } catch {
      unreadable.push(index + 1);
    }
  });
  return { anchors, unreadable };
}

/** The first anchor the stored events contradict: its event gone, or a different hash under its id. */
export function checkAnchors(anchors: readonly AuditAnchor[], storedHashes: ReadonlyMap<number, string>): AnchorProblem | null {
  for (const anchor of anchors) {
    const stored = storedHashes.get(anchor.eventId);
    if (stored === undefined) return { reason: "anchoredEventMissing", eventId: anchor.eventId, at: anchor.at };
    if (stored !== anchor.hash) return { reason: "anchoredEventChanged", eventId: anchor.eventId, at: anchor.at };
  }
  return null;
}
