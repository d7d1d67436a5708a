/** Acknowledgement and follow-up questions of the treating side, and the consultants' answers. */
import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { formatDateTime } from "~/ui/format";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { TranslatableText } from "~/features/translation/translatable-text";
import { subjectKey, type TextSubject, type TranslatedText } from "~/features/translation/translated-text";
import { AcknowledgeForm, AnswerForm, AskForm, lastResultOf, type OpinionActionReply } from "./opinion-forms";

type FollowUp = {
  id: string;
  opinionId: string;
  askedById: string;
  question: string;
  askedAt: Date | string;
  answer: string | null;
  answeredById: string | null;
  answeredAt: Date | string | null;
  questionText: TranslatedText;
  answerText: TranslatedText | null;
};

/** The treating side's acknowledgement and follow-up questions (on the latest delivered version), and the consultants' answers, which are addenda to the version asked about. */
export function OpinionFollowUps({
  opinionId,
  followUps,
  names,
  timeZone,
  mayAsk,
  mayAnswer,
  mayAcknowledge,
  mayTranslate,
}: {
  opinionId: string;
  followUps: FollowUp[];
  names: Record<string, string>;
  timeZone: string;
  mayAsk: boolean;
  mayAnswer: boolean;
  mayAcknowledge: boolean;
  /** Translate the questions and answers into the other side's language. */
  mayTranslate: boolean;
}) {
  const { t, i18n } = useTranslation();
  const reply = useActionData<OpinionActionReply>();
  const translatable = (subject: TextSubject, text: TranslatedText) => (
    <TranslatableText
      subject={subject}
      text={text}
      timeZone={timeZone}
      mayTranslate={mayTranslate}
      lastResult={lastResultOf(reply, "translateText", { name: "key", value: subjectKey(subject) })}
    />
  );
  const when = (value: Date | string) => formatDateTime(value, i18n.language, timeZone);
  return (
    <section aria-labelledby="follow-ups-title" className="follow-ups">
      {mayAcknowledge && <Acknowledgement opinionId={opinionId} />}
      <h2 id="follow-ups-title">{t("opinions:followUps.title")}</h2>
      {followUps.length === 0 && <p className="muted">{t("opinions:followUps.none")}</p>}
      <ol className="follow-up-list">
        {followUps.map((f) => (
          <li key={f.id}>
            <p className="muted small">{t("opinions:followUps.asked", { name: names[f.askedById] ?? "—", time: when(f.askedAt) })}</p>
            <div className="pre-wrap">{translatable({ type: "FOLLOW_UP_QUESTION", id: f.id }, f.questionText)}</div>
            {f.answerText ? (
              <div className="addendum">
                <p className="muted small">
                  {t("opinions:followUps.answered", {
                    name: f.answeredById ? (names[f.answeredById] ?? "—") : "—",
                    time: f.answeredAt ? when(f.answeredAt) : "",
                  })}
                </p>
                <div className="pre-wrap">{translatable({ type: "FOLLOW_UP_ANSWER", id: f.id }, f.answerText)}</div>
              </div>
            ) : mayAnswer ? (
              <FollowUpAnswerForm followUp={f} />
            ) : (
              <p className="muted">{t("opinions:followUps.awaiting")}</p>
            )}
          </li>
        ))}
      </ol>
      {mayAsk && <FollowUpQuestionForm opinionId={opinionId} />}
    </section>
  );
}

function Acknowledgement({ opinionId }: { opinionId: string }) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useForm<z.input<typeof AcknowledgeForm>>({
    id: "opinion-acknowledge",
    lastResult: lastResultOf(useActionData<OpinionActionReply>(), "acknowledge"),
    constraint: getZodConstraint(AcknowledgeForm),
  });
  return (
    <Form method="post" className="acknowledge" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="acknowledge" />
      <input type="hidden" name={fields.opinionId.name} value={opinionId} />
      <p>{t("opinions:acknowledge.explain")}</p>
      <FormErrors errors={form.errors} />
      <button type="submit" className="button-primary" disabled={busy}>
        {t("opinions:acknowledge.submit")}
      </button>
    </Form>
  );
}

function FollowUpAnswerForm({ followUp }: { followUp: FollowUp }) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useForm<z.input<typeof AnswerForm>>({
    id: `answer-${followUp.id}`,
    lastResult: lastResultOf(useActionData<OpinionActionReply>(), "answer", { name: "followUpId", value: followUp.id }),
    constraint: getZodConstraint(AnswerForm),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name={fields.opinionId.name} value={followUp.opinionId} />
      <input type="hidden" name={fields.followUpId.name} value={followUp.id} />
      <div className="field">
        <label htmlFor={fields.answer.id}>{t("opinions:followUps.answerLabel")}</label>
        <textarea {...getTextareaProps(fields.answer)} rows={4} />
        <FieldErrors field={fields.answer} />
      </div>
      <FormErrors errors={form.errors} />
      <button type="submit" className="button-primary" disabled={busy}>
        {t("opinions:followUps.answerSubmit")}
      </button>
    </Form>
  );
}

function FollowUpQuestionForm({ opinionId }: { opinionId: string }) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useForm<z.input<typeof AskForm>>({
    id: "follow-up-ask",
    lastResult: lastResultOf(useActionData<OpinionActionReply>(), "ask"),
    constraint: getZodConstraint(AskForm),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="ask" />
      <input type="hidden" name={fields.opinionId.name} value={opinionId} />
      <div className="field">
        <label htmlFor={fields.question.id}>{t("opinions:followUps.askLabel")}</label>
        <textarea {...getTextareaProps(fields.question)} rows={4} />
        <FieldErrors field={fields.question} />
      </div>
      <FormErrors errors={form.errors} />
      <button type="submit" className="button-primary" disabled={busy}>
        {t("opinions:followUps.askSubmit")}
      </button>
    </Form>
  );
}
