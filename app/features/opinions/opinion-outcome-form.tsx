import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { OUTCOME_CHANGE_LABEL_KEYS, OUTCOME_CHANGES } from "~/features/opinions/outcome-report";
import { formatDateTime } from "~/ui/format";
import { FieldErrors } from "~/ui/field-errors";

type Outcome = { changedDiagnosis: string; changedTreatment: string; actionTaken: string; reportedAt: Date | string } | null;
type Result = { intent?: string; formError?: string | null; fieldErrors?: Record<string, string[]> };

/** The treating physician reports, later, whether the opinion changed the diagnosis or the treatment, and what was done. */
export function OpinionOutcomeForm({ outcome, editable, timeZone }: { outcome: Outcome; editable: boolean; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const result = useActionData<Result>();
  const busy = useNavigation().state !== "idle";
  const errors = result?.intent === "outcome" ? (result.fieldErrors ?? {}) : {};
  const saved = result?.intent === "outcome" && !result.formError && !result.fieldErrors;
  return (
    <section aria-labelledby="outcome-title" className="outcome">
      <h2 id="outcome-title">{t("opinions:outcome.title")}</h2>
      {outcome && (
        <p className="muted small">
          {t("opinions:outcome.reported", { time: formatDateTime(outcome.reportedAt, i18n.language, timeZone) })}
        </p>
      )}
      {!editable && outcome && (
        <dl>
          <dt>{t("opinions:outcome.changedDiagnosis")}</dt>
          <dd>{t(OUTCOME_CHANGE_LABEL_KEYS[outcome.changedDiagnosis as "YES"] ?? "reports:changes.NO")}</dd>
          <dt>{t("opinions:outcome.changedTreatment")}</dt>
          <dd>{t(OUTCOME_CHANGE_LABEL_KEYS[outcome.changedTreatment as "YES"] ?? "reports:changes.NO")}</dd>
          <dt>{t("opinions:outcome.actionTaken")}</dt>
          <dd className="pre-wrap">{outcome.actionTaken || "—"}</dd>
        </dl>
      )}
      {editable && (
        <Form method="post">
          <input type="hidden" name="intent" value="outcome" />
          <p>{t("opinions:outcome.explain")}</p>
          {(["changedDiagnosis", "changedTreatment"] as const).map((field) => (
            <fieldset key={field} aria-describedby={errors[field] ? `${field}-errors` : undefined}>
              <legend>{t(`opinions:outcome.${field}`)}</legend>
              {OUTCOME_CHANGES.map((value) => (
                <span key={value} className="radio">
                  <input type="radio" id={`${field}-${value}`} name={field} value={value} defaultChecked={outcome?.[field] === value} />
                  <label htmlFor={`${field}-${value}`}>{t(OUTCOME_CHANGE_LABEL_KEYS[value])}</label>
                </span>
              ))}
              <FieldErrors field={{ errorId: `${field}-errors`, errors: errors[field] }} />
            </fieldset>
          ))}
          <div className="field">
            <label htmlFor="outcome-action">{t("opinions:outcome.actionTaken")}</label>
            <textarea id="outcome-action" name="actionTaken" rows={3} maxLength={4000} defaultValue={outcome?.actionTaken ?? ""} aria-describedby={errors.actionTaken ? "outcome-action-errors" : undefined} />
            <FieldErrors field={{ errorId: "outcome-action-errors", errors: errors.actionTaken }} />
          </div>
          {saved && <p role="status">{t("opinions:outcome.saved")}</p>}
          <button type="submit" className="button-primary" disabled={busy}>
            {t("opinions:outcome.submit")}
          </button>
        </Form>
      )}
    </section>
  );
}
