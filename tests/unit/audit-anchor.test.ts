import { describe, expect, it } from "vitest";
import { checkAnchors, formatAnchor, parseAnchors } from "~/features/audit/audit-anchor";

const hash = (c: string) => c.repeat(64);
const first = { at: "2026-12-04T01:00:00.000Z", eventId: 10, hash: hash("a") };
const second = { at: "2026-12-04T01:01:00.000Z", eventId: 14, hash: hash("b") };

describe("audit anchors", () => {
  it("reads back what it writes, ignores a torn last line and names an edited one", () => {
    const text = formatAnchor(first) + formatAnchor(second);
    expect(parseAnchors(text)).toEqual({ anchors: [first, second], unreadable: [] });
    expect(parseAnchors(text + '{"at":"2026-12-04T01:0')).toEqual({ anchors: [first, second], unreadable: [] });
    expect(parseAnchors(formatAnchor(first) + "tampered\n" + formatAnchor(second)).unreadable).toEqual([2]);
    expect(parseAnchors(formatAnchor({ ...first, hash: "not a hash" })).unreadable).toEqual([1]);
  });

  it("names the first anchor whose event is gone or has another hash", () => {
    const stored = new Map([
      [10, hash("a")],
      [14, hash("b")],
    ]);
    expect(checkAnchors([first, second], stored)).toBeNull();
    expect(checkAnchors([first, second], new Map([[10, hash("a")]]))).toEqual({ reason: "anchoredEventMissing", eventId: 14, at: second.at });
    expect(checkAnchors([first, second], new Map([...stored, [10, hash("c")]]))).toEqual({ reason: "anchoredEventChanged", eventId: 10, at: first.at });
  });
});
