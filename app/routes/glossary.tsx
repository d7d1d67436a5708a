import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { can } from "~/features/identity/permissions";
import { GLOSSARY_CATEGORIES } from "~/features/glossary/glossary-categories";
import { addGlossaryTerm, searchGlossary } from "~/features/glossary/glossary.server";
import { recordAudit } from "~/features/audit/audit.server";
import { requirePermission } from "~/features/identity/auth.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";

const CATEGORY_KEYS = Object.fromEntries(GLOSSARY_CATEGORIES.map((c) => [c, `cases:glossary.categories.${c}`])) as Record<string, string>;

const TermSchema = z.object({
  en: z.string().trim().min(1, "cases:glossary.enRequired").max(200),
  zh: z.string().trim().min(1, "cases:glossary.zhRequired").max(200),
  category: z.enum(GLOSSARY_CATEGORIES),
  note: z.string().trim().max(300).optional(),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "glossary.read");
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return { q, terms: q ? await searchGlossary(getDb(), q, 100) : [], total: await getDb().glossaryTerm.count(), canEdit: can(user, "glossary.edit") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "glossary.edit");
  const parsed = TermSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: parsed.error.issues[0]?.message ?? "cases:glossary.invalid", added: null }, { status: 400 });
  const db = getDb();
  if (await db.glossaryTerm.findUnique({ where: { en: parsed.data.en } })) return data({ error: "cases:glossary.duplicate", added: null }, { status: 409 });
  const term = await addGlossaryTerm(db, parsed.data, user.id);
  await recordAudit(db, { actor: user, action: "glossary.add", outcome: "success", entityType: "GlossaryTerm", entityId: term.id, details: parsed.data, meta: requestMeta(request, context) });
  return { error: null, added: term.en };
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
                <td lang="zh-CN">{term.zh}</td>
                <td>{CATEGORY_KEYS[term.category] ? t(CATEGORY_KEYS[term.category]) : term.category}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && (
        <Form method="post" className="stack narrow section">
          <h2>{t("cases:glossary.addTitle")}</h2>
          {result?.error && (
            <p className="alert alert-error" role="alert">
              {t(result.error)}
            </p>
          )}
          {result?.added && <p role="status">{t("cases:glossary.added", { term: result.added })}</p>}
          <div className="field-row">
            <div className="field">
              <label htmlFor="term-en">{t("cases:glossary.en")}</label>
              <input id="term-en" name="en" lang="en" required />
            </div>
            <div className="field">
              <label htmlFor="term-zh">{t("cases:glossary.zh")}</label>
              <input id="term-zh" name="zh" lang="zh-CN" required />
            </div>
            <div className="field">
              <label htmlFor="term-category">{t("cases:glossary.category")}</label>
              <select id="term-category" name="category">
                {GLOSSARY_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t(CATEGORY_KEYS[c])}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="field">
            <label htmlFor="term-note">{t("cases:glossary.note")}</label>
            <input id="term-note" name="note" />
          </div>
          <button type="submit" className="button-primary">
            {t("cases:glossary.add")}
          </button>
        </Form>
      )}
    </section>
  );
}
