/** A clinical value in the reader's language, marked when it is untranslated, with what was entered (or the other language) one click away. */
import { useTranslation } from "react-i18next";
import { shownLabel, shownTo, type ClinicalValue, type ReaderLanguage, type ShownValue } from "./clinical-value";

export function useReaderLanguage(): ReaderLanguage {
  const { i18n } = useTranslation();
  return i18n.language === "zh-CN" ? "zh-CN" : "en";
}

/** A coded value (ICD-O-3 site or morphology, drugs); `withCode` puts each code before its title. */
export function ClinicalValueView({ value, withCode, separator }: { value: ClinicalValue | null | undefined; withCode?: boolean; separator?: string }) {
  const language = useReaderLanguage();
  return <ShownValueView shown={value ? shownTo(value, language, { withCode, separator }) : null} />;
}

/** A vocabulary code shown by its label (already in the reader's language), beside the text entered with it. */
export function LabelledTextView({ label, text }: { label: string | null; text: string | null | undefined }) {
  const language = useReaderLanguage();
  return <ShownValueView shown={shownLabel(label, text, language)} />;
}

function ShownValueView({ shown }: { shown: ShownValue | null }) {
  const { t } = useTranslation();
  if (!shown) return <span className="muted">—</span>;
  return (
    <span className="clinical-value">
      <span lang={shown.firstLanguage}>{shown.first}</span>
      {shown.untranslated && (
        <span className="badge" data-untranslated="">
          {t("cases:coded.untranslated", { language: t(`cases:languages.${shown.firstLanguage}`) })}
        </span>
      )}
      {shown.original && (
        <details className="clinical-original">
          <summary>{shown.original.entered ? t("cases:coded.asEntered") : t(`cases:languages.${shown.original.language}`)}</summary>
          <span lang={shown.original.language}>{shown.original.text}</span>
        </details>
      )}
    </span>
  );
}
