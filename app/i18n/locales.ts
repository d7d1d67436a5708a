/** The supported languages, the namespaces of locales/, and the language switch's form. */
import { z } from "zod";

export const SUPPORTED_LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const NAMESPACES = ["common", "auth", "home", "admin", "cases", "imaging", "room", "sessions", "opinions", "reports", "search", "pdf"] as const;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/**
 * The language a free text is written in: Chinese when it has a Han character, English when it has a Latin word (two
 * letters or more, not all capitals), else none: gene symbols, variants and numbers such as "EGFR", "L858R" or "TPS 60%".
 */
export function textLanguage(text: string): Locale | null {
  if (/\p{Script=Han}/u.test(text)) return "zh-CN";
  const latinWord = (text.match(/\p{Script=Latin}+/gu) ?? []).some((word) => word.length > 1 && word !== word.toUpperCase());
  return latinWord ? "en" : null;
}

export const LOCALE_NAMES: Record<Locale, string> = { en: "English", "zh-CN": "中文" };

/** The header's language switch: the language chosen (anything else leaves the language as it is). */
export const LanguageChoice = z.object({ lng: z.enum(SUPPORTED_LOCALES) });
