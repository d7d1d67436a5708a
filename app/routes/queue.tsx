/** /queue: a consultant's queue of assigned cases. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CaseList } from "~/features/cases/case-list";
import { loadCaseList, requireCaseList } from "~/features/cases/case-list.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireCaseList(request, context, "queue");
  return loadCaseList({ user, kind: "queue", searchParams: new URL(request.url).searchParams });
}

export default function QueuePage() {
  const { list } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t("home:consultant.title")}</h1>
      <p className="muted">{t("home:consultant.intro")}</p>
      <CaseList data={list} emptyKey="home:consultant.emptyBody" />
    </section>
  );
}
