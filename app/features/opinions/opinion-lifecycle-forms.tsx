import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldErrors } from "~/ui/field-errors";

type Result = { intent?: string; formError?: string | null; fieldErrors?: Record<string, string[]> };

/** An amendment starts from the signed text; the reason is shown to the recipients with what changed. */
export function OpinionAmendForm() {
  const { t } = useTranslation();
  const result = useActionData<Result>();
  const busy = useNavigation().state !== "idle";
  const errors = result?.intent === "amend" ? (result.fieldErrors?.amendmentReason ?? (result.formError ? [result.formError] : [])) : [];
  return (
    <Form method="post" className="amend-form">
      <input type="hidden" name="intent" value="amend" />
      <div className="field">
        <label htmlFor="amendment-reason">{t("opinions:amend.reason")}</label>
        <textarea id="amendment-reason" name="reason" rows={3} maxLength={2000} aria-describedby={errors.length ? "amendment-reason-errors" : undefined} />
        <FieldErrors field={{ errorId: "amendment-reason-errors", errors }} />
      </div>
      <button type="submit" className="button-primary" disabled={busy}>
        {t("opinions:amend.start")}
      </button>
    </Form>
  );
}

export function OpinionArchiveForm() {
  const { t } = useTranslation();
  const result = useActionData<Result>();
  const busy = useNavigation().state !== "idle";
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="archive" />
      <p className="muted small">{t("opinions:archive.explain")}</p>
      {result?.intent === "archive" && result.formError && (
        <p className="field-errors" role="alert">
          {t(result.formError)}
        </p>
      )}
      <button type="submit" className="button-primary" disabled={busy}>
        {t("opinions:archive.submit")}
      </button>
    </Form>
  );
}
