/** /glossary: search the bilingual glossary; coordinators add terms. */
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { GLOSSARY_CATEGORIES } from "~/features/glossary/glossary-categories";
import { GLOSSARY_CATEGORY_LABEL_KEYS, GlossaryPageQuery, GlossaryTermForm } from "~/features/glossary/glossary-forms";
import { addGlossaryTerm, loadGlossaryPage } from "~/features/glossary/glossary.server";
import { requirePermission } from "~/features/identity/auth.server";
import { requestMeta } from "~/platform/request-meta.server";
import { parseQuery } from "~/platform/query-params";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { readForm } from "~/platform/request-body.server";
import { TableScroll } from "~/ui/table-scroll";

const CATEGORY_KEYS: Record<string, string> = GLOSSARY_CATEGORY_LABEL_KEYS;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "glossary.read");
  const { q } = parseQuery(new URL(request.url).searchParams, GlossaryPageQuery);
  return loadGlossaryPage({ user, q });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "glossary.edit");
  const submission = parseWithZod(await readForm(request), { schema: GlossaryTermForm });
  if (submission.status !== "success")
    return data(
      { error: Object.values(submission.error ?? {}).flat()[0] ?? "cases:glossary.invalid", added: null, result: submission.reply() },
      { status: 400 },
    );
  const added = await addGlossaryTerm({ user, meta: requestMeta(request, context), term: submission.value });
  if (!added.ok) return data({ error: added.error, added: null, result: submission.reply({ formErrors: [added.error] }) }, { status: added.status });
  return { error: null, added: added.en, result: submission.reply() };
}

export default function GlossaryPage() {
  const { q, terms, total, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="glossary-title">
      <h1 id="glossary-title">{t("cases:glossary.pageTitle")}</h1>
      <p className="muted">{t("cases:glossary.intro", { count: total })}</p>
      <Form method="get" role="search" className="filters">
        <div className="field">
          <label htmlFor="glossary-q">{t("cases:glossary.search")}</label>
          <input id="glossary-q" name="q" type="search" defaultValue={q} />
        </div>
        <button type="submit" className="button-secondary">
          {t("cases:glossary.find")}
        </button>
      </Form>
      {q && terms.length === 0 && <p>{t("cases:glossary.noMatch")}</p>}
      {terms.length > 0 && (
        <TableScroll label={t("cases:glossary.pageTitle")}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("cases:glossary.en")}</th>
                <th scope="col">{t("cases:glossary.zh")}</th>
                <th scope="col">{t("cases:glossary.category")}</th>
              </tr>
            </thead>
            <tbody>
              {terms.map((term) => (
                <tr key={term.id}>
                  <td lang="en">
                    {term.en}
                    {term.note && <span className="muted small"> ({term.note})</span>}
                  </td>
                  <td>
                    <span lang="zh-CN">{term.zh}</span>
                    {term.needsReview && <span className="badge badge-review">{t("cases:glossary.needsReview")}</span>}
                  </td>
                  <td>{CATEGORY_KEYS[term.category] ? t(CATEGORY_KEYS[term.category]) : term.category}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {canEdit && <AddTermForm lastResult={result?.result} added={result?.added ?? null} />}
    </section>
  );
}

/** A coordinator's new term: English, Chinese, category and an optional note. */
function AddTermForm({ lastResult, added }: { lastResult: SubmissionResult<string[]> | undefined; added: string | null }) {
  const { t } = useTranslation();
  const [form, fields] = useForm<z.input<typeof GlossaryTermForm>>({
    id: "glossary-term",
    lastResult,
    constraint: getZodConstraint(GlossaryTermForm),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" className="stack narrow section" {...getFormProps(form)}>
      <h2>{t("cases:glossary.addTitle")}</h2>
      <FormErrors errors={form.errors} />
      {added && <p role="status">{t("cases:glossary.added", { term: added })}</p>}
      <div className="field-row">
        <div className="field">
          <label htmlFor={fields.en.id}>{t("cases:glossary.en")}</label>
          <input {...getInputProps(fields.en, { type: "text" })} lang="en" />
          <FieldErrors field={fields.en} />
        </div>
        <div className="field">
          <label htmlFor={fields.zh.id}>{t("cases:glossary.zh")}</label>
          <input {...getInputProps(fields.zh, { type: "text" })} lang="zh-CN" />
          <FieldErrors field={fields.zh} />
        </div>
        <div className="field">
          <label htmlFor={fields.category.id}>{t("cases:glossary.category")}</label>
          <select {...getSelectProps(fields.category)}>
            {GLOSSARY_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(GLOSSARY_CATEGORY_LABEL_KEYS[c])}
              </option>
            ))}
          </select>
          <FieldErrors field={fields.category} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={fields.note.id}>{t("cases:glossary.note")}</label>
        <input {...getInputProps(fields.note, { type: "text" })} />
        <FieldErrors field={fields.note} />
      </div>
      <button type="submit" className="button-primary">
        {t("cases:glossary.add")}
      </button>
    </Form>
  );
}
