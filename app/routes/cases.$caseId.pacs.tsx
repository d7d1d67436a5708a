/** /cases/<id>/pacs: the treating physician searches the hospital PACS and pulls studies or series into the case. */
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PacsPanel, type PacsActionData } from "~/features/imaging/pacs/pacs-panel";
import { PacsPullForm, PacsSearchForm, PacsSeriesForm } from "~/features/imaging/pacs/pacs-query";
import { listPacsSeries, loadPacsPage, searchPacs, startPacsPull } from "~/features/imaging/pacs/pacs-steps.server";
import { requireCaseImaging } from "~/features/imaging/imaging-steps.server";
import { readForm } from "~/platform/request-body.server";

/** Search answers carry the hospital's patient names and IDs: never cached, by the browser or anything between. */
const NO_STORE = { "Cache-Control": "no-store" };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "queryPacs");
  const poll = new URL(request.url).searchParams.get("poll") === "1";
  const page = await loadPacsPage({ ...caller, poll });
  if (!page.ok) throw new Response("Forbidden", { status: page.status });
  return data(page, { headers: NO_STORE });
}

const SCHEMAS = { search: PacsSearchForm, series: PacsSeriesForm, pull: PacsPullForm } as const;
type Intent = keyof typeof SCHEMAS;
const isIntent = (value: unknown): value is Intent => typeof value === "string" && Object.hasOwn(SCHEMAS, value);

/**
 * The page's own searches, series lists and pulls change nothing its loader reads except the pulls, which the panel polls for
 * itself: reloading the page after each of them would only audit another `pacs.view` per search.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, formData, currentUrl, defaultShouldRevalidate }) => {
  if (formAction && new URL(formAction, currentUrl).pathname === currentUrl.pathname && isIntent(formData?.get("intent"))) return false;
  return defaultShouldRevalidate;
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "queryPacs");
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (!isIntent(intent)) return data<PacsActionData>({ intent: "invalid", error: "imaging:pacs.errors.invalid" }, { status: 400, headers: NO_STORE });
  const submission = parseWithZod(formData, { schema: SCHEMAS[intent] });
  if (submission.status !== "success") {
    const error =
      Object.values(submission.error ?? {})
        .flat()
        .find(Boolean) ?? "imaging:pacs.errors.invalid";
    return data<PacsActionData>({ intent, error, result: submission.reply() }, { status: 400, headers: NO_STORE });
  }
  const input = submission.value;
  switch (input.intent) {
    case "search": {
      const found = await searchPacs({ ...caller, search: input });
      if (!found.ok)
        return data<PacsActionData>(
          { intent, error: found.errorKey, result: submission.reply({ formErrors: [found.errorKey] }) },
          { status: found.status, headers: NO_STORE },
        );
      return data<PacsActionData>(
        { intent, error: null, studies: found.studies, truncated: found.truncated, result: submission.reply() },
        { headers: NO_STORE },
      );
    }
    case "series": {
      const found = await listPacsSeries({ ...caller, studyUid: input.studyUid });
      if (!found.ok) return data<PacsActionData>({ intent, error: found.errorKey, studyUid: input.studyUid }, { status: found.status, headers: NO_STORE });
      return data<PacsActionData>({ intent, error: null, studyUid: found.studyUid, series: found.series }, { headers: NO_STORE });
    }
    case "pull": {
      const started = await startPacsPull({ ...caller, picks: input.pick });
      if (!started.ok) return data<PacsActionData>({ intent, error: started.errorKey }, { status: started.status, headers: NO_STORE });
      return data<PacsActionData>({ intent, error: null, pullId: started.pullId }, { headers: NO_STORE });
    }
  }
}

export default function CasePacsPage() {
  const page = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  if (!page.caseId || !page.caseCode) return null;
  return (
    <section aria-labelledby="pacs-title" className="stack">
      <p>
        <Link to={`/cases/${page.caseId}`}>{t("imaging:pacs.back", { code: page.caseCode })}</Link>
      </p>
      <h1 id="pacs-title">{t("imaging:pacs.title", { code: page.caseCode })}</h1>
      <PacsPanel caseId={page.caseId} pacs={page.pacs ?? null} pulls={page.pulls} />
    </section>
  );
}
