/** One clinical text in its original language beside its translation, with the translation editor. */
import { getFormProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { missingRenderings } from "~/features/glossary/glossary-check";
import { GlossaryCheck, MarkedOriginal, MemorySuggestionNote, type TranslationAid } from "~/features/glossary/translation-aids";
import {
  isTextLanguage,
  otherLanguage,
  TEXT_LANGUAGE_LABEL_KEYS,
  TRANSLATION_STATUS_LABEL_KEYS,
  translationStatusOf,
} from "~/features/translation/translated-text";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { formatDateTime } from "~/ui/format";
import { TranslationForm } from "./case-forms";

const FIELD_KEYS: Record<string, string> = { clinicalHistory: "cases:form.clinicalHistory", comorbidities: "cases:form.comorbidities" };

type Narrative = {
  key: string;
  originalLanguage: string;
  originalText: string;
  translationText: string | null;
  translationStatus: string;
  translatedBy: string | null;
  translatedAt: Date | null;
};

/**
 * One clinical text in its original language beside its translation, with the translation editor. For a translator
 * (`aid` given) the original's glossary terms are marked, checked live against the translation being typed, and an
 * untranslated text starts from the translation memory's suggestion.
 */
export function NarrativeView({
  narrative,
  aid,
  lastResult,
  timeZone,
}: {
  narrative: Narrative;
  aid: TranslationAid | undefined;
  lastResult: SubmissionResult<string[]> | undefined;
  timeZone: string;
}) {
  const { t, i18n } = useTranslation();
  const navigation = useNavigation();
  const originalLanguage = isTextLanguage(narrative.originalLanguage) ? narrative.originalLanguage : "zh-CN";
  const targetLanguage = otherLanguage(originalLanguage);
  const suggestion = aid?.suggestion ?? null;
  const startText = narrative.translationText ?? suggestion?.text ?? "";
  const submittedText = lastResult?.initialValue?.text;
  const [draft, setDraft] = useState(typeof submittedText === "string" ? submittedText : startText);
  const [suggestionAccepted, setSuggestionAccepted] = useState(false);
  // Opened by a refused save, the editor stays open when the error clears as the translator types.
  const [editorOpen, setEditorOpen] = useState(false);
  const translated = draft.trim() !== "";
  const missing = aid && translated ? missingRenderings(aid.terms, draft, targetLanguage) : [];
  const title = narrative.key.startsWith("question.")
    ? t("cases:form.questionN", { n: Number(narrative.key.slice("question.".length)) })
    : t(FIELD_KEYS[narrative.key] ?? "cases:form.clinicalHistory");
  const status = TRANSLATION_STATUS_LABEL_KEYS[translationStatusOf(narrative.translationStatus)];
  const [form, fields] = useForm<z.input<typeof TranslationForm>>({
    id: `translation-${narrative.key}`,
    lastResult,
    constraint: getZodConstraint(TranslationForm),
    defaultValue: { text: startText, status: narrative.translationStatus === "REVIEWED" ? "REVIEWED" : "DRAFT" },
    shouldValidate: "onBlur",
    // After a refused save, errors change as the translator types, not on the blur of the click on Save: the error
    // vanishing then would move the button from under the pointer and lose the click.
    shouldRevalidate: "onInput",
    // Validated in the page: a server round trip on blur would race the click on the button that caused the blur.
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TranslationForm }),
  });
  return (
    <section className="narrative" aria-label={title}>
      <h3>{title}</h3>
      <div className="side-by-side">
        <div>
          <p className="lang-label">{t("cases:translation.original", { language: t(TEXT_LANGUAGE_LABEL_KEYS[originalLanguage]) })}</p>
          {aid ? (
            <MarkedOriginal
              text={narrative.originalText}
              language={narrative.originalLanguage}
              terms={aid.terms}
              occurrences={aid.occurrences}
              missingIds={new Set(missing.map((term) => term.id))}
            />
          ) : (
            <p lang={narrative.originalLanguage} className="narrative-text">
              {narrative.originalText}
            </p>
          )}
        </div>
        <div>
          <p className="lang-label">
            {t("cases:translation.translation")} · <span className={`translation-${narrative.translationStatus}`}>{t(status)}</span>
          </p>
          {narrative.translationText ? (
            <p lang={targetLanguage} className="narrative-text">
              {narrative.translationText}
            </p>
          ) : (
            <p className="muted">{t("cases:translation.missing")}</p>
          )}
          {narrative.translatedBy && narrative.translatedAt && (
            <p className="muted small">
              {t("cases:translation.by", { name: narrative.translatedBy, time: formatDateTime(narrative.translatedAt, i18n.language, timeZone) })}
            </p>
          )}
        </div>
      </div>
      {aid && (
        <details
          className="translation-editor"
          open={editorOpen || Boolean(form.errors?.length || fields.text.errors?.length)}
          onToggle={(event) => setEditorOpen(event.currentTarget.open)}
        >
          <summary>
            {narrative.translationText
              ? t("cases:translation.edit")
              : suggestion
                ? t("cases:translation.addSuggested", { match: suggestion.match })
                : t("cases:translation.add")}
          </summary>
          <Form method="post" preventScrollReset {...getFormProps(form)}>
            <input type="hidden" name="intent" value="translate" />
            <input type="hidden" name="key" value={narrative.key} />
            <div className="field">
              <label htmlFor={fields.text.id}>{t("cases:translation.textLabel", { title })}</label>
              <textarea {...getTextareaProps(fields.text)} lang={targetLanguage} rows={4} onInput={(event) => setDraft(event.currentTarget.value)} />
              <FieldErrors field={fields.text} />
            </div>
            {suggestion && <MemorySuggestionNote suggestion={suggestion} draft={draft} accepted={suggestionAccepted} onAccept={setSuggestionAccepted} />}
            <GlossaryCheck
              terms={aid.terms}
              translated={translated}
              missing={missing}
              accepted={aid.accepted}
              targetLanguage={targetLanguage}
              timeZone={timeZone}
            />
            <div className="field">
              <label htmlFor={fields.status.id}>{t("cases:translation.statusLabel")}</label>
              <select {...getSelectProps(fields.status)}>
                <option value="DRAFT">{t(TRANSLATION_STATUS_LABEL_KEYS.DRAFT)}</option>
                <option value="REVIEWED">{t(TRANSLATION_STATUS_LABEL_KEYS.REVIEWED)}</option>
              </select>
            </div>
            <FormErrors errors={form.errors} />
            <button type="submit" className="button-secondary" disabled={navigation.state !== "idle"}>
              {t("cases:translation.save", { title })}
            </button>
          </Form>
        </details>
      )}
    </section>
  );
}
