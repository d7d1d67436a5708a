/** /cases: a treating physician's case list, or an administrator's list of case metadata. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CaseList } from "~/features/cases/case-list";
import { isCaseCode } from "~/features/cases/case-code";
import { loadCaseList, requireCaseList } from "~/features/cases/case-list.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireCaseList(request, context, "cases");
  const searchParams = new URL(request.url).searchParams;
  const deleted = searchParams.get("deleted");
  return { ...(await loadCaseList({ user, kind: "cases", searchParams })), deletedDraft: isCaseCode(deleted) ? deleted : null };
}

export default function CasesPage() {
  const { list, canCreate, deletedDraft } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="home-title">
      <div className="page-heading">
        <h1 id="home-title">{list.clinical ? t("home:physician.title") : t("cases:list.metadataTitle")}</h1>
        {canCreate && (
          <Link to="/cases/new" className="button-primary">
            {t("cases:list.new")}
          </Link>
        )}
      </div>
      {deletedDraft && (
        <p role="status" className="alert alert-info">
          {t("cases:list.draftDeleted", { code: deletedDraft })}
        </p>
      )}
      <p className="muted">{list.clinical ? t("home:physician.intro") : t("cases:list.metadataIntro")}</p>
      <CaseList data={list} emptyKey="home:physician.emptyBody" />
    </section>
  );
}
