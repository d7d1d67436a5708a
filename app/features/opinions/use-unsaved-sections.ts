/** Which sections of an opinion draft hold edits not saved yet (unsaved or refused as invalid): sign-off counts them as missing, and leaving the page asks first. */
import { useCallback, useState } from "react";
import { useWarnBeforeUnload } from "~/ui/use-warn-before-unload";
import { SECTIONS, type SectionName } from "./opinion-content";

export function useUnsavedSections() {
  const [unsaved, setUnsaved] = useState<readonly SectionName[]>([]);
  const report = useCallback(
    (name: SectionName, isUnsaved: boolean) =>
      setUnsaved((current) => (current.includes(name) === isUnsaved ? current : SECTIONS.filter((s) => (s === name ? isUnsaved : current.includes(s))))),
    [],
  );
  useWarnBeforeUnload(unsaved.length > 0);
  return { unsaved, report };
}
