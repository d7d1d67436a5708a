/** A table wider than a narrow screen scrolls sideways inside this box instead of widening the page. */
import type { ReactNode } from "react";

/** The box takes focus, named by `label`, so a keyboard can scroll it too; a group, not a landmark, as there are many. */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="group" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
