/** A signed or delivered opinion as the reader sees it, in English and Chinese. */
import { useTranslation } from "react-i18next";
import { needsTranslation, readingOrder } from "~/features/opinions/opinion-translation";
import { SECTIONS, type CaseQuestion, type OpinionContent, type SectionBody, type SectionName } from "~/features/opinions/opinion-content";

export const SECTION_TITLE_KEYS: Record<SectionName, string> = {
  diagnosis: "opinions:sections.diagnosis",
  plan: "opinions:sections.plan",
  workup: "opinions:sections.workup",
  trials: "opinions:sections.trials",
  references: "opinions:sections.references",
  dissent: "opinions:sections.dissent",
  answers: "opinions:sections.answers",
};

export const AGREEMENT_KEYS: Record<string, string> = {
  AGREE: "opinions:agreement.AGREE",
  DISAGREE: "opinions:agreement.DISAGREE",
  NEED_MORE_INFORMATION: "opinions:agreement.NEED_MORE_INFORMATION",
};
export const INTENT_KEYS: Record<string, string> = { CURATIVE: "opinions:intent.CURATIVE", PALLIATIVE: "opinions:intent.PALLIATIVE" };

/** The question in the column's language where a translation exists. */
function questionText(q: (CaseQuestion & { translation?: string | null }) | undefined, lang: "en" | "zh-CN"): string | undefined {
  if (!q) return undefined;
  const chinese = /[\u4e00-\u9fff]/.test(q.text);
  return (lang === "en") === chinese ? (q.translation ?? q.text) : q.text;
}

/** One section's body, read-only, in one language. */
export function SectionBodyView({
  name,
  body,
  questions,
  lang,
}: {
  name: SectionName;
  body: unknown;
  questions: readonly CaseQuestion[];
  lang: "en" | "zh-CN";
}) {
  const { t } = useTranslation();
  const empty = <p className="muted">{t("opinions:view.none")}</p>;
  switch (name) {
    case "diagnosis": {
      const b = body as SectionBody<"diagnosis">;
      return (
        <dl lang={lang}>
          {(["diagnosis", "stage"] as const).map((part) => (
            <div key={part}>
              <dt>{t(`opinions:diagnosis.${part}`)}</dt>
              <dd>
                {b[part].agreement ? t(AGREEMENT_KEYS[b[part].agreement!]) : "—"}
                {b[part].comment && <span className="pre-wrap">: {b[part].comment}</span>}
              </dd>
            </div>
          ))}
          {b.comment && (
            <div>
              <dt>{t("opinions:diagnosis.comment")}</dt>
              <dd className="pre-wrap">{b.comment}</dd>
            </div>
          )}
        </dl>
      );
    }
    case "plan": {
      const b = body as SectionBody<"plan">;
      return (
        <div lang={lang}>
          {b.items.length === 0 ? (
            empty
          ) : (
            <ol className="plan-items">
              {b.items.map((item, i) => (
                <li key={i}>
                  <strong>{item.treatment}</strong>
                  {item.regimen && <span>: {item.regimen}</span>}
                  <span className="muted small">
                    {" "}
                    (
                    {[
                      item.intent ? t(INTENT_KEYS[item.intent]) : null,
                      item.priority ? t("opinions:plan.priorityN", { n: item.priority }) : null,
                      item.evidence ? `${item.evidence.system} ${item.evidence.level}` : null,
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                    )
                  </span>
                  {item.rationale && <p className="pre-wrap">{item.rationale}</p>}
                </li>
              ))}
            </ol>
          )}
          {b.summary && <p className="pre-wrap">{b.summary}</p>}
        </div>
      );
    }
    case "workup":
    case "dissent": {
      const b = body as SectionBody<"workup">;
      return b.items.length === 0 ? (
        empty
      ) : (
        <ul lang={lang}>
          {b.items.map((item, i) => (
            <li key={i} className="pre-wrap">
              {item}
            </li>
          ))}
        </ul>
      );
    }
    case "trials": {
      const b = body as SectionBody<"trials">;
      return b.items.length === 0 ? (
        empty
      ) : (
        <ul lang={lang}>
          {b.items.map((item, i) => (
            <li key={i}>
              {item.description} {item.registryId && <code>{item.registryId}</code>}
            </li>
          ))}
        </ul>
      );
    }
    case "references": {
      const b = body as SectionBody<"references">;
      return b.items.length === 0 ? (
        empty
      ) : (
        <ul lang={lang}>
          {b.items.map((item, i) => (
            <li key={i}>
              {item.source} {item.version} — {item.section}
            </li>
          ))}
        </ul>
      );
    }
    case "answers": {
      const b = body as SectionBody<"answers">;
      return (
        <dl lang={lang}>
          {b.items.map((item) => (
            <div key={item.questionKey}>
              <dt>
                {questionText(
                  questions.find((q) => q.key === item.questionKey),
                  lang,
                ) ?? item.questionKey}
              </dt>
              <dd className="pre-wrap">{item.answer || "—"}</dd>
            </div>
          ))}
        </dl>
      );
    }
  }
}

/** A signed (or delivered) opinion: each section in the reader's language first, beside the other. */
export function OpinionView({ content, questions, englishOnly }: { content: OpinionContent; questions: readonly CaseQuestion[]; englishOnly: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="opinion-view">
      {SECTIONS.map((name) => {
        const section = content[name];
        const columns = {
          en: (
            <div key="en" data-column="en">
              <h4 className="small muted">{t("opinions:view.english")}</h4>
              <SectionBodyView name={name} body={section.en} questions={questions} lang="en" />
            </div>
          ),
          "zh-CN": (
            <div key="zh-CN" data-column="zh-CN">
              <h4 className="small muted">{t("opinions:view.chinese")}</h4>
              {section.zh ? (
                <SectionBodyView name={name} body={section.zh} questions={questions} lang="zh-CN" />
              ) : !needsTranslation(section.en) ? (
                <SectionBodyView name={name} body={section.en} questions={questions} lang="zh-CN" />
              ) : (
                <p className="muted">{t(englishOnly ? "opinions:view.englishOnly" : "opinions:view.noTranslation")}</p>
              )}
            </div>
          ),
        };
        return (
          <section key={name} aria-labelledby={`view-${name}`} className="opinion-section">
            <h3 id={`view-${name}`}>{t(SECTION_TITLE_KEYS[name])}</h3>
            <div className="side-by-side">{readingOrder(i18n.language).map((language) => columns[language])}</div>
          </section>
        );
      })}
    </div>
  );
}
