/** What the room shows once the board has ended: each case it had, whether it was discussed, its summary, and the way on to its opinion. */
import { Link } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { TranslatedTextView } from "~/features/translation/translated-text-view";
import type { Summary } from "./board-log";

export type EndedItem = { id: string; caseId: string; caseCode: string; discussed: boolean; summary: Summary; opinionLink: boolean };

export function BoardEnded({ items, timeZone }: { items: EndedItem[]; timeZone: string }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`} className="board-ended">
      <h2 id={`${id}-title`}>{t("room:ended.title")}</h2>
      <p className="muted">{t("room:ended.intro")}</p>
      <ol className="board-ended-list">
        {items.map((item) => (
          <li key={item.id}>
            <article aria-labelledby={`${id}-${item.id}`}>
              <h3 id={`${id}-${item.id}`}>
                {t("room:case.title", { code: item.caseCode })}{" "}
                <span className="muted small">· {item.discussed ? t("room:ended.discussed") : t("room:ended.notDiscussed")}</span>
              </h3>
              {item.summary.text ? (
                <TranslatedTextView
                  className="board-ended-summary"
                  text={{ original: item.summary.text, originalLanguage: item.summary.language, translation: item.summary.translation }}
                  timeZone={timeZone}
                />
              ) : (
                <p className="muted">{t("room:summary.none")}</p>
              )}
              {item.opinionLink && (
                <Link className="button-primary" to={`/cases/${item.caseId}/opinion`}>
                  {t("room:ended.opinion", { code: item.caseCode })}
                </Link>
              )}
            </article>
          </li>
        ))}
      </ol>
    </section>
  );
}
