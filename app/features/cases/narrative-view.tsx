import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { labelKeys, NARRATIVE_LANGUAGES } from "~/features/cases/clinical-vocabulary";
import { formatDateTime } from "~/ui/format";

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
export function NarrativeView({ narrative, canTranslate, result, timeZone }: { narrative: Narrative; canTranslate: boolean; result: { error: string | null } | null; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const navigation = useNavigation();
  const targetLanguage = narrative.originalLanguage === "zh-CN" ? "en" : "zh-CN";
  const title = narrative.key.startsWith("question.") ? t("cases:form.questionN", { n: Number(narrative.key.slice("question.".length)) }) : t(FIELD_KEYS[narrative.key] ?? "cases:form.clinicalHistory");
  const status = STATUS_KEYS[narrative.translationStatus as keyof typeof STATUS_KEYS] ?? STATUS_KEYS.NONE;
  const editorId = `translation-${narrative.key}`;
  return (
    <section className="narrative" aria-label={title}>
      <h3>{title}</h3>
      <div className="side-by-side">
        <div>
          <p className="lang-label">{t("cases:translation.original", { language: t(LANGUAGE_KEYS[narrative.originalLanguage === "zh-CN" ? "zh-CN" : "en"]) })}</p>
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
            <p className="muted small">{t("cases:translation.by", { name: narrative.translatedBy, time: formatDateTime(narrative.translatedAt, i18n.language, timeZone) })}</p>
          )}
        </div>
      </div>
      {canTranslate && (
        <details className="translation-editor" open={Boolean(result?.error)}>
          <summary>{narrative.translationText ? t("cases:translation.edit") : t("cases:translation.add")}</summary>
          <Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value="translate" />
            <input type="hidden" name="key" value={narrative.key} />
            <div className="field">
              <label htmlFor={editorId}>{t("cases:translation.textLabel", { title })}</label>
              <textarea id={editorId} name="text" lang={targetLanguage} rows={4} defaultValue={narrative.translationText ?? ""} />
            </div>
            <div className="field">
              <label htmlFor={`${editorId}-status`}>{t("cases:translation.statusLabel")}</label>
              <select id={`${editorId}-status`} name="status" defaultValue={narrative.translationStatus === "REVIEWED" ? "REVIEWED" : "DRAFT"}>
                <option value="DRAFT">{t(STATUS_KEYS.DRAFT)}</option>
                <option value="REVIEWED">{t(STATUS_KEYS.REVIEWED)}</option>
              </select>
            </div>
            {result?.error && (
              <p className="alert alert-error" role="alert">
                {t(result.error)}
              </p>
            )}
            <button type="submit" className="button-secondary" disabled={navigation.state !== "idle"}>
              {t("cases:translation.save", { title })}
            </button>
          </Form>
        </details>
      )}
    </section>
  );
}
