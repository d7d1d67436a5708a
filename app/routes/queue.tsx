import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CaseList } from "~/features/cases/case-list";
import { requirePermission } from "~/features/identity/auth.server";
import { loadCaseList } from "~/features/cases/case-list.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "cases.viewAssigned");
  return { list: await loadCaseList(request, user) };
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
