import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CaseList } from "~/features/cases/case-list";
import { requirePermission } from "~/features/identity/auth.server";
import { loadCaseList } from "~/features/cases/case-list.server";

/** The coordinator's board opens on the triage queue: submitted cases waiting for assignment. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "cases.viewBoard");
  return { list: await loadCaseList(request, user, { status: "SUBMITTED" }) };
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
