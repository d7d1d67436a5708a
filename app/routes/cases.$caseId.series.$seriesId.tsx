import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { canMarkKeyImage } from "~/features/cases/case-access";
import DicomViewer from "~/features/imaging/viewer/dicom-viewer.client";
import { readViewerState, stackSlices } from "~/features/imaging/viewer/viewer-state";
import { fetchInstance } from "~/features/imaging/viewer/instance-cache";
import { viewerSeries, visibleSeries } from "~/features/imaging/imaging-store.server";
import { denyAccess } from "~/features/identity/auth.server";
import { auditCase, requireCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { prepareViewerSlice } from "~/features/imaging/renditions.server";
import { requestMeta } from "~/platform/request-meta.server";

// In the browser, reading the slice the page preloaded starts as soon as this module runs, while the page hydrates.
const preloadedSlice = typeof document === "undefined" ? null : document.querySelector("link[data-first-slice]")?.getAttribute("href");
if (preloadedSlice) void fetchInstance(preloadedSlice).catch(() => undefined);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId);
  const db = getDb();
  const main = await viewerSeries(db, facts.id, user.role, params.seriesId ?? "");
  if (!main) throw await denyAccess(request, context, user, { caseId: facts.id, seriesId: params.seriesId ?? null }, 404);
  const url = new URL(request.url);
  // The slice the viewer shows first (the link's, else the first): its decoding starts now, and the page preloads it.
  const view = readViewerState(url.searchParams.get("view"));
  const slices = stackSlices(main.instances);
  const first = slices[view?.seriesId === main.series.id ? view.slice : 0] ?? slices[0];
  if (first) await prepareViewerSlice(db, main.series.id, first.uid);
  const firstSliceUrl = first ? `${main.instancesUrl}/${first.uid}` : null;
  const compareId = url.searchParams.get("compare");
  const compare = compareId ? await viewerSeries(db, facts.id, user.role, compareId) : null;
  if (compareId && !compare) throw await denyAccess(request, context, user, { caseId: facts.id, seriesId: compareId }, 404);
  await auditCase(db, user, "imaging.view", facts.id, requestMeta(request, context), { seriesId: main.series.id, compareSeriesId: compare?.series.id ?? null });
  const others = await db.imagingSeries.findMany({
    where: { study: { caseId: facts.id }, id: { not: main.series.id }, ...visibleSeries(user.role) },
    orderBy: [{ createdAt: "asc" }],
    select: { id: true, seriesNumber: true, modality: true, description: true },
  });
  return { caseId: facts.id, caseCode: facts.code, main, compare, others, firstSliceUrl, canMarkKeyImage: canMarkKeyImage(user, facts) };
}

const KeyImageSchema = z.object({
  note: z.string().trim().min(1, "imaging:keyImages.noteRequired").max(1000, "imaging:keyImages.noteTooLong"),
  sopInstanceUid: z.string().min(1).max(64),
  frame: z.coerce.number().int().min(0),
  viewState: z.string().max(100_000),
});

/** Marks the slice on screen as a key image, with a note and the exact view. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId, canMarkKeyImage);
  const db = getDb();
  const series = await db.imagingSeries.findFirst({ where: { id: params.seriesId ?? "", study: { caseId: facts.id }, ...visibleSeries(user.role) }, select: { id: true } });
  if (!series) throw await denyAccess(request, context, user, { caseId: facts.id, seriesId: params.seriesId ?? null }, 404);
  const parsed = KeyImageSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: parsed.error.issues[0]?.message ?? "imaging:keyImages.invalid", saved: false }, { status: 400 });
  const view = readViewerState(parsed.data.viewState);
  const instance = await db.imagingInstance.findFirst({ where: { seriesId: series.id, sopInstanceUid: parsed.data.sopInstanceUid }, select: { id: true } });
  if (!view || view.seriesId !== series.id || !instance) return data({ error: "imaging:keyImages.invalid", saved: false }, { status: 400 });
  const keyImage = await db.keyImage.create({
    data: { caseId: facts.id, seriesId: series.id, sopInstanceUid: parsed.data.sopInstanceUid, frame: parsed.data.frame, viewState: JSON.stringify(view), note: parsed.data.note, createdById: user.id },
  });
  await auditCase(db, user, "imaging.keyImage", facts.id, requestMeta(request, context), { keyImageId: keyImage.id, seriesId: series.id });
  return { error: null, saved: true };
}

export default function SeriesViewerPage() {
  const { caseId, caseCode, main, compare, others, firstSliceUrl, canMarkKeyImage } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  // cornerstone needs a canvas and a window: the viewer renders in the browser only, right after hydration.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
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

const noSubscription = () => () => undefined;

function seriesTitle(series: { number: number | null; modality: string | null; description: string | null }, t: TFunction) {
  return t("imaging:viewer.title", { number: series.number ?? "—", modality: series.modality ?? "", description: series.description ?? "" });
}
