/** /board: the coordinator's board of cases, opening on those waiting for triage. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CaseList } from "~/features/cases/case-list";
import { loadCaseList, requireCaseList } from "~/features/cases/case-list.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireCaseList(request, context, "board");
  return loadCaseList({ user, kind: "board", searchParams: new URL(request.url).searchParams });
}

export default function BoardPage() {
  const { list } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t("home:coordinator.title")}</h1>
      <p className="muted">{t("home:coordinator.intro")}</p>
      <CaseList data={list} emptyKey="home:coordinator.emptyBody" />
    </section>
  );
}
