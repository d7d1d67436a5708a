/** What blocks signing and delivering an opinion, as errors keyed by field path. Pure. */
import type { FieldProblems } from "~/features/cases/case-packet";
import { needsTranslation, translationComplete, UNTRANSLATED_KEYS } from "./opinion-translation";
import { filled, questionsOf, SECTIONS, type CaseQuestion, type OpinionContent, type Section, type SectionName } from "./opinion-content";

/**
 * Everything that must be true before a consultant may sign, as errors keyed
 * by field path (`plan.items[0].evidence`, `answers.question.01`); the section
 * is the first segment. Empty when the opinion may be signed.
 */
export function signingProblems(content: OpinionContent, questions: readonly CaseQuestion[]): FieldProblems {
  const problems: FieldProblems = {};
  const add = (field: string, key: string) => (problems[field] ??= []).push(key);

  for (const part of ["diagnosis", "stage"] as const) {
    const { agreement, comment } = content.diagnosis.en[part];
    if (!agreement) add(`diagnosis.${part}.agreement`, "opinions:errors.agreementRequired");
    else if (agreement !== "AGREE" && !filled(comment)) add(`diagnosis.${part}.comment`, "opinions:errors.commentRequired");
  }

  const plan = content.plan.en.items;
  if (plan.length === 0) add("plan.items", "opinions:errors.planRequired");
  plan.forEach((item, i) => {
    if (!filled(item.treatment)) add(`plan.items[${i}].treatment`, "opinions:errors.treatmentRequired");
    if (!item.intent) add(`plan.items[${i}].intent`, "opinions:errors.intentRequired");
    if (!item.evidence) add(`plan.items[${i}].evidence`, "opinions:errors.evidenceRequired");
  });

  content.workup.en.items.forEach((item, i) => {
    if (!filled(item)) add(`workup.items[${i}]`, "opinions:errors.itemEmpty");
  });
  content.trials.en.items.forEach((trial, i) => {
    if (!filled(trial.description) && !filled(trial.registryId)) add(`trials.items[${i}]`, "opinions:errors.itemEmpty");
  });
  content.references.en.items.forEach((ref, i) => {
    if (!filled(ref.version)) add(`references.items[${i}].version`, "opinions:errors.guidelineVersionRequired");
    if (!filled(ref.section)) add(`references.items[${i}].section`, "opinions:errors.guidelineSectionRequired");
  });
  content.dissent.en.items.forEach((item, i) => {
    if (!filled(item)) add(`dissent.items[${i}]`, "opinions:errors.itemEmpty");
  });

  const asked = questionsOf(questions);
  const answers = content.answers.en.items;
  for (const question of asked) {
    const found = answers.filter((a) => a.questionKey === question.key);
    if (!found.some((a) => filled(a.answer))) add(`answers.${question.key}`, "opinions:errors.answerRequired");
    if (found.length > 1) add(`answers.${question.key}`, "opinions:errors.answerDuplicate");
  }
  for (const answer of answers) {
    if (!asked.some((q) => q.key === answer.questionKey)) add(`answers.${answer.questionKey}`, "opinions:errors.answerUnknownQuestion");
  }
  return problems;
}

function skeleton(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(skeleton);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, UNTRANSLATED_KEYS.has(k) ? (v ?? null) : skeleton(v)]),
    );
  }
  return typeof value === "string" ? "" : (value ?? null);
}

/** True when the Chinese translation has the same items, choices and codes as the English. */
export function translationMatches(section: Section<SectionName>): boolean {
  return section.zh !== null && JSON.stringify(skeleton(section.en)) === JSON.stringify(skeleton(section.zh));
}

/**
 * What blocks delivery of a signed opinion, keyed by section: every section's
 * Chinese translation must be reviewed and in step with the English, unless
 * the coordinator decided to deliver in English only.
 */
export function deliveryProblems(content: OpinionContent, options: { englishOnly: boolean }): FieldProblems {
  const problems: FieldProblems = {};
  if (options.englishOnly) return problems;
  const add = (field: string, key: string) => (problems[field] ??= []).push(key);
  for (const name of SECTIONS) {
    const section = content[name] as Section<SectionName>;
    if (!needsTranslation(section.en)) continue;
    if (section.zh === null || section.translationStatus === "NONE") add(name, "opinions:errors.translationMissing");
    else if (section.translationStatus !== "REVIEWED") add(name, "opinions:errors.translationNotReviewed");
    else if (!translationMatches(section)) add(name, "opinions:errors.translationMismatch");
    else if (!translationComplete(section.en, section.zh)) add(name, "opinions:errors.translationIncomplete");
  }
  return problems;
}
