/** The live room's keyboard shortcuts and the agenda neighbours they move between. Pure. */

export type RoomShortcut = "nextCase" | "previousCase" | "toggleFollow";

/** Which shortcut each key is; the room's help lists them in this order. */
export const ROOM_SHORTCUT_KEYS: Record<string, RoomShortcut> = { n: "nextCase", p: "previousCase", f: "toggleFollow" };

const TYPING_TAGS = new Set(["INPUT", "TEXTAREA", "SELECT"]);

type KeyEvent = {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  defaultPrevented: boolean;
  /** A key held down repeats: one press is one step, never a run through the agenda. */
  repeat?: boolean;
  target: { tagName?: string; isContentEditable?: boolean } | null;
};

/** The shortcut a key press means, or null: never while typing in a field, with a modifier, for a held key's repeats, or once something else handled the key. */
export function roomShortcut(event: KeyEvent): RoomShortcut | null {
  if (event.defaultPrevented || event.repeat || event.altKey || event.ctrlKey || event.metaKey) return null;
  if (event.target && (TYPING_TAGS.has(event.target.tagName ?? "") || event.target.isContentEditable)) return null;
  return ROOM_SHORTCUT_KEYS[event.key.toLowerCase()] ?? null;
}

/** The agenda items before and after the one in focus (with none in focus, the first is next). */
export function agendaNeighbours<T extends { id: string }>(items: readonly T[], focusItemId: string | null): { previous: T | null; next: T | null } {
  const at = items.findIndex((item) => item.id === focusItemId);
  return { previous: at > 0 ? items[at - 1] : null, next: at < items.length - 1 ? items[at + 1] : null };
}
