/** Drafting together: each section carries a version, and an edit made on an older version is a conflict, never a silent overwrite. Pure. */
import { canonicalJson } from "~/platform/canonical-json";
import type { Section, SectionName } from "./opinion-content";

export type Versioned<T> = { version: number; content: T };
export type SectionEditResult<T> = { ok: true; next: Versioned<T> } | { ok: false; conflict: { theirs: Versioned<T>; yours: T } };

/**
 * Applies one consultant's edit of a section made on top of `baseVersion`.
 * An edit on the current version is accepted and bumps the version; an edit on
 * an older (or unknown) version is a conflict that returns both texts, so the
 * editor merges by hand and nothing is silently overwritten. An edit that
 * changes nothing (or repeats what the other side already saved) is accepted
 * without a new version.
 */
export function applySectionEdit<T>(current: Versioned<T>, edit: { baseVersion: number; content: T }): SectionEditResult<T> {
  if (canonicalJson(edit.content) === canonicalJson(current.content)) return { ok: true, next: current };
  if (edit.baseVersion !== current.version) return { ok: false, conflict: { theirs: current, yours: edit.content } };
  return { ok: true, next: { version: current.version + 1, content: edit.content } };
}

/**
 * As for case narratives: when an edit changes the English of a section but
 * not its Chinese, a reviewed translation (now of the old English) goes back
 * to DRAFT: kept, but to be reviewed again. Apply to an edit before saving it.
 */
export function withStaleTranslation<S extends Section<SectionName>>(previous: S, next: S): S {
  if (next.translationStatus !== "REVIEWED") return next;
  if (canonicalJson(previous.en) === canonicalJson(next.en) || canonicalJson(previous.zh) !== canonicalJson(next.zh)) return next;
  return { ...next, translationStatus: "DRAFT" };
}
