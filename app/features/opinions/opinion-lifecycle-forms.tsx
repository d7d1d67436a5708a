/** The forms that start an amendment (with its reason) and archive the case. */
import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { AmendForm, ArchiveForm, lastResultOf, type OpinionActionReply } from "./opinion-forms";

/** An amendment starts from the signed text; the reason is shown to the recipients with what changed. */
export function OpinionAmendForm() {
  const { t } = useTranslation();
  const lastResult = lastResultOf(useActionData<OpinionActionReply>(), "amend");
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useForm<z.input<typeof AmendForm>>({
    id: "opinion-amend",
    lastResult,
    constraint: getZodConstraint(AmendForm),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" className="amend-form" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="amend" />
      <div className="field">
        <label htmlFor={fields.reason.id}>{t("opinions:amend.reason")}</label>
        <textarea {...getTextareaProps(fields.reason)} rows={3} />
        <FieldErrors field={fields.reason} />
      </div>
      <FormErrors errors={form.errors} />
      <button type="submit" className="button-primary" disabled={busy}>
        {t("opinions:amend.start")}
      </button>
    </Form>
  );
}

export function OpinionArchiveForm() {
  const { t } = useTranslation();
  const lastResult = lastResultOf(useActionData<OpinionActionReply>(), "archive");
  const busy = useNavigation().state !== "idle";
  const [form] = useForm<z.input<typeof ArchiveForm>>({ id: "opinion-archive", lastResult, constraint: getZodConstraint(ArchiveForm) });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="archive" />
      <p className="muted small">{t("opinions:archive.explain")}</p>
      <FormErrors errors={form.errors} />
      <button type="submit" className="button-primary" disabled={busy}>
        {t("opinions:archive.submit")}
      </button>
    </Form>
  );
}
