/** Focus follows an "add a row" button to the first field of the row it added. */
import { useCallback, useEffect, useRef } from "react";

/**
 * Returns `focusWhenAdded(key)`: the field `find(key)` answers gets focus as soon as it is drawn. `find` looks the
 * field up in the page as it is after each render (by name in a form, say).
 */
export function useFocusWhenAdded(find: (key: string) => unknown): (key: string) => void {
  const pending = useRef<string | null>(null);
  const finder = useRef(find);
  finder.current = find;
  // After every render: the row may appear a render after the click that asked for it.
  useEffect(() => {
    const field = pending.current ? finder.current(pending.current) : null;
    if (field instanceof HTMLElement) {
      field.focus();
      pending.current = null;
    }
  });
  return useCallback((key: string) => {
    pending.current = key;
  }, []);
}
