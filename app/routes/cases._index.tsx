/** /cases: a treating physician's case list, or an administrator's list of case metadata. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CaseList } from "~/features/cases/case-list";
import { loadCaseList, requireCaseList } from "~/features/cases/case-list.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireCaseList(request, context, "cases");
  return loadCaseList({ user, kind: "cases", searchParams: new URL(request.url).searchParams });
}

export default function CasesPage() {
  const { list, canCreate } = useLoaderData<typeof loader>();
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
      <p className="muted">{list.clinical ? t("home:physician.intro") : t("cases:list.metadataIntro")}</p>
      <CaseList data={list} emptyKey="home:physician.emptyBody" />
    </section>
  );
}
