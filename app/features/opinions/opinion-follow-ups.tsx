import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/ui/format";
import { FieldErrors } from "~/ui/field-errors";

type FollowUp = { id: string; opinionId: string; askedById: string; question: string; askedAt: Date | string; answer: string | null; answeredById: string | null; answeredAt: Date | string | null };
type Result = { intent?: string; formError?: string | null; fieldErrors?: Record<string, string[]> };

/** The treating side's acknowledgement and follow-up questions (on the latest delivered version), and the consultants' answers, which are addenda to the version asked about. */
export function OpinionFollowUps({
  opinionId,
  followUps,
  names,
  timeZone,
  mayAsk,
  mayAnswer,
  mayAcknowledge,
}: {
  opinionId: string;
  followUps: FollowUp[];
  names: Record<string, string>;
  timeZone: string;
  mayAsk: boolean;
  mayAnswer: boolean;
  mayAcknowledge: boolean;
}) {
  const { t, i18n } = useTranslation();
  const result = useActionData<Result>();
  const busy = useNavigation().state !== "idle";
  const when = (value: Date | string) => formatDateTime(value, i18n.language, timeZone);
  return (
    <section aria-labelledby="follow-ups-title" className="follow-ups">
      {mayAcknowledge && (
        <Form method="post" className="acknowledge">
          <input type="hidden" name="intent" value="acknowledge" />
          <input type="hidden" name="opinionId" value={opinionId} />
          <p>{t("opinions:acknowledge.explain")}</p>
          {result?.intent === "acknowledge" && result.formError && (
            <p className="field-errors" role="alert">
              {t(result.formError)}
            </p>
          )}
          <button type="submit" className="button-primary" disabled={busy}>
            {t("opinions:acknowledge.submit")}
          </button>
        </Form>
      )}
      <h2 id="follow-ups-title">{t("opinions:followUps.title")}</h2>
      {followUps.length === 0 && <p className="muted">{t("opinions:followUps.none")}</p>}
      <ol className="follow-up-list">
        {followUps.map((f) => (
          <li key={f.id}>
            <p className="muted small">{t("opinions:followUps.asked", { name: names[f.askedById] ?? "—", time: when(f.askedAt) })}</p>
            <p className="pre-wrap">{f.question}</p>
            {f.answer ? (
              <div className="addendum">
                <p className="muted small">{t("opinions:followUps.answered", { name: f.answeredById ? (names[f.answeredById] ?? "—") : "—", time: f.answeredAt ? when(f.answeredAt) : "" })}</p>
                <p className="pre-wrap">{f.answer}</p>
              </div>
            ) : mayAnswer ? (
              <Form method="post">
                <input type="hidden" name="intent" value="answer" />
                <input type="hidden" name="opinionId" value={f.opinionId} />
                <input type="hidden" name="followUpId" value={f.id} />
                <div className="field">
                  <label htmlFor={`answer-${f.id}`}>{t("opinions:followUps.answerLabel")}</label>
                  <textarea id={`answer-${f.id}`} name="answer" rows={4} maxLength={4000} />
                  <FieldErrors field={{ errorId: `answer-${f.id}-errors`, errors: result?.intent === "answer" ? result.fieldErrors?.[`answer.${f.id}`] : undefined }} />
                </div>
                <button type="submit" className="button-primary" disabled={busy}>
                  {t("opinions:followUps.answerSubmit")}
                </button>
              </Form>
            ) : (
              <p className="muted">{t("opinions:followUps.awaiting")}</p>
            )}
          </li>
        ))}
      </ol>
      {mayAsk && (
        <Form method="post" key={followUps.length}>
          <input type="hidden" name="intent" value="ask" />
          <input type="hidden" name="opinionId" value={opinionId} />
          <div className="field">
            <label htmlFor="follow-up-question">{t("opinions:followUps.askLabel")}</label>
            <textarea id="follow-up-question" name="question" rows={4} maxLength={4000} />
            <FieldErrors field={{ errorId: "follow-up-question-errors", errors: result?.intent === "ask" ? result.fieldErrors?.question : undefined }} />
          </div>
          <button type="submit" className="button-primary" disabled={busy}>
            {t("opinions:followUps.askSubmit")}
          </button>
        </Form>
      )}
    </section>
  );
}
