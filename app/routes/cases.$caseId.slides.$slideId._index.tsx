import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { denyAccess } from "~/utils/auth.server";
import { auditCase, requireCase } from "~/utils/case-workflow.server";
import { getDb } from "~/utils/db.server";
import { requestMeta } from "~/utils/request-meta.server";

// OpenSeadragon needs a window: it loads in the browser only.
const SlideViewer = lazy(() => import("~/components/slide-viewer.client"));

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId);
  const db = getDb();
  const slide = await db.slide.findFirst({
    where: { id: params.slideId ?? "", caseId: facts.id },
    select: { id: true, fileName: true, status: true, errorKey: true, width: true, height: true, micronsPerPixel: true },
  });
  if (!slide) throw await denyAccess(request, context, user, { caseId: facts.id, slideId: params.slideId ?? null }, 404);
  await auditCase(db, user, "slide.view", facts.id, requestMeta(request, context), { slideId: slide.id });
  return { caseId: facts.id, caseCode: facts.code, slide, dziUrl: `/cases/${facts.id}/slides/${slide.id}/files/slide.dzi` };
}

export default function SlidePage() {
  const { caseId, caseCode, slide, dziUrl } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <section aria-labelledby="slide-title" className="viewer-page">
      <p>
        <Link to={`/cases/${caseId}`}>{t("imaging:viewer.backToCase", { code: caseCode })}</Link>
      </p>
      <h1 id="slide-title">{t("imaging:slides.viewerTitle", { name: slide.fileName })}</h1>
      {slide.status === "READY" ? (
        <>
          <p className="muted">
            {t("imaging:slides.dimensions", { width: slide.width, height: slide.height })}{" "}
            {slide.micronsPerPixel ? t("imaging:slides.resolution", { mpp: slide.micronsPerPixel.toFixed(3) }) : t("imaging:slides.noResolution")}
          </p>
          {hydrated ? (
            <Suspense fallback={<p role="status">{t("imaging:viewer.loading")}</p>}>
              <SlideViewer dziUrl={dziUrl} micronsPerPixel={slide.micronsPerPixel} />
            </Suspense>
          ) : (
            <p role="status">{t("imaging:viewer.loading")}</p>
          )}
        </>
      ) : (
        <p className={slide.status === "FAILED" ? "alert alert-error" : undefined} role={slide.status === "FAILED" ? "alert" : "status"}>
          {slide.status === "FAILED" ? t(slide.errorKey ?? "imaging:slides.errors.unreadable") : t("imaging:slides.processing")}
        </p>
      )}
    </section>
  );
}
