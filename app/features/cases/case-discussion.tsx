/** A case's discussion: the messages, new ones arriving live, and the form to write one. */
import { getFormProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { useLiveCaseComments } from "~/features/cases/use-case-comments";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { formatDateTime } from "~/ui/format";
import { CommentForm } from "./case-forms";
import { TranslatableText } from "~/features/translation/translatable-text";
import { TEXT_LANGUAGE_LABEL_KEYS, TEXT_LANGUAGES, translatedText, type TextSubject, type TranslatedText } from "~/features/translation/translated-text";

type Comment = { id: string; author: string | null; language: string; body: string; createdAt: Date | string; text?: TranslatedText };

type Props = {
  caseId: string;
  comments: Comment[];
  canComment: boolean;
  /** Translate comments into the other side's language. */
  mayTranslate: boolean;
  lastResult: SubmissionResult<string[]> | undefined;
  /** The reply to a comment's translation form, when that form was the one posted. */
  translationResult: (subject: TextSubject) => SubmissionResult<string[]> | undefined;
  timeZone: string;
};

export function CaseDiscussion({ caseId, comments, canComment, mayTranslate, lastResult, translationResult, timeZone }: Props) {
  const { t, i18n } = useTranslation();
  const navigation = useNavigation();
  const { live, watching } = useLiveCaseComments(caseId);
  const all = [...comments, ...live.filter((c) => !comments.some((saved) => saved.id === c.id))];
  const posting = navigation.state !== "idle" && navigation.formData?.get("intent") === "comment";
  const [form, fields] = useForm<z.input<typeof CommentForm>>({
    id: "comment",
    lastResult,
    constraint: getZodConstraint(CommentForm),
    defaultValue: { language: i18n.language === "zh-CN" ? "zh-CN" : "en" },
    shouldValidate: "onSubmit",
  });
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
              {c.author ?? "—"} · {formatDateTime(c.createdAt, i18n.language, timeZone)} · {t(TEXT_LANGUAGE_LABEL_KEYS[c.language === "en" ? "en" : "zh-CN"])}
            </p>
            <TranslatableText
              subject={{ type: "COMMENT", id: c.id }}
              text={("text" in c && c.text) || translatedText(c.body, null, c.language)}
              timeZone={timeZone}
              mayTranslate={mayTranslate}
              lastResult={translationResult({ type: "COMMENT", id: c.id })}
            />
          </li>
        ))}
      </ol>
      {canComment && (
        <Form method="post" preventScrollReset {...getFormProps(form)}>
          <input type="hidden" name="intent" value="comment" />
          <div className="field">
            <label htmlFor={fields.body.id}>{t("cases:discussion.body")}</label>
            <textarea {...getTextareaProps(fields.body)} rows={3} />
            <FieldErrors field={fields.body} />
          </div>
          <div className="field">
            <label htmlFor={fields.language.id}>{t("cases:discussion.language")}</label>
            <select {...getSelectProps(fields.language)}>
              {TEXT_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(TEXT_LANGUAGE_LABEL_KEYS[l])}
                </option>
              ))}
            </select>
          </div>
          <FormErrors errors={form.errors} />
          <button type="submit" className="button-primary" disabled={posting}>
            {t("cases:discussion.post")}
          </button>
        </Form>
      )}
    </section>
  );
}
