/** The Chinese translation of a section, string by string beside the English, with its review status. */
import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { translatableStrings } from "~/features/opinions/opinion-translation";
import type { SectionName, TranslationStatus } from "~/features/opinions/opinion-content";
import { formatDateTime } from "~/ui/format";
import { sectionReplyOf, type OpinionActionReply } from "./opinion-forms";
import { FormErrors } from "~/ui/field-errors";
import { SECTION_TITLE_KEYS } from "./opinion-view";

const STATUS_KEYS: Record<TranslationStatus, string> = {
  NONE: "opinions:translation.status.NONE",
  DRAFT: "opinions:translation.status.DRAFT",
  REVIEWED: "opinions:translation.status.REVIEWED",
};

/**
 * The Chinese translation of one section: each English string with a field for
 * its translation, and the translation's state (draft or reviewed). Saved
 * under the section's version like an English edit.
 */
export function OpinionTranslationEditor({
  opinionId,
  name,
  section,
  version,
  translatorName,
  timeZone,
  onEditing,
}: {
  opinionId: string;
  name: SectionName;
  section: { en: unknown; zh: unknown; translationStatus: TranslationStatus; translatedAt: string | null };
  version: number;
  translatorName: string | null;
  timeZone: string;
  onEditing: (section: SectionName | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const fetcher = useFetcher<OpinionActionReply>();
  const id = useId();
  const strings = translatableStrings(section.en, section.zh);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(strings.map((s) => [s.path, s.zh])));
  const [status, setStatus] = useState<TranslationStatus>(section.translationStatus === "NONE" ? "DRAFT" : section.translationStatus);
  const result = sectionReplyOf(fetcher.data, "translate", name);
  const [dirty, setDirty] = useState(false);
  const [base, setBase] = useState(version);
  const signature = JSON.stringify(strings);
  useEffect(() => {
    setBase(version);
    if (!dirty) setValues(Object.fromEntries(strings.map((s) => [s.path, s.zh])));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, signature]);
  useEffect(() => {
    if (fetcher.state !== "idle" || !result) return;
    if (result.ok) setDirty(false);
    // Saving again after a conflict is a deliberate choice over the newer version, which the message named.
    if (result.conflict) setBase(result.conflict.theirs.version);
  }, [fetcher.state, result]);

  if (strings.length === 0) return null;
  const title = t(SECTION_TITLE_KEYS[name]);
  return (
    <details
      className="translation-editor"
      onFocus={() => onEditing(name)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) onEditing(null);
      }}
    >
      <summary>
        {t("opinions:translation.open", { section: title })} · {t(STATUS_KEYS[section.translationStatus])}
        {translatorName && section.translatedAt && (
          <span className="muted small">
            {" "}
            · {t("opinions:translation.by", { name: translatorName, time: formatDateTime(section.translatedAt, i18n.language, timeZone) })}
          </span>
        )}
      </summary>
      <fetcher.Form
        method="post"
        onSubmit={(e) => {
          e.preventDefault();
          fetcher.submit(
            {
              intent: "translate",
              kind: "translation",
              opinionId,
              section: name,
              baseVersion: String(base),
              translationStatus: status,
              content: JSON.stringify(values),
            },
            { method: "post" },
          );
        }}
      >
        {strings.map((s, i) => (
          <div className="field" key={s.path}>
            <label htmlFor={`${id}-${i}`}>
              <span className="muted small">{t("opinions:translation.chineseFor")}</span> <span lang="en">{s.en}</span>
            </label>
            <textarea
              id={`${id}-${i}`}
              lang="zh-CN"
              rows={2}
              value={values[s.path] ?? ""}
              onChange={(e) => {
                setValues({ ...values, [s.path]: e.target.value });
                setDirty(true);
              }}
            />
          </div>
        ))}
        <div className="field">
          <label htmlFor={`${id}-status`}>{t("opinions:translation.statusLabel")}</label>
          <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as TranslationStatus)}>
            <option value="DRAFT">{t(STATUS_KEYS.DRAFT)}</option>
            <option value="REVIEWED">{t(STATUS_KEYS.REVIEWED)}</option>
          </select>
        </div>
        {result?.conflict && (
          <p className="alert alert-warning" role="alert">
            {t("opinions:conflict.translationChanged", { name: result.conflict.theirs.byName ?? "—" })}
          </p>
        )}
        <FormErrors errors={result?.formError ? [result.formError] : undefined} />
        <button type="submit" className="button-primary" disabled={fetcher.state !== "idle"}>
          {t("opinions:translation.save", { section: title })}
        </button>
      </fetcher.Form>
    </details>
  );
}
