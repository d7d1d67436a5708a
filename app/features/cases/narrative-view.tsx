/** One clinical text in its original language beside its translation, with the translation editor. */
import { getFormProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { labelKeys, NARRATIVE_LANGUAGES } from "~/features/cases/clinical-vocabulary";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { formatDateTime } from "~/ui/format";
import { TranslationForm } from "./case-forms";

const LANGUAGE_KEYS = labelKeys("languages", NARRATIVE_LANGUAGES);

const STATUS_KEYS = { NONE: "cases:translation.statusNONE", DRAFT: "cases:translation.statusDRAFT", REVIEWED: "cases:translation.statusREVIEWED" } as const;
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

/** One clinical text in its original language beside its translation, with the translation editor. */
export function NarrativeView({
  narrative,
  canTranslate,
  lastResult,
  timeZone,
}: {
  narrative: Narrative;
  canTranslate: boolean;
  lastResult: SubmissionResult<string[]> | undefined;
  timeZone: string;
}) {
  const { t, i18n } = useTranslation();
  const navigation = useNavigation();
  const targetLanguage = narrative.originalLanguage === "zh-CN" ? "en" : "zh-CN";
  const title = narrative.key.startsWith("question.")
    ? t("cases:form.questionN", { n: Number(narrative.key.slice("question.".length)) })
    : t(FIELD_KEYS[narrative.key] ?? "cases:form.clinicalHistory");
  const status = STATUS_KEYS[narrative.translationStatus as keyof typeof STATUS_KEYS] ?? STATUS_KEYS.NONE;
  const [form, fields] = useForm<z.input<typeof TranslationForm>>({
    id: `translation-${narrative.key}`,
    lastResult,
    constraint: getZodConstraint(TranslationForm),
    defaultValue: { text: narrative.translationText ?? "", status: narrative.translationStatus === "REVIEWED" ? "REVIEWED" : "DRAFT" },
    shouldValidate: "onBlur",
    // Validated in the page: a server round trip on blur would race the click on the button that caused the blur.
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TranslationForm }),
  });
  return (
    <section className="narrative" aria-label={title}>
      <h3>{title}</h3>
      <div className="side-by-side">
        <div>
          <p className="lang-label">
            {t("cases:translation.original", { language: t(LANGUAGE_KEYS[narrative.originalLanguage === "zh-CN" ? "zh-CN" : "en"]) })}
          </p>
          <p lang={narrative.originalLanguage} className="narrative-text">
            {narrative.originalText}
          </p>
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
      {canTranslate && (
        <details className="translation-editor" open={Boolean(form.errors?.length || fields.text.errors?.length)}>
          <summary>{narrative.translationText ? t("cases:translation.edit") : t("cases:translation.add")}</summary>
          <Form method="post" preventScrollReset {...getFormProps(form)}>
            <input type="hidden" name="intent" value="translate" />
            <input type="hidden" name="key" value={narrative.key} />
            <div className="field">
              <label htmlFor={fields.text.id}>{t("cases:translation.textLabel", { title })}</label>
              <textarea {...getTextareaProps(fields.text)} lang={targetLanguage} rows={4} />
              <FieldErrors field={fields.text} />
            </div>
            <div className="field">
              <label htmlFor={fields.status.id}>{t("cases:translation.statusLabel")}</label>
              <select {...getSelectProps(fields.status)}>
                <option value="DRAFT">{t(STATUS_KEYS.DRAFT)}</option>
                <option value="REVIEWED">{t(STATUS_KEYS.REVIEWED)}</option>
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
