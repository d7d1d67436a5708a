/** /search: bilingual search of cases and opinions, within what the reader may see. */
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FilterSelect } from "~/ui/filter-select";
import { CASE_STATUS_LABEL_KEYS } from "~/features/cases/case-lifecycle";
import { CANCER_TYPES, GENES, labelKeys } from "~/features/cases/clinical-vocabulary";
import { loadSearchPage } from "~/features/search-reports/search.server";
import { requirePermission } from "~/features/identity/auth.server";
import { formatDate } from "~/ui/format";
import { requestMeta } from "~/platform/request-meta.server";

const CANCER_TYPE_KEYS = labelKeys("cancerTypes", CANCER_TYPES);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "search.use");
  const page = await loadSearchPage({ user, meta: requestMeta(request, context), searchParams: new URL(request.url).searchParams });
  return data(page, { status: Object.keys(page.errors).length > 0 ? 400 : 200 });
}

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  const { t } = useTranslation();
  return error ? (
    <p id={id} className="field-error">
      {t(error)}
    </p>
  ) : null;
}

function DateField({ name, label, value, error }: { name: string; label: string; value: string; error: string | undefined }) {
  return (
    <div className="field">
      <label htmlFor={`search-${name}`}>{label}</label>
      <input
        id={`search-${name}`}
        name={name}
        type="date"
        defaultValue={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `search-${name}-error` : undefined}
      />
      <FieldError id={`search-${name}-error`} error={error} />
    </div>
  );
}

export default function SearchPage() {
  const { values, errors, options, result, timeZone } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const name = (i: { nameEn: string; nameZh: string }) => (i18n.language === "zh-CN" ? i.nameZh : i.nameEn);
  const pageLink = (target: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(target));
    return `?${next}`;
  };

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{t("search:title")}</h1>
      <p className="muted">{t("search:intro")}</p>
      <Form method="get" role="search" className="filters" aria-label={t("search:formLabel")}>
        <div className="field">
          <label htmlFor="search-q">{t("search:query")}</label>
          <input id="search-q" name="q" type="search" defaultValue={values.q} maxLength={200} aria-describedby="search-q-hint" />
          <p id="search-q-hint" className="muted small">
            {t("search:queryHint")}
          </p>
        </div>
        <FilterSelect
          name="cancerType"
          label={t("search:cancerType")}
          value={values.cancerType}
          error={errors.cancerType}
          anyLabel={t("search:any")}
          options={CANCER_TYPES.map((c) => ({ value: c, label: t(CANCER_TYPE_KEYS[c]) }))}
        />
        <FilterSelect
          name="gene"
          label={t("search:gene")}
          value={values.gene}
          error={errors.gene}
          anyLabel={t("search:any")}
          options={GENES.map((g) => ({ value: g, label: g }))}
        />
        <DateField name="from" label={t("search:from")} value={values.from} error={errors.from} />
        <DateField name="to" label={t("search:to")} value={values.to} error={errors.to} />
        {options.institutions.length > 0 && (
          <FilterSelect
            name="institution"
            label={t("search:institution")}
            value={values.institution}
            error={errors.institution}
            anyLabel={t("search:any")}
            options={options.institutions.map((i) => ({ value: i.id, label: name(i) }))}
          />
        )}
        <FilterSelect
          name="consultant"
          label={t("search:consultant")}
          value={values.consultant}
          error={errors.consultant}
          anyLabel={t("search:any")}
          options={options.consultants.map((c) => ({ value: c.id, label: c.displayName }))}
        />
        <button type="submit" className="button-primary">
          {t("search:submit")}
        </button>
      </Form>

      {Object.keys(errors).length > 0 && (
        <p className="alert alert-error" role="alert">
          {t("search:errors.summary")}
        </p>
      )}
      {!result && Object.keys(errors).length === 0 && (
        <div className="empty-state" role="note">
          <p>{t("search:emptyQuery")}</p>
        </div>
      )}
      {result && (
        <>
          <p role="status">{t("search:count", { count: result.total })}</p>
          {result.hits.length === 0 ? (
            <div className="empty-state" role="note">
              <p>{t("search:noResults")}</p>
            </div>
          ) : (
            <ol className="search-results">
              {result.hits.map((hit) => (
                <li key={hit.id} className="search-result">
                  <h2 className="search-result-title">
                    <Link to={`/cases/${hit.id}`}>{hit.code}</Link>{" "}
                    <span className={`badge status-${hit.status}`}>{t(CASE_STATUS_LABEL_KEYS[hit.status])}</span>
                  </h2>
                  <p className="muted small">
                    {[
                      hit.cancerType ? t(CANCER_TYPE_KEYS[hit.cancerType as keyof typeof CANCER_TYPE_KEYS] ?? hit.cancerType) : null,
                      name(hit.institution),
                      hit.submittedAt ? formatDate(hit.submittedAt, i18n.language, timeZone) : null,
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                  </p>
                  <p>
                    {t("search:matchedIn")} {hit.matchedCase && <span className="badge">{t("search:kind.CASE")}</span>}{" "}
                    {hit.opinionId && (
                      <Link to={`/cases/${hit.id}/opinion`} className="badge">
                        {t("search:kind.OPINION")}
                      </Link>
                    )}
                  </p>
                  {hit.snippet && (
                    <p className="search-snippet">
                      {hit.snippet.before}
                      <mark>{hit.snippet.match}</mark>
                      {hit.snippet.after}
                    </p>
                  )}
                </li>
              ))}
            </ol>
          )}
          {result.pageCount > 1 && (
            <nav className="pagination" aria-label={t("admin:pagination")}>
              {result.page > 1 && <Link to={pageLink(result.page - 1)}>{t("admin:previous")}</Link>}
              <span>{t("admin:pageOf", { page: result.page, pageCount: result.pageCount })}</span>
              {result.page < result.pageCount && <Link to={pageLink(result.page + 1)}>{t("admin:next")}</Link>}
            </nav>
          )}
        </>
      )}
    </section>
  );
}
