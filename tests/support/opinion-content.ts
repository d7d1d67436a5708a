import { SECTIONS, type OpinionContent } from "~/features/opinions/opinion-content";

/** Gives every section a reviewed "translation" that is a copy of its English, for a test to change where it matters. */
export function withReviewedCopies(opinion: OpinionContent): OpinionContent {
  for (const name of SECTIONS) {
    const section = opinion[name] as { en: unknown; zh: unknown; translationStatus: string; translatedById: string | null; translatedAt: string | null };
    section.zh = structuredClone(section.en);
    section.translationStatus = "REVIEWED";
    section.translatedById = "translator-1";
    section.translatedAt = "2026-01-05T08:00:00.000Z";
  }
  return opinion;
}
