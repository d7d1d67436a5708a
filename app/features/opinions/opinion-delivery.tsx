import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { SectionName } from "~/features/opinions/opinion-content";
import { SECTION_TITLE_KEYS } from "./opinion-view";
import { FieldErrors } from "~/ui/field-errors";

type Result = { intent?: string; formError?: string | null; fieldErrors?: Record<string, string[]> };

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
  const result = useActionData<Result>();
  const busy = useNavigation().state !== "idle";
  const blocked = Object.entries(problems);
  const deliverResult = result?.intent === "deliver" ? result : undefined;
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
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="englishOnly" />
        <input type="hidden" name="opinionId" value={opinionId} />
        <input type="hidden" name="englishOnly" value={englishOnly ? "false" : "true"} />
        <p>{t(englishOnly ? "opinions:delivery.englishOnlyOn" : "opinions:delivery.englishOnlyExplain")}</p>
        <button type="submit" className="button-secondary" disabled={busy}>
          {t(englishOnly ? "opinions:delivery.englishOnlyUndo" : "opinions:delivery.englishOnlyDecide")}
        </button>
      </Form>
      <Form method="post">
        <input type="hidden" name="intent" value="deliver" />
        <input type="hidden" name="opinionId" value={opinionId} />
        <fieldset aria-describedby={deliverResult?.fieldErrors?.recipients ? "recipient-errors" : undefined}>
          <legend>{t("opinions:delivery.recipients")}</legend>
          <p className="muted small">{t("opinions:delivery.recipientsHint")}</p>
          {choices.length === 0 && <p>{t("opinions:delivery.noPhysicians")}</p>}
          {choices.map((c) => (
            <div key={c.id} className="checkbox">
              <input type="checkbox" id={`recipient-${c.id}`} name="recipient" value={c.id} defaultChecked={c.id === defaultRecipientId} />
              <label htmlFor={`recipient-${c.id}`}>
                {c.displayName} <span className="muted small">{c.email}</span>
              </label>
            </div>
          ))}
          <FieldErrors field={{ errorId: "recipient-errors", errors: deliverResult?.fieldErrors?.recipients }} />
        </fieldset>
        {deliverResult?.formError && (
          <p className="field-errors" role="alert">
            {t(deliverResult.formError)}
          </p>
        )}
        <button type="submit" className="button-primary" disabled={busy || blocked.length > 0}>
          {t("opinions:delivery.submit")}
        </button>
      </Form>
    </section>
  );
}
