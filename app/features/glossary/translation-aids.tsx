/** The translation editor's aids: the original with its glossary terms marked, the glossary check of the translation, and the memory's suggestion. */
import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/ui/format";
import { termText, type GlossaryEntry, type TermOccurrence } from "./glossary-check";
import { isUnreviewedSuggestion } from "./translation-memory";
import { otherLanguage } from "~/features/translation/translated-text";

type Term = GlossaryEntry & { note: string | null };

/** What the editor of one narrative gets: the original's glossary terms and where they are, those accepted anyway, and the memory's suggestion. */
export type TranslationAid = {
  terms: Term[];
  occurrences: TermOccurrence[];
  accepted: { termId: string; by: string | null; at: Date }[];
  suggestion: { text: string; match: number } | null;
};

const MARK_TITLE_KEYS = {
  plain: "cases:translationCheck.mark",
  missing: "cases:translationCheck.markMissing",
  unconfirmed: "cases:translationCheck.markUnconfirmed",
} as const;

/** The original text with each glossary term marked, as missing from the translation or not yet confirmed where it is. */
export function MarkedOriginal({
  text,
  language,
  terms,
  occurrences,
  missingIds,
}: {
  text: string;
  language: string;
  terms: Term[];
  occurrences: TermOccurrence[];
  missingIds: ReadonlySet<string>;
}) {
  const { t } = useTranslation();
  const byId = new Map(terms.map((term) => [term.id, term]));
  const parts: ReactNode[] = [];
  let at = 0;
  for (const { termId, start, end } of occurrences) {
    const term = byId.get(termId)!;
    parts.push(text.slice(at, start));
    const state: keyof typeof MARK_TITLE_KEYS = term.needsReview ? "unconfirmed" : missingIds.has(termId) ? "missing" : "plain";
    parts.push(
      <mark
        key={start}
        className={state === "plain" ? "glossary-term" : `glossary-term glossary-term-${state}`}
        title={t(MARK_TITLE_KEYS[state], { en: term.en, zh: term.zh })}
      >
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  parts.push(text.slice(at));
  return (
    <p lang={language} className="narrative-text">
      {parts}
    </p>
  );
}

/**
 * The glossary check of the translation as it is typed: each term of the original whose rendering is missing, with
 * its "accept anyway" box (ticked when it was accepted before for this original), and the terms not yet confirmed.
 */
export function GlossaryCheck({
  terms,
  translated,
  missing,
  accepted,
  targetLanguage,
  timeZone,
}: {
  terms: Term[];
  /** Whether there is a translation to check yet. */
  translated: boolean;
  missing: Term[];
  accepted: { termId: string; by: string | null; at: Date }[];
  targetLanguage: string;
  timeZone: string;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  if (terms.length === 0) return null;
  const unconfirmed = terms.filter((term) => term.needsReview);
  const sourceLanguage = otherLanguage(targetLanguage);
  return (
    <fieldset className="glossary-check" aria-describedby={`${id}-status`}>
      <legend>{t("cases:translationCheck.title")}</legend>
      <p id={`${id}-status`} className={missing.length > 0 ? "glossary-check-problem" : translated ? "glossary-check-ok" : undefined} aria-live="polite">
        {!translated
          ? t("cases:translationCheck.found", { count: terms.length })
          : missing.length > 0
            ? t("cases:translationCheck.missing", { count: missing.length })
            : t("cases:translationCheck.allRendered", { count: terms.length })}
      </p>
      {missing.length > 0 && (
        <ul className="glossary-check-list">
          {missing.map((term) => {
            const before = accepted.find((a) => a.termId === term.id);
            return (
              <li key={term.id}>
                {t("cases:translationCheck.expected", {
                  term: termText(term, sourceLanguage),
                  rendering: termText(term, targetLanguage),
                })}{" "}
                <label className="checkbox">
                  <input type="checkbox" name="acceptTerm" value={term.id} defaultChecked={Boolean(before)} />{" "}
                  {t("cases:translationCheck.acceptAnyway", { term: termText(term, sourceLanguage) })}
                </label>
                {before && (
                  <span className="muted small">
                    {" "}
                    {t("cases:translationCheck.acceptedBy", { name: before.by ?? "—", time: formatDateTime(before.at, i18n.language, timeZone) })}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {unconfirmed.length > 0 && (
        <ul className="glossary-check-list muted">
          {unconfirmed.map((term) => (
            <li key={term.id}>{t("cases:translationCheck.unconfirmed", { en: term.en, zh: term.zh })}</li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** The memory's suggestion the editor was filled with: its match, and while it is unchanged, the box that accepts it as it is. */
export function MemorySuggestionNote({
  suggestion,
  draft,
  accepted,
  onAccept,
}: {
  suggestion: { text: string; match: number };
  draft: string;
  accepted: boolean;
  onAccept: (accepted: boolean) => void;
}) {
  const { t } = useTranslation();
  const unchanged = isUnreviewedSuggestion(draft, suggestion.text, false);
  const pending = isUnreviewedSuggestion(draft, suggestion.text, accepted);
  const message = pending ? "cases:translationMemory.pending" : unchanged ? "cases:translationMemory.accepted" : "cases:translationMemory.edited";
  return (
    <div className={pending ? "memory-suggestion memory-suggestion-pending" : "memory-suggestion"} role="note">
      <input type="hidden" name="memorySuggestion" value={suggestion.text} />
      <p>{t(message, { match: suggestion.match })}</p>
      {unchanged && (
        <label className="checkbox">
          <input type="checkbox" name="memorySuggestionAccepted" checked={accepted} onChange={(event) => onAccept(event.currentTarget.checked)} />{" "}
          {t("cases:translationMemory.accept")}
        </label>
      )}
    </div>
  );
}
