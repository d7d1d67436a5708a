/** The coordinator's triage checklist. */
export type ChecklistItem = "consent" | "questions" | "translations" | "pathologyOrImaging";
export type Checklist = { item: ChecklistItem; ok: boolean; detail?: string[] }[];

export function completenessChecklist(c: {
  hasConsent: boolean;
  questionCount: number;
  narratives: { key: string; translationStatus: string }[];
  pathologyOrImagingCount: number;
}): Checklist {
  const untranslated = c.narratives.filter((n) => n.translationStatus === "NONE").map((n) => n.key);
  return [
    { item: "consent", ok: c.hasConsent },
    { item: "questions", ok: c.questionCount > 0 },
    { item: "translations", ok: untranslated.length === 0, detail: untranslated },
    { item: "pathologyOrImaging", ok: c.pathologyOrImagingCount > 0 },
  ];
}
