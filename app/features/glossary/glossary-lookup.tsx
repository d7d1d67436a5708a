/** Searches the bilingual glossary in either direction, to copy a term or insert it into a message. */
import { useFetcher } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";

type Term = { id: string; en: string; zh: string; category: string; note: string | null; needsReview: boolean };

/** Search the bilingual glossary in either direction, and copy a term to paste it where it is needed, or insert it straight into a message. */
export function GlossaryLookup({ onInsert }: { onInsert?: (term: string) => void } = {}) {
  const { t } = useTranslation();
  const fetcher = useFetcher<{ terms: Term[] }>();
  const id = useId();
  const terms = fetcher.data?.terms ?? [];
  return (
    <section className="glossary-lookup" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("cases:glossary.title")}</h2>
      <fetcher.Form method="get" action="/api/glossary" role="search">
        <label htmlFor={`${id}-q`}>{t("cases:glossary.search")}</label>
        <input
          id={`${id}-q`}
          name="q"
          type="search"
          onChange={(event) => fetcher.submit(event.currentTarget.form, { method: "get", action: "/api/glossary" })}
        />
      </fetcher.Form>
      {fetcher.data && terms.length === 0 && <p className="muted">{t("cases:glossary.noMatch")}</p>}
      <ul className="glossary-results">
        {terms.map((term) => (
          <li key={term.id}>
            <span lang="en">{term.en}</span> — <span lang="zh-CN">{term.zh}</span>
            {term.needsReview && <span className="badge badge-review">{t("cases:glossary.needsReview")}</span>}
            {term.note && <span className="muted small"> ({term.note})</span>}
            {[
              { text: term.zh, label: onInsert ? "cases:glossary.insertZh" : "cases:glossary.copyZh" },
              { text: term.en, label: onInsert ? "cases:glossary.insertEn" : "cases:glossary.copyEn" },
            ].map(({ text, label }) => (
              <button
                key={label}
                type="button"
                className="button-link"
                onClick={() => (onInsert ? onInsert(text) : navigator.clipboard?.writeText(text))}
                aria-label={t(onInsert ? "cases:glossary.insertNamed" : "cases:glossary.copyNamed", { term: text })}
              >
                {t(label)}
              </button>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
