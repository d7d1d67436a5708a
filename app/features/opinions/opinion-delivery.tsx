/** The coordinator's delivery panel: what blocks delivery, English only, and the treating physicians to deliver to. */
import { getCollectionProps, getFieldsetProps, getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import type { SectionName } from "~/features/opinions/opinion-content";
import { SECTION_TITLE_KEYS } from "./opinion-view";
import { DeliverForm, EnglishOnlyForm, lastResultOf, type OpinionActionReply } from "./opinion-forms";
import { FieldErrors, FormErrors } from "~/ui/field-errors";

/**
 * The coordinator's delivery of a signed version: what still blocks it, section
 * by section (or that nothing does), the recipients, who can only be treating
 * physicians of the submitting hospital, and, only while a translation is
 * missing, the secondary and confirmed choice to deliver in English only.
 */
export function OpinionDelivery({
  opinionId,
  englishOnly,
  problems,
  choices,
  defaultRecipientId,
}: {
  opinionId: string;
  englishOnly: boolean;
  problems: Record<string, string[]>;
  choices: { id: string; displayName: string; email: string }[];
  defaultRecipientId: string;
}) {
  const { t } = useTranslation();
  const reply = useActionData<OpinionActionReply>();
  const busy = useNavigation().state !== "idle";
  const blocked = Object.entries(problems);
  const [englishOnlyForm, englishOnlyFields] = useForm<z.input<typeof EnglishOnlyForm>>({
    id: "opinion-english-only",
    lastResult: lastResultOf(reply, "englishOnly"),
    constraint: getZodConstraint(EnglishOnlyForm),
  });
  const [form, fields] = useForm<z.input<typeof DeliverForm>>({
    id: "opinion-deliver",
    lastResult: lastResultOf(reply, "deliver"),
    constraint: getZodConstraint(DeliverForm),
    defaultValue: { recipient: [defaultRecipientId] },
  });
  const recipients = getCollectionProps(fields.recipient, { type: "checkbox", options: choices.map((c) => c.id) });
  const missing = (
    <ul className="field-errors" aria-labelledby="delivery-missing">
      {blocked.map(([section, keys]) => (
        <li key={section}>
          {t(SECTION_TITLE_KEYS[section as SectionName])}: {keys.map((k) => t(k)).join(" ")}
        </li>
      ))}
    </ul>
  );
  const englishOnlyFormProps = getFormProps(englishOnlyForm);
  const englishOnlyHidden = (
    <>
      <input type="hidden" name="intent" value="englishOnly" />
      <input type="hidden" name={englishOnlyFields.opinionId.name} value={opinionId} />
      <input type="hidden" name={englishOnlyFields.englishOnly.name} value={englishOnly ? "false" : "true"} />
    </>
  );
  return (
    <section aria-labelledby="delivery-title" className="delivery-panel">
      <h2 id="delivery-title">{t("opinions:delivery.title")}</h2>
      {englishOnly ? (
        <Form method="post" className="inline-form" {...englishOnlyFormProps}>
          {englishOnlyHidden}
          <p>{t("opinions:delivery.englishOnlyOn")}</p>
          <FormErrors errors={englishOnlyForm.errors} />
          <button type="submit" className="button-secondary" disabled={busy}>
            {t("opinions:delivery.englishOnlyUndo")}
          </button>
        </Form>
      ) : blocked.length > 0 ? (
        <>
          <p id="delivery-missing">{t("opinions:delivery.missing", { count: blocked.length })}</p>
          {missing}
        </>
      ) : (
        <p className="delivery-ready">{t("opinions:delivery.ready")}</p>
      )}
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="deliver" />
        <input type="hidden" name={fields.opinionId.name} value={opinionId} />
        <fieldset {...getFieldsetProps(fields.recipient)}>
          <legend>{t("opinions:delivery.recipients")}</legend>
          <p className="muted small">{t("opinions:delivery.recipientsHint")}</p>
          {choices.length === 0 && <p>{t("opinions:delivery.noPhysicians")}</p>}
          {choices.map((c, i) => {
            const { key, ...props } = recipients[i];
            return (
              <div key={key} className="checkbox">
                <input {...props} />
                <label htmlFor={props.id}>
                  {c.displayName} <span className="muted small">{c.email}</span>
                </label>
              </div>
            );
          })}
          <FieldErrors field={fields.recipient} />
        </fieldset>
        <FormErrors errors={form.errors} />
        <button type="submit" className="button-primary" disabled={busy || blocked.length > 0}>
          {t("opinions:delivery.submit")}
        </button>
      </Form>
      {!englishOnly && blocked.length > 0 && (
        <details className="secondary-choice" open={englishOnlyForm.status === "error"}>
          <summary>{t("opinions:delivery.englishOnlyOpen")}</summary>
          <Form method="post" {...englishOnlyFormProps}>
            {englishOnlyHidden}
            <p>{t("opinions:delivery.englishOnlyExplain")}</p>
            <div className="checkbox">
              <input type="checkbox" id={englishOnlyFields.confirm.id} name={englishOnlyFields.confirm.name} value="on" required />
              <label htmlFor={englishOnlyFields.confirm.id}>{t("opinions:delivery.englishOnlyConfirm")}</label>
            </div>
            <FieldErrors field={englishOnlyFields.confirm} />
            <FormErrors errors={englishOnlyForm.errors} />
            <button type="submit" className="button-secondary" disabled={busy}>
              {t("opinions:delivery.englishOnlyDecide")}
            </button>
          </Form>
        </details>
      )}
    </section>
  );
}
