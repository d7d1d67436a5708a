/** Focus follows an "add a row" button to the first field of the row it added. */
import { useCallback, useEffect, useRef, type RefObject } from "react";

/** Returns `focusWhenAdded(name)`: the form's field of that name gets focus as soon as it is drawn. */
export function useFocusWhenAdded(form: RefObject<HTMLFormElement | null>): (fieldName: string) => void {
  const pending = useRef<string | null>(null);
  // After every render: the row may appear a render after the click that asked for it.
  useEffect(() => {
    const field = pending.current ? form.current?.elements.namedItem(pending.current) : null;
    if (field instanceof HTMLElement) {
      field.focus();
      pending.current = null;
    }
  });
  return useCallback((fieldName: string) => {
    pending.current = fieldName;
  }, []);
}
