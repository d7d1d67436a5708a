/**
 * One model for a text that crosses sides: its original, in the language its
 * writer declared or that was detected, and its translation into the other
 * language, with who made it and when. Case narratives, the board room's
 * discussion, votes and summaries, and the words between the two sides after
 * the board (return reasons, follow-ups) all use it, so every reader gets the
 * text in their own language with the original a click away, and anything not
 * yet translated is marked as such. Pure.
 */
import { z } from "zod";
import { textLanguage } from "~/i18n/locales";
import { isUnreviewedSuggestion } from "~/features/glossary/translation-memory";

export const TEXT_LANGUAGES = ["zh-CN", "en"] as const;
export type TextLanguage = (typeof TEXT_LANGUAGES)[number];

export const TEXT_LANGUAGE_LABEL_KEYS: Record<TextLanguage, string> = {
  "zh-CN": "cases:languages.zh-CN",
  en: "cases:languages.en",
};

export function isTextLanguage(value: unknown): value is TextLanguage {
  return typeof value === "string" && (TEXT_LANGUAGES as readonly string[]).includes(value);
}

/** The language a text in `language` is translated into (anything not Chinese counts as English). */
export function otherLanguage(language: string): TextLanguage {
  return language === "zh-CN" ? "en" : "zh-CN";
}

/** The language of a text whose writer did not say: Chinese if it holds any Han character, else English. */
export function detectLanguage(text: string): TextLanguage {
  return textLanguage(text) ?? "en";
}

/** The language a reader reads in, from their interface language. */
export function readerLanguage(interfaceLanguage: string): TextLanguage {
  return interfaceLanguage.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

/** A narrative's translation is missing, a draft, or reviewed. */
export const TRANSLATION_STATUSES = ["NONE", "DRAFT", "REVIEWED"] as const;
export type TranslationStatus = (typeof TRANSLATION_STATUSES)[number];
export const TRANSLATION_STATUS_LABEL_KEYS: Record<TranslationStatus, string> = {
  NONE: "cases:translation.statusNONE",
  DRAFT: "cases:translation.statusDRAFT",
  REVIEWED: "cases:translation.statusREVIEWED",
};
export const translationStatusOf = (value: string): TranslationStatus =>
  (TRANSLATION_STATUSES as readonly string[]).includes(value) ? (value as TranslationStatus) : "NONE";

export type Translation = { text: string; byName: string | null; at: string | Date | null };

/** A text as a reader is given it: the original, its language, and the translation into the other language if there is one. */
export type TranslatedText = {
  original: string;
  originalLanguage: TextLanguage;
  translation: Translation | null;
};

/** A stored text with its translation, if any: in the language its writer declared, else as detected. */
export function translatedText(original: string, translation: Translation | null, declaredLanguage?: string): TranslatedText {
  return { original, originalLanguage: isTextLanguage(declaredLanguage) ? declaredLanguage : detectLanguage(original), translation };
}

/** What a reader is shown first: the original (written in their language), its translation, or the original marked untranslated. */
export type Reading = "original" | "translation" | "untranslated";

export function readingFor(text: Pick<TranslatedText, "originalLanguage" | "translation">, reader: TextLanguage): Reading {
  if (text.originalLanguage === reader) return "original";
  return text.translation ? "translation" : "untranslated";
}

/** A translation's text, as every form and room command takes it. */
export const TRANSLATION_MAX_LENGTH = 20_000;
export const translationText = (max: number = TRANSLATION_MAX_LENGTH) =>
  z.string({ required_error: "common:translation.textRequired" }).trim().min(1, "common:translation.textRequired").max(max, "common:translation.tooLong");

type StoredTranslation = { translationText: string | null; translationStatus: string; translatedById: string | null; translatedAt: Date | null };

/**
 * What a text keeps of its translation when its original is saved again: the
 * translation of an identical original as it was; else the translation the
 * text had, which now needs review again (a reviewed one drops back to draft);
 * else none.
 */
export function carriedTranslation(sameOriginal: StoredTranslation | undefined, samePlace: StoredTranslation | undefined): StoredTranslation {
  const carried = sameOriginal ?? (samePlace?.translationText ? samePlace : undefined);
  if (!carried) return { translationText: null, translationStatus: "NONE", translatedById: null, translatedAt: null };
  const stale = carried !== sameOriginal && carried.translationStatus === "REVIEWED";
  return {
    translationText: carried.translationText,
    translationStatus: stale ? "DRAFT" : carried.translationStatus,
    translatedById: carried.translatedById,
    translatedAt: carried.translatedAt,
  };
}

/**
 * The texts of a case that cross sides outside the board room, each stored by its own part and translated in one
 * table: a return's reason (a case transition), a follow-up's question and answer, a comment, and the packet's short
 * free texts (cases/packet-texts.ts: the row that holds one and the field's name).
 */
export const TEXT_SUBJECT_TYPES = ["RETURN_REASON", "FOLLOW_UP_QUESTION", "FOLLOW_UP_ANSWER", "COMMENT", "PACKET_FIELD"] as const;
export type TextSubjectType = (typeof TEXT_SUBJECT_TYPES)[number];
export type TextSubject = { type: TextSubjectType; id: string };
export const subjectKey = (subject: TextSubject) => `${subject.type}:${subject.id}`;

/**
 * What every translation form carries for its aids: `acceptTerm` holds the glossary terms the translator keeps a
 * different rendering of ("accept anyway"); `memorySuggestion` is the translation memory's text the editor was filled
 * with, which cannot be saved unchanged unless `memorySuggestionAccepted` says the translator checked it.
 */
export const translationAidFields = {
  acceptTerm: z.array(z.string().max(40)).max(200).default([]),
  memorySuggestion: z.string().max(TRANSLATION_MAX_LENGTH).optional(),
  memorySuggestionAccepted: z.literal("on").optional(),
};
type AidedForm = { text: string; memorySuggestion?: string; memorySuggestionAccepted?: "on" };
export const suggestionChecked = (form: AidedForm) => !isUnreviewedSuggestion(form.text, form.memorySuggestion, form.memorySuggestionAccepted === "on");
export const SUGGESTION_UNCHECKED = { path: ["text"], message: "cases:translation.memoryUnchecked" };

/** The form that translates one such text, on whichever page shows it. */
export const TextTranslationForm = z
  .object({
    intent: z.literal("translateText"),
    subjectType: z.enum(TEXT_SUBJECT_TYPES),
    subjectId: z.string().min(1).max(80),
    text: translationText(),
    ...translationAidFields,
  })
  .refine(suggestionChecked, SUGGESTION_UNCHECKED);
