/**
 * A section's Chinese translation has the English's shape: the same items,
 * choices and codes, with each free-text string translated. The editor lists
 * the English strings by path; saving puts the translations in place on a copy
 * of the English, so the two can never disagree on anything but wording. Pure.
 */
import { otherLanguage, readerLanguage, type TextLanguage } from "~/features/translation/translated-text";

/** The parts of a section that are not translated (choices, codes, counts): they must match between English and Chinese. */
export const UNTRANSLATED_KEYS: ReadonlySet<string> = new Set([
  "agreement",
  "intent",
  "priority",
  "evidence",
  "registryId",
  "source",
  "version",
  "questionKey",
]);

export type TranslatableString = { path: string; en: string; zh: string };

function walk(value: unknown, path: string, out: { path: string; text: string }[]): void {
  if (typeof value === "string") {
    if (value.trim() !== "") out.push({ path, text: value });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, out));
  } else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) if (!UNTRANSLATED_KEYS.has(key)) walk(child, path ? `${path}.${key}` : key, out);
  }
}

function stringsOf(body: unknown): Map<string, string> {
  const out: { path: string; text: string }[] = [];
  walk(body, "", out);
  return new Map(out.map((s) => [s.path, s.text]));
}

/** Every non-empty free-text string of the English, with its current translation (when the translation still has that path). */
export function translatableStrings(en: unknown, zh: unknown): TranslatableString[] {
  const translated = zh ? stringsOf(zh) : new Map<string, string>();
  return [...stringsOf(en)].map(([path, text]) => ({ path, en: text, zh: translated.get(path) ?? "" }));
}

function replaceStrings(value: unknown, path: string, translations: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") return value.trim() === "" ? value : (translations.get(path) ?? "").trim();
  if (Array.isArray(value)) return value.map((item, i) => replaceStrings(item, `${path}[${i}]`, translations));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        UNTRANSLATED_KEYS.has(key) ? child : replaceStrings(child, path ? `${path}.${key}` : key, translations),
      ]),
    );
  }
  return value;
}

/** The Chinese body: the English with every free-text string replaced by its translation (empty where none was given). */
export function withTranslations<T>(en: T, translations: ReadonlyMap<string, string>): T {
  return replaceStrings(en, "", translations) as T;
}

/** True when every English string has a non-empty translation. */
export function translationComplete(en: unknown, zh: unknown): boolean {
  return translatableStrings(en, zh).every((s) => s.zh.trim() !== "");
}

/** A section body with no free text (only choices and codes, or nothing) reads the same in both languages and needs no translation. */
export function needsTranslation(en: unknown): boolean {
  return translatableStrings(en, null).length > 0;
}

/** The opinion's two languages in the order a reader reads them: their own first (Chinese for a Chinese reader, else English). */
export function readingOrder(interfaceLanguage: string): [TextLanguage, TextLanguage] {
  const first = readerLanguage(interfaceLanguage);
  return [first, otherLanguage(first)];
}
