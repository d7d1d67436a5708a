import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { sliceOrder } from "~/domain/viewer-state";
import { fetchInstance } from "~/viewer/instance-cache";
import { visibleSeries } from "~/models/imaging.server";
import { denyAccess } from "~/utils/auth.server";
import { auditCase, requireCase } from "~/utils/case-workflow.server";
import { getDb } from "~/utils/db.server";
import { requestMeta } from "~/utils/request-meta.server";

// cornerstone needs a canvas and a window: it loads in the browser only, and starts loading as soon as this module runs there.
const loadViewer = () => import("~/components/dicom-viewer.client");
const viewerModule = typeof document === "undefined" ? null : loadViewer();
const DicomViewer = lazy(() => viewerModule ?? loadViewer());

const parsed = (json: string | null) => (json ? (JSON.parse(json) as number[]) : null);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId);
  const db = getDb();
  const series = await db.imagingSeries.findFirst({
    where: { id: params.seriesId ?? "", study: { caseId: facts.id }, ...visibleSeries(user.role) },
    include: {
      study: { select: { studyInstanceUid: true } },
      instances: { select: { sopInstanceUid: true, instanceNumber: true, imagePosition: true, imageOrientation: true, frames: true } },
    },
  });
  if (!series) throw await denyAccess(request, context, user, { caseId: facts.id, seriesId: params.seriesId ?? null }, 404);
  await auditCase(db, user, "imaging.view", facts.id, requestMeta(request, context), { seriesId: series.id });
  const ordered = sliceOrder(series.instances.map((i) => ({ ...i, imagePosition: parsed(i.imagePosition), imageOrientation: parsed(i.imageOrientation) })));
  return {
    caseId: facts.id,
    caseCode: facts.code,
    series: { id: series.id, number: series.seriesNumber, modality: series.modality, description: series.description },
    instancesUrl: `/dicomweb/cases/${facts.id}/studies/${series.study.studyInstanceUid}/series/${series.seriesInstanceUid}/instances`,
    instances: ordered.map((i) => ({ uid: i.sopInstanceUid, frames: i.frames })),
  };
}

export default function SeriesViewerPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const [hydrated, setHydrated] = useState(false);
  const firstSlice = data.instances[0] ? `${data.instancesUrl}/${data.instances[0].uid}` : null;
  useEffect(() => {
    setHydrated(true);
    if (firstSlice) void fetchInstance(firstSlice).catch(() => undefined);
  }, [firstSlice]);
  return (
    <section aria-labelledby="viewer-title" className="viewer-page">
      {/* The first slice downloads while the page's code is still loading. */}
      {firstSlice && <link rel="preload" as="fetch" href={firstSlice} crossOrigin="anonymous" />}
      <p>
        <Link to={`/cases/${data.caseId}`}>{t("imaging:viewer.backToCase", { code: data.caseCode })}</Link>
      </p>
      <h1 id="viewer-title">
        {t("imaging:viewer.title", { number: data.series.number ?? "—", modality: data.series.modality ?? "", description: data.series.description ?? "" })}
      </h1>
      {hydrated ? (
        <Suspense fallback={<p role="status">{t("imaging:viewer.loading")}</p>}>
          <DicomViewer {...data} />
        </Suspense>
      ) : (
        <p role="status">{t("imaging:viewer.loading")}</p>
      )}
    </section>
  );
}
