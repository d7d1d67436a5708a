/** /cases/<id>/series/<id>: the DICOM viewer, with an optional series to compare, and key image marking. */
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import DicomViewer from "~/features/imaging/viewer/dicom-viewer.client";
import { fetchInstance } from "~/features/imaging/viewer/instance-cache";
import { KeyImageForm } from "~/features/imaging/imaging-forms";
import { loadSeriesViewer, markKeyImage, requireCaseImaging } from "~/features/imaging/imaging-steps.server";
import { denyAccess } from "~/features/identity/auth.server";
import { readForm } from "~/platform/request-body.server";
import { useHydrated } from "~/ui/use-hydrated";

// In the browser, reading the slice the page preloaded starts as soon as this module runs, while the page hydrates.
const preloadedSlice = typeof document === "undefined" ? null : document.querySelector("link[data-first-slice]")?.getAttribute("href");
if (preloadedSlice) void fetchInstance(preloadedSlice).catch(() => undefined);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "view");
  const url = new URL(request.url);
  const compareId = url.searchParams.get("compare");
  const page = await loadSeriesViewer({ ...caller, seriesId: params.seriesId ?? "", viewParam: url.searchParams.get("view"), compareId });
  if (!page)
    throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, seriesId: params.seriesId ?? null, compareSeriesId: compareId }, 404);
  return page;
}

/** Marks the slice on screen as a key image, with a note and the exact view. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "markKeyImage");
  const submission = parseWithZod(await readForm(request), { schema: KeyImageForm });
  if (submission.status !== "success")
    return data({ error: Object.values(submission.error ?? {}).flat()[0] ?? "imaging:keyImages.invalid", saved: false }, { status: 400 });
  const marked = await markKeyImage({ ...caller, seriesId: params.seriesId ?? "", ...submission.value });
  if (!marked) throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, seriesId: params.seriesId ?? null }, 404);
  if (!marked.ok) return data({ error: marked.errorKey, saved: false }, { status: marked.status });
  return { error: null, saved: true };
}

export default function SeriesViewerPage() {
  const { caseId, caseCode, main, compare, others, firstSliceUrl, canMarkKeyImage } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  // cornerstone needs a canvas and a window: the viewer renders in the browser only, right after hydration.
  const hydrated = useHydrated();
  const [linked, setLinked] = useState(true);
  const [position, setPosition] = useState<{ from: string; mm: number } | null>(null);
  const panes = compare ? [main, compare] : [main];
  return (
    <section aria-labelledby="viewer-title" className="viewer-page">
      {/* The first slice downloads while the page's code is still loading. */}
      {firstSliceUrl && <link rel="preload" as="fetch" href={firstSliceUrl} crossOrigin="anonymous" data-first-slice="" />}
      <p>
        <Link to={`/cases/${caseId}`}>{t("imaging:viewer.backToCase", { code: caseCode })}</Link>
      </p>
      <h1 id="viewer-title">{seriesTitle(main.series, t)}</h1>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="compare-series">{t("imaging:viewer.compareWith")}</label>
          <select id="compare-series" name="compare" defaultValue={compare?.series.id ?? ""}>
            <option value="">{t("imaging:viewer.noComparison")}</option>
            {others.map((o) => (
              <option key={o.id} value={o.id}>
                {seriesTitle({ number: o.seriesNumber, modality: o.modality, description: o.description }, t)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button-secondary">
          {t("imaging:viewer.showComparison")}
        </button>
        {compare && (
          <div className="field checkbox">
            <input id="link-scrolling" type="checkbox" checked={linked} onChange={(e) => setLinked(e.currentTarget.checked)} />
            <label htmlFor="link-scrolling">{t("imaging:viewer.linkScrolling")}</label>
          </div>
        )}
      </Form>
      {hydrated ? (
        <div className={compare ? "viewer-compare" : undefined}>
          {panes.map((pane) => (
            <div key={pane.series.id} className="viewer-pane" aria-label={seriesTitle(pane.series, t)} role="group">
              {compare && <h2>{seriesTitle(pane.series, t)}</h2>}
              <DicomViewer
                {...pane}
                canMarkKeyImage={canMarkKeyImage}
                onPosition={(mm) => mm !== null && setPosition({ from: pane.series.id, mm })}
                followPosition={linked && position && position.from !== pane.series.id ? position.mm : null}
              />
            </div>
          ))}
        </div>
      ) : (
        <p role="status">{t("imaging:viewer.loading")}</p>
      )}
    </section>
  );
}

function seriesTitle(series: { number: number | null; modality: string | null; description: string | null }, t: TFunction) {
  return t("imaging:viewer.title", { number: series.number ?? "—", modality: series.modality ?? "", description: series.description ?? "" });
}
