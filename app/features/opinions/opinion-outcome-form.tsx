/** The treating physician's report of whether the opinion changed the diagnosis or treatment. */
import { getCollectionProps, getFieldsetProps, getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { OUTCOME_CHANGE_LABEL_KEYS, OUTCOME_CHANGES } from "~/features/opinions/outcome-report";
import { formatDateTime } from "~/ui/format";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { lastResultOf, OutcomeForm, type OpinionActionReply } from "./opinion-forms";

type Outcome = { changedDiagnosis: string; changedTreatment: string; actionTaken: string; reportedAt: Date | string } | null;

/** The treating physician reports, later, whether the opinion changed the diagnosis or the treatment, and what was done. */
export function OpinionOutcomeForm({ outcome, editable, timeZone }: { outcome: Outcome; editable: boolean; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const reply = useActionData<OpinionActionReply>();
  const busy = useNavigation().state !== "idle";
  const saved = reply?.intent === "outcome" && reply.ok;
  const [form, fields] = useForm<z.input<typeof OutcomeForm>>({
    id: "opinion-outcome",
    lastResult: lastResultOf(reply, "outcome"),
    constraint: getZodConstraint(OutcomeForm),
    defaultValue: outcome
      ? { changedDiagnosis: outcome.changedDiagnosis, changedTreatment: outcome.changedTreatment, actionTaken: outcome.actionTaken }
      : undefined,
    shouldValidate: "onSubmit",
  });
  return (
    <section aria-labelledby="outcome-title" className="outcome">
      <h2 id="outcome-title">{t("opinions:outcome.title")}</h2>
      {outcome && <p className="muted small">{t("opinions:outcome.reported", { time: formatDateTime(outcome.reportedAt, i18n.language, timeZone) })}</p>}
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
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="outcome" />
          <p>{t("opinions:outcome.explain")}</p>
          {([fields.changedDiagnosis, fields.changedTreatment] as const).map((field) => (
            <fieldset key={field.name} {...getFieldsetProps(field)}>
              <legend>{t(field.name === "changedDiagnosis" ? "opinions:outcome.changedDiagnosis" : "opinions:outcome.changedTreatment")}</legend>
              {getCollectionProps(field, { type: "radio", options: [...OUTCOME_CHANGES] }).map(({ key, ...props }) => (
                <span key={key} className="radio">
                  <input {...props} />
                  <label htmlFor={props.id}>{t(OUTCOME_CHANGE_LABEL_KEYS[props.value as (typeof OUTCOME_CHANGES)[number]])}</label>
                </span>
              ))}
              <FieldErrors field={field} />
            </fieldset>
          ))}
          <div className="field">
            <label htmlFor={fields.actionTaken.id}>{t("opinions:outcome.actionTaken")}</label>
            <textarea {...getTextareaProps(fields.actionTaken)} rows={3} />
            <FieldErrors field={fields.actionTaken} />
          </div>
          <FormErrors errors={form.errors} />
          {saved && <p role="status">{t("opinions:outcome.saved")}</p>}
          <button type="submit" className="button-primary" disabled={busy}>
            {t("opinions:outcome.submit")}
          </button>
        </Form>
      )}
    </section>
  );
}
