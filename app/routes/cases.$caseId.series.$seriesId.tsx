/**
 * /cases/<id>/series/<id>: the viewer workspace opened on a series (beside its prior when it has one) with the case's SR
 * measurement reports, key image marking, and the series' measurements saved as a DICOM SR.
 */
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ViewerWorkspace } from "~/features/imaging/viewer/viewer-workspace";
import { shownSeries } from "~/features/imaging/viewer/workspace-state";
import { preloadUrl, readPreloadedSlice } from "~/features/imaging/viewer/instance-cache";
import { KeyImageForm, SaveMeasurementsForm } from "~/features/imaging/imaging-forms";
import { loadSeriesViewer, markKeyImage, requireCaseImaging } from "~/features/imaging/imaging-steps.server";
import { saveMeasurementReport } from "~/features/imaging/structured-reports.server";
import { denyAccess } from "~/features/identity/auth.server";
import { readForm } from "~/platform/request-body.server";
import { useHydrated } from "~/ui/use-hydrated";

// In the browser, reading the slice the page preloaded starts as soon as this module runs, while the page hydrates.
const preloadedSlice = typeof document === "undefined" ? null : document.querySelector("link[data-first-slice]")?.getAttribute("data-first-slice");
if (preloadedSlice) readPreloadedSlice(preloadedSlice);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "view");
  const page = await loadSeriesViewer({ ...caller, seriesId: params.seriesId ?? "", viewParam: new URL(request.url).searchParams.get("view") });
  if (!page) throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, seriesId: params.seriesId ?? null }, 404);
  return page;
}

/** Marks the slice on screen as a key image, with a note and the exact view; or saves the series' measurements as a DICOM SR. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  if (form.get("intent") === "saveMeasurements") return saveMeasurements(request, context, params, form);
  const caller = await requireCaseImaging(request, context, params.caseId, "markKeyImage");
  const submission = parseWithZod(form, { schema: KeyImageForm });
  if (submission.status !== "success")
    return data({ error: Object.values(submission.error ?? {}).flat()[0] ?? "imaging:keyImages.invalid", saved: false }, { status: 400 });
  const marked = await markKeyImage({ ...caller, seriesId: params.seriesId ?? "", ...submission.value });
  if (!marked) throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, seriesId: params.seriesId ?? null }, 404);
  if (!marked.ok) return data({ error: marked.errorKey, saved: false }, { status: marked.status });
  return { error: null, saved: true };
}

async function saveMeasurements(request: Request, context: ActionFunctionArgs["context"], params: ActionFunctionArgs["params"], form: FormData) {
  const caller = await requireCaseImaging(request, context, params.caseId, "saveMeasurements");
  const submission = parseWithZod(form, { schema: SaveMeasurementsForm });
  if (submission.status !== "success") return data({ error: "imaging:reports.invalid", saved: false }, { status: 400 });
  const saved = await saveMeasurementReport({ ...caller, seriesId: params.seriesId ?? "", viewState: submission.value.viewState });
  if (!saved) throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, seriesId: params.seriesId ?? null }, 404);
  if (!saved.ok) return data({ error: saved.errorKey, saved: false }, { status: saved.status });
  return { error: null, saved: true, measurements: saved.measurements };
}

export default function SeriesViewerPage() {
  const { caseId, caseCode, studies, workspace, firstSliceUrl, preview, canMarkKeyImage, canSaveMeasurements, reports } = useLoaderData<typeof loader>();
  // Only a page the server sent has the link read (above, as this module runs): opened from another page in the
  // browser, the link would download the slice a second time beside the viewer's own request.
  const hydrated = useHydrated();
  return (
    <>
      {/* The first slice downloads while the page's code is still loading. */}
      {firstSliceUrl && !hydrated && (
        <link rel="preload" as="fetch" href={preloadUrl(firstSliceUrl)} crossOrigin="anonymous" data-first-slice={firstSliceUrl} />
      )}
      <ViewerWorkspace
        // Another series opened from a link starts its own workspace.
        key={shownSeries(workspace).join()}
        caseId={caseId}
        caseCode={caseCode}
        studies={studies}
        initial={workspace}
        preview={preview}
        canMarkKeyImage={canMarkKeyImage}
        canSaveMeasurements={canSaveMeasurements}
        reports={reports}
      />
    </>
  );
}
