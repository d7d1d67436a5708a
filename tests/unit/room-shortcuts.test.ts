import { describe, expect, it } from "vitest";
import { agendaNeighbours, roomShortcut } from "~/features/boards/room/room-shortcuts";

const press = (key: string, more: Partial<Parameters<typeof roomShortcut>[0]> = {}) =>
  roomShortcut({ key, altKey: false, ctrlKey: false, metaKey: false, defaultPrevented: false, target: { tagName: "BODY" }, ...more });

describe("room shortcuts", () => {
  it("moves between cases with n and p and follows or steps away with f, in either case", () => {
    expect(press("n")).toBe("nextCase");
    expect(press("P")).toBe("previousCase");
    expect(press("f")).toBe("toggleFollow");
    expect(press("x")).toBeNull();
  });

  it("never fires while typing in a field, with a modifier, or when the viewer already used the key", () => {
    for (const tagName of ["INPUT", "TEXTAREA", "SELECT"]) expect(press("n", { target: { tagName } })).toBeNull();
    expect(press("n", { target: { tagName: "DIV", isContentEditable: true } })).toBeNull();
    expect(press("n", { ctrlKey: true })).toBeNull();
    expect(press("f", { metaKey: true })).toBeNull();
    expect(press("p", { altKey: true })).toBeNull();
    expect(press("f", { defaultPrevented: true })).toBeNull();
    // Holding n down moves one case, not through the whole agenda.
    expect(press("n", { repeat: true })).toBeNull();
  });

  it("finds the cases before and after the one in focus", () => {
    const items = [{ id: "a" }, { id: "b" }, { id: "c" }];
    expect(agendaNeighbours(items, "b")).toEqual({ previous: { id: "a" }, next: { id: "c" } });
    expect(agendaNeighbours(items, "a")).toEqual({ previous: null, next: { id: "b" } });
    expect(agendaNeighbours(items, "c")).toEqual({ previous: { id: "b" }, next: null });
    expect(agendaNeighbours(items, null)).toEqual({ previous: null, next: { id: "a" } });
  });
});
