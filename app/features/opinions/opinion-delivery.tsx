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
 * The coordinator's delivery of a signed version: what still blocks it (Chinese
 * translations not reviewed), the explicit "English only" decision, and the
 * recipients, who can only be treating physicians of the submitting hospital.
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
  return (
    <section aria-labelledby="delivery-title" className="delivery-panel">
      <h2 id="delivery-title">{t("opinions:delivery.title")}</h2>
      {blocked.length > 0 && (
        <ul className="field-errors">
          {blocked.map(([section, keys]) => (
            <li key={section}>
              {t(SECTION_TITLE_KEYS[section as SectionName])}: {keys.map((k) => t(k)).join(" ")}
            </li>
          ))}
        </ul>
      )}
      <Form method="post" className="inline-form" {...getFormProps(englishOnlyForm)}>
        <input type="hidden" name="intent" value="englishOnly" />
        <input type="hidden" name={englishOnlyFields.opinionId.name} value={opinionId} />
        <input type="hidden" name={englishOnlyFields.englishOnly.name} value={englishOnly ? "false" : "true"} />
        <p>{t(englishOnly ? "opinions:delivery.englishOnlyOn" : "opinions:delivery.englishOnlyExplain")}</p>
        <FormErrors errors={englishOnlyForm.errors} />
        <button type="submit" className="button-secondary" disabled={busy}>
          {t(englishOnly ? "opinions:delivery.englishOnlyUndo" : "opinions:delivery.englishOnlyDecide")}
        </button>
      </Form>
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
    </section>
  );
}
