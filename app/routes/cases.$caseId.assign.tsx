/** /cases/<id>/assign: the coordinator triages a submitted case (primary and secondary consultants, due date). */
import { getCollectionProps, getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { requireCase } from "~/features/cases/case-access.server";
import { AssignForm } from "~/features/cases/case-forms";
import { loadAssignPage } from "~/features/cases/case-page.server";
import { assignConsultants } from "~/features/cases/case-workflow.server";
import { isSpecialty, SPECIALTIES, SPECIALTY_LABEL_KEYS } from "~/features/identity/specialties";
import { FieldErrors } from "~/ui/field-errors";
import { FilterSelect } from "~/ui/filter-select";
import { readForm } from "~/platform/request-body.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireCase(request, context, params.caseId, "coordinate");
  return loadAssignPage(caller, new URL(request.url).searchParams.get("specialty"));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireCase(request, context, params.caseId, "coordinate");
  const submission = parseWithZod(await readForm(request), { schema: AssignForm });
  if (submission.status !== "success")
    return data({ error: Object.values(submission.error ?? {}).flat()[0] ?? "cases:errors.actionNotAllowed", result: submission.reply() }, { status: 400 });
  const { primaryId, secondaryIds, dueDate } = submission.value;
  const result = await assignConsultants({ ...caller, primaryId, secondaryIds, dueDay: dueDate });
  if (!result.ok) {
    const error = result.formError ?? result.fieldErrors?.primaryId?.[0] ?? result.fieldErrors?.dueDate?.[0] ?? "cases:errors.actionNotAllowed";
    return data({ error, result: submission.reply({ formErrors: [error] }) }, { status: 400 });
  }
  throw redirect(`/cases/${caller.facts.id}`);
}

export default function AssignPage() {
  const { detail, requested, specialty, consultants, dueDay } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const consultantIds = consultants.map((c) => c.id);
  const [form, fields] = useForm<z.input<typeof AssignForm>>({
    id: "assign",
    lastResult: result?.result,
    constraint: getZodConstraint(AssignForm),
    defaultValue: { dueDate: dueDay },
    shouldValidate: "onSubmit",
  });
  return (
    <section aria-labelledby="assign-title" className="narrow">
      <h1 id="assign-title">{t("cases:assign.title", { code: detail.code })}</h1>
      <p>
        <Link to={`/cases/${detail.id}`}>{t("cases:assign.back")}</Link>
      </p>
      <p className="muted">
        {t("cases:assign.requested")}: {requested.map((s) => t(SPECIALTY_LABEL_KEYS[s])).join(", ") || "—"}
      </p>
      <Form method="get" className="filters">
        <FilterSelect
          name="specialty"
          label={t("cases:assign.filter")}
          value={specialty ?? ""}
          anyLabel={t("cases:assign.allSpecialties")}
          options={SPECIALTIES.map((s) => ({ value: s, label: t(SPECIALTY_LABEL_KEYS[s]) }))}
        />
        <button type="submit" className="button-secondary">
          {t("cases:list.apply")}
        </button>
      </Form>
      {result?.error && (
        <p className="alert alert-error" role="alert">
          {t(result.error)}
        </p>
      )}
      {consultants.length === 0 ? (
        <p className="empty-state">{t("cases:assign.noConsultants")}</p>
      ) : (
        <Form method="post" className="stack" {...getFormProps(form)}>
          <fieldset className="field" aria-describedby={fields.primaryId.errorId}>
            <legend>{t("cases:assign.primary")}</legend>
            {getCollectionProps(fields.primaryId, { type: "radio", options: consultantIds }).map((props, i) => (
              <label key={props.key} className="checkbox">
                <input {...props} key={props.key} />
                {consultants[i].displayName} —{" "}
                {consultants[i].specialties.map((s) => (isSpecialty(s.specialty) ? t(SPECIALTY_LABEL_KEYS[s.specialty]) : s.specialty)).join(", ")}
                {consultants[i].institution && ` · ${i18n.language === "zh-CN" ? consultants[i].institution.nameZh : consultants[i].institution.nameEn}`}
              </label>
            ))}
            <FieldErrors field={fields.primaryId} />
          </fieldset>
          <fieldset className="field">
            <legend>{t("cases:assign.secondary")}</legend>
            {getCollectionProps(fields.secondaryIds, { type: "checkbox", options: consultantIds }).map((props, i) => (
              <label key={props.key} className="checkbox">
                <input {...props} key={props.key} />
                {consultants[i].displayName}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={fields.dueDate.id}>{t("cases:assign.dueDate")}</label>
            <input {...getInputProps(fields.dueDate, { type: "date" })} />
            <FieldErrors field={fields.dueDate} />
          </div>
          <button type="submit" className="button-primary">
            {t("cases:assign.submit")}
          </button>
        </Form>
      )}
    </section>
  );
}
