/**
 * The narrative of a signed opinion for its FHIR export: each section as one
 * XHTML `div` holding the English original and the Chinese translation side by
 * side, each marked with its language. Labels come from the `pdf` namespace,
 * the same words the printed opinion uses. No I/O.
 */
import { element, languageBlock, narrativeDiv, xhtmlText } from "./fhir-xhtml";
import { needsTranslation } from "~/features/opinions/opinion-translation";
import { filled, type CaseQuestion, type OpinionContent, type PlanItem, type SectionBody, type SectionName } from "~/features/opinions/opinion-content";

/** A translation function fixed to one language, such as i18next's `getFixedT("zh-CN")`. */
export type Translate = (key: string, values?: Record<string, string | number>) => string;
export type BilingualLabels = { en: Translate; zh: Translate };

/** The BCP 47 tags the two languages are marked with. */
export const LANGUAGE_TAGS = { en: "en", zh: "zh-CN" } as const;

/** A bold label followed by its escaped value. */
export function labelled(label: string, value: string): string {
  return `${element("b", xhtmlText(label))} ${xhtmlText(value)}`;
}

/** A list of XHTML fragments, or nothing when there are none. */
export function list(tag: "ul" | "ol", items: readonly string[]): string {
  return items.length ? element(tag, items.map((i) => element("li", i)).join("")) : "";
}

const none = (t: Translate) => element("p", xhtmlText(t("pdf:none")));

function diagnosisXhtml(body: SectionBody<"diagnosis">, t: Translate): string {
  const agreement = (a: SectionBody<"diagnosis">["diagnosis"]) =>
    [a.agreement ? t(`pdf:agreement.${a.agreement}`) : t("pdf:agreement.notStated"), a.comment].filter(filled).join(" — ");
  return [
    element("p", labelled(t("pdf:diagnosis.diagnosis"), agreement(body.diagnosis))),
    element("p", labelled(t("pdf:diagnosis.stage"), agreement(body.stage))),
    filled(body.comment) ? element("p", labelled(t("pdf:diagnosis.comment"), body.comment)) : "",
  ].join("");
}

function planItemXhtml(item: PlanItem, t: Translate): string {
  const details = [
    filled(item.regimen) ? labelled(t("pdf:plan.regimen"), item.regimen) : "",
    item.intent ? labelled(t("pdf:plan.intent"), t(`pdf:intent.${item.intent}`)) : "",
    item.priority ? labelled(t("pdf:plan.priority"), String(item.priority)) : "",
    item.evidence ? labelled(t("pdf:plan.evidence"), t(`pdf:evidence.${item.evidence.system}`, { level: item.evidence.level })) : "",
    filled(item.rationale) ? labelled(t("pdf:plan.rationale"), item.rationale) : "",
  ].filter(Boolean);
  return labelled(t("pdf:plan.treatment"), item.treatment) + list("ul", details);
}

function planXhtml(body: SectionBody<"plan">, t: Translate): string {
  const summary = filled(body.summary) ? element("p", labelled(t("pdf:plan.summary"), body.summary)) : "";
  const items = list(
    "ol",
    body.items.map((item) => planItemXhtml(item, t)),
  );
  return summary + items || none(t);
}

function textItemsXhtml(items: readonly string[], t: Translate): string {
  return list("ul", items.filter(filled).map(xhtmlText)) || none(t);
}

function trialsXhtml(body: SectionBody<"trials">, t: Translate): string {
  const items = body.items
    .filter((trial) => filled(trial.description) || filled(trial.registryId))
    .map((trial) =>
      [xhtmlText(trial.description), filled(trial.registryId) ? labelled(t("pdf:trials.registryId"), trial.registryId) : ""].filter(Boolean).join(" "),
    );
  return list("ul", items) || none(t);
}

function referencesXhtml(body: SectionBody<"references">, t: Translate): string {
  const items = body.items.map((ref) =>
    [
      xhtmlText(ref.source),
      filled(ref.version) ? labelled(t("pdf:references.version"), ref.version) : "",
      filled(ref.section) ? labelled(t("pdf:references.section"), ref.section) : "",
    ]
      .filter(Boolean)
      .join(" "),
  );
  return list("ul", items) || none(t);
}

/** Each of the physician's questions, in the order asked, with its answer. */
function answersXhtml(body: SectionBody<"answers">, questions: readonly CaseQuestion[], t: Translate): string {
  const blocks = questions.map((question, index) => {
    const answer = body.items.find((a) => a.questionKey === question.key)?.answer;
    return (
      element("p", labelled(t("pdf:answers.question", { number: index + 1 }), question.text)) +
      element("p", xhtmlText(answer && filled(answer) ? answer : t("pdf:answers.noAnswer")))
    );
  });
  return blocks.join("") || none(t);
}

function sectionBodyXhtml<S extends SectionName>(name: S, body: SectionBody<S>, questions: readonly CaseQuestion[], t: Translate): string {
  switch (name) {
    case "diagnosis":
      return diagnosisXhtml(body as SectionBody<"diagnosis">, t);
    case "plan":
      return planXhtml(body as SectionBody<"plan">, t);
    case "workup":
    case "dissent":
      return textItemsXhtml((body as SectionBody<"workup" | "dissent">).items, t);
    case "trials":
      return trialsXhtml(body as SectionBody<"trials">, t);
    case "references":
      return referencesXhtml(body as SectionBody<"references">, t);
    case "answers":
      return answersXhtml(body as SectionBody<"answers">, questions, t);
    default:
      throw new Error(`Unknown opinion section: ${String(name)}`);
  }
}

/** One opinion section in English and in Chinese; without a translation, the Chinese part says why. */
export function opinionSectionDiv(
  name: SectionName,
  content: OpinionContent,
  questions: readonly CaseQuestion[],
  englishOnly: boolean,
  labels: BilingualLabels,
): string {
  const section = content[name];
  const en = sectionBodyXhtml(name, section.en, questions, labels.en);
  const zh = section.zh
    ? sectionBodyXhtml(name, section.zh, questions, labels.zh)
    : !needsTranslation(section.en)
      ? sectionBodyXhtml(name, section.en, questions, labels.zh)
      : element("p", xhtmlText(labels.zh(englishOnly ? "pdf:englishOnly" : "pdf:translationMissing")));
  return narrativeDiv(languageBlock(LANGUAGE_TAGS.en, en) + languageBlock(LANGUAGE_TAGS.zh, zh));
}

/** Label/value lines in both languages, for the parts of the opinion that are not sections (signatures, amendment, follow-ups). */
export function bilingualDiv(render: (t: Translate, language: keyof BilingualLabels) => string, labels: BilingualLabels): string {
  return narrativeDiv(languageBlock(LANGUAGE_TAGS.en, render(labels.en, "en")) + languageBlock(LANGUAGE_TAGS.zh, render(labels.zh, "zh")));
}
