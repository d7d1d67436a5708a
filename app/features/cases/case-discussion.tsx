import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { labelKeys, NARRATIVE_LANGUAGES } from "~/features/cases/clinical-vocabulary";
import { useLiveCaseComments } from "~/features/cases/use-case-comments";
import { formatDateTime } from "~/ui/format";

const LANGUAGE_KEYS = labelKeys("languages", NARRATIVE_LANGUAGES);
type Comment = { id: string; author: string | null; language: string; body: string; createdAt: Date | string };

export function CaseDiscussion({ caseId, comments, canComment, error, timeZone }: { caseId: string; comments: Comment[]; canComment: boolean; error: string | null; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const { live, watching } = useLiveCaseComments(caseId);
  const all = [...comments, ...live.filter((c) => !comments.some((saved) => saved.id === c.id))];
  const posting = navigation.state !== "idle" && navigation.formData?.get("intent") === "comment";
  useEffect(() => {
    if (!posting && !error) formRef.current?.reset();
  }, [posting, error]);
  return (
    <section className="section" aria-labelledby="discussion-title">
      <h2 id="discussion-title">{t("cases:discussion.title")}</h2>
      <p className="muted small" role="status">
        {watching ? t("cases:discussion.live") : t("cases:discussion.notLive")}
      </p>
      {all.length === 0 && <p className="muted">{t("cases:discussion.none")}</p>}
      <ol className="comments" aria-label={t("cases:discussion.title")}>
        {all.map((c) => (
          <li key={c.id}>
            <p className="muted small">
              {c.author ?? "—"} · {formatDateTime(c.createdAt, i18n.language, timeZone)} · {t(LANGUAGE_KEYS[c.language === "en" ? "en" : "zh-CN"])}
            </p>
            <p lang={c.language}>{c.body}</p>
          </li>
        ))}
      </ol>
      {canComment && (
        <Form method="post" ref={formRef} preventScrollReset>
          <input type="hidden" name="intent" value="comment" />
          <div className="field">
            <label htmlFor="comment-body">{t("cases:discussion.body")}</label>
            <textarea id="comment-body" name="body" rows={3} />
          </div>
          <div className="field">
            <label htmlFor="comment-language">{t("cases:discussion.language")}</label>
            <select id="comment-language" name="language" defaultValue={i18n.language === "zh-CN" ? "zh-CN" : "en"}>
              {NARRATIVE_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(LANGUAGE_KEYS[l])}
                </option>
              ))}
            </select>
          </div>
          {error && (
            <p className="alert alert-error" role="alert">
              {t(error)}
            </p>
          )}
          <button type="submit" className="button-primary" disabled={posting}>
            {t("cases:discussion.post")}
          </button>
        </Form>
      )}
    </section>
  );
}
