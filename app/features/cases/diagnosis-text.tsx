/** A case's primary site and histology in the reader's language where a translation exists, each part marked with the language it is in, and marked untranslated where it is not in theirs. */
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { readerLanguage } from "~/features/translation/translated-text";
import { UntranslatedBadge } from "~/features/translation/translated-text-view";
import { diagnosisForReader, type DiagnosisFacts } from "./case-diagnosis";

export function DiagnosisText({ diagnosis }: { diagnosis: DiagnosisFacts }) {
  const { i18n } = useTranslation();
  const reader = readerLanguage(i18n.language);
  const { site, histology } = diagnosisForReader(diagnosis, reader);
  const parts = [site, histology].filter((part) => part !== null);
  if (parts.length === 0) return <>—</>;
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && " · "}
          <span lang={part.lang}>{part.text}</span>
          {part.lang !== reader && (
            <>
              {" "}
              <UntranslatedBadge language={part.lang} />
            </>
          )}
        </Fragment>
      ))}
    </>
  );
}
