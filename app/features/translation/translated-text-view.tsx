/** A text that crosses sides as its reader reads it: in their language with the original a click away, or marked as not translated. */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/ui/format";
import {
  otherLanguage,
  readerLanguage,
  readingFor,
  TEXT_LANGUAGE_LABEL_KEYS,
  type TextLanguage,
  type TranslatedText,
  type Translation,
} from "./translated-text";

/** The mark on a text shown in a language other than the reader's because nobody has translated it yet. */
export function UntranslatedBadge({ language }: { language: TextLanguage }) {
  const { t } = useTranslation();
  return (
    <span className="badge badge-untranslated" data-untranslated="">
      {t("common:translation.untranslated", { language: t(TEXT_LANGUAGE_LABEL_KEYS[language]) })}
    </span>
  );
}

/** Who translated a text into which language, and when. */
export function TranslatedByNote({ translation, language, timeZone }: { translation: Translation; language: TextLanguage; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const name = translation.byName ?? "—";
  return (
    <span className="muted small translated-by">
      {translation.at
        ? t("common:translation.by", { language: t(TEXT_LANGUAGE_LABEL_KEYS[language]), name, time: formatDateTime(translation.at, i18n.language, timeZone) })
        : t("common:translation.byName", { language: t(TEXT_LANGUAGE_LABEL_KEYS[language]), name })}
    </span>
  );
}

/** The original of a translated text, one click away. */
export function OriginalDisclosure({ language, children }: { language: TextLanguage; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <details className="translation-original">
      <summary>{t("common:translation.showOriginal", { language: t(TEXT_LANGUAGE_LABEL_KEYS[language]) })}</summary>
      <div lang={language}>{children}</div>
    </details>
  );
}

/** One text in the reader's language: the original if written in it, else the translation with the original a click away, else the original marked untranslated. */
export function TranslatedTextView({ text, timeZone, className }: { text: TranslatedText; timeZone: string; className?: string }) {
  const { i18n } = useTranslation();
  const reader = readerLanguage(i18n.language);
  const reading = readingFor(text, reader);
  const paragraphs = className ? `translated-text ${className}` : "translated-text";
  if (reading === "translation" && text.translation)
    return (
      <div className={paragraphs} data-reading="translation">
        <p lang={otherLanguage(text.originalLanguage)}>{text.translation.text}</p>
        <TranslatedByNote translation={text.translation} language={reader} timeZone={timeZone} />
        <OriginalDisclosure language={text.originalLanguage}>
          <p>{text.original}</p>
        </OriginalDisclosure>
      </div>
    );
  return (
    <div className={paragraphs} data-reading={reading}>
      <p lang={text.originalLanguage}>{text.original}</p>
      {reading === "untranslated" && <UntranslatedBadge language={text.originalLanguage} />}
    </div>
  );
}
