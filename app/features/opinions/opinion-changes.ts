/**
 * What an amendment changed: every field of the English or the Chinese whose
 * value differs from the version it replaces, with both values, so recipients
 * see the old and the new side by side. Pure.
 */
import { canonicalJson } from "~/platform/canonical-json";
import { SECTIONS, type OpinionContent, type SectionName } from "./opinion-content";

export type OpinionChange = { section: SectionName; language: "en" | "zh"; path: string; before: string; after: string };

function leaves(value: unknown, path: string, out: Map<string, string>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) value.forEach((item, i) => leaves(item, `${path}[${i}]`, out));
  else if (typeof value === "object" && !("system" in value && "level" in value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, path ? `${path}.${key}` : key, out);
  } else {
    const text = typeof value === "object" ? `${(value as { system: string }).system} ${(value as { level: string }).level}` : String(value);
    if (text.trim() !== "") out.set(path, text);
  }
}

export function opinionChanges(before: OpinionContent, after: OpinionContent): OpinionChange[] {
  const changes: OpinionChange[] = [];
  for (const section of SECTIONS) {
    for (const language of ["en", "zh"] as const) {
      const was = before[section][language];
      const now = after[section][language];
      if (canonicalJson(was) === canonicalJson(now)) continue;
      const old = new Map<string, string>();
      const next = new Map<string, string>();
      leaves(was, "", old);
      leaves(now, "", next);
      for (const path of new Set([...old.keys(), ...next.keys()])) {
        const b = old.get(path) ?? "";
        const a = next.get(path) ?? "";
        if (a !== b) changes.push({ section, language, path, before: b, after: a });
      }
    }
  }
  return changes;
}
