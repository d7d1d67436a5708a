/** A case's primary site and histology in the reader's language where a translation exists, each part marked with the language it is in. */
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { diagnosisForReader, type DiagnosisFacts } from "./case-diagnosis";

export function DiagnosisText({ diagnosis }: { diagnosis: DiagnosisFacts }) {
  const { i18n } = useTranslation();
  const { site, histology } = diagnosisForReader(diagnosis, i18n.language);
  const parts = [site, histology].filter((part) => part !== null);
  if (parts.length === 0) return <>—</>;
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && " · "}
          <span lang={part.lang}>{part.text}</span>
        </Fragment>
      ))}
    </>
  );
}
