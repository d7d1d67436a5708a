/** A clinical value in the reader's language, marked when it is untranslated, with what was entered (or the other language) one click away. */
import { useTranslation } from "react-i18next";
import type { Translation } from "~/features/translation/translated-text";
import { OriginalDisclosure, TranslatedByNote } from "~/features/translation/translated-text-view";
import { shownLabel, shownTo, type ClinicalValue, type ReaderLanguage, type ShownValue } from "./clinical-value";

export function useReaderLanguage(): ReaderLanguage {
  const { i18n } = useTranslation();
  return i18n.language === "zh-CN" ? "zh-CN" : "en";
}

/** A coded value (ICD-O-3 site or morphology, drugs); `withCode` puts each code before its title. `timeZone` is the reader's, for when a text was translated. */
export function ClinicalValueView({
  value,
  withCode,
  separator,
  timeZone,
}: {
  value: ClinicalValue | null | undefined;
  withCode?: boolean;
  separator?: string;
  timeZone: string;
}) {
  const language = useReaderLanguage();
  return <ShownValueView shown={value ? shownTo(value, language, { withCode, separator }) : null} timeZone={timeZone} />;
}

/** A vocabulary code shown by its label (already in the reader's language), beside the text entered with it and that text's translation. */
export function LabelledTextView({
  label,
  text,
  translation,
  timeZone,
}: {
  label: string | null;
  text: string | null | undefined;
  translation: Translation | null;
  timeZone: string;
}) {
  const language = useReaderLanguage();
  return <ShownValueView shown={shownLabel(label, text, language, translation)} timeZone={timeZone} />;
}

function ShownValueView({ shown, timeZone }: { shown: ShownValue | null; timeZone: string }) {
  const { t } = useTranslation();
  const reader = useReaderLanguage();
  if (!shown) return <span className="muted">—</span>;
  const { original, translatedBy } = shown;
  return (
    <span className="clinical-value" data-reading={translatedBy ? "translation" : shown.untranslated ? "untranslated" : "original"}>
      <span lang={shown.firstLanguage}>{shown.first}</span>
      {shown.untranslated && (
        <span className="badge" data-untranslated="">
          {t("cases:coded.untranslated", { language: t(`cases:languages.${shown.firstLanguage}`) })}
        </span>
      )}
      {translatedBy && <TranslatedByNote translation={translatedBy} language={reader} timeZone={timeZone} />}
      {original && translatedBy && <OriginalDisclosure language={original.language}>{original.text}</OriginalDisclosure>}
      {original && !translatedBy && (
        <details className="clinical-original">
          <summary>{original.entered ? t("cases:coded.asEntered") : t(`cases:languages.${original.language}`)}</summary>
          {original.translation && (
            <span className="clinical-original-translation">
              <span lang={reader}>{original.translation.text}</span>
              <TranslatedByNote translation={original.translation} language={reader} timeZone={timeZone} />
            </span>
          )}
          <span lang={original.language}>{original.text}</span>
        </details>
      )}
    </span>
  );
}
