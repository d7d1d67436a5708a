/** /cases/<id>/slides/<id>: the slide viewer, its annotations and key regions. */
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireCase } from "~/features/cases/case-access.server";
import { SlideRegionInput } from "~/features/imaging/slides/slide-region";
import { annotateSlide, deleteSlideAnnotation, loadSlidePage, markSlideRegion } from "~/features/imaging/slides/slide-steps.server";
import { denyAccess } from "~/features/identity/auth.server";
import { readForm } from "~/platform/request-body.server";

// OpenSeadragon needs a window: it loads in the browser only.
const SlideViewer = lazy(() => import("~/features/imaging/slides/slide-viewer.client"));

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireCase(request, context, params.caseId);
  const page = await loadSlidePage({ ...caller, slideId: params.slideId ?? "", regionParam: new URL(request.url).searchParams.get("region") });
  if (!page) throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, slideId: params.slideId ?? null }, 404);
  return page;
}

/** Adds an annotation drawn on the slide, removes one of the user's own, or marks a region as a key image. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireCase(request, context, params.caseId);
  const formData = await readForm(request);
  const slideId = params.slideId ?? "";
  const intent = formData.get("intent");
  let result;
  if (intent === "delete") {
    result = await deleteSlideAnnotation({ ...caller, slideId, annotationId: String(formData.get("annotationId") ?? "") });
  } else if (intent === "keyRegion") {
    const submission = parseWithZod(formData, { schema: SlideRegionInput });
    if (submission.status !== "success") {
      return data(
        {
          error:
            Object.values(submission.error ?? {})
              .flat()
              .find((m) => m?.startsWith("imaging:")) ?? "imaging:keyImages.invalid",
          saved: false,
        },
        { status: 400 },
      );
    }
    result = await markSlideRegion({ ...caller, slideId, region: submission.value });
    if (result?.ok) return { error: null, saved: true };
  } else {
    // A drawn shape, its geometry as JSON: validated by the same schema that reads stored annotations back.
    result = await annotateSlide({
      ...caller,
      slideId,
      kind: formData.get("kind"),
      geometry: String(formData.get("geometry") ?? ""),
      text: formData.get("text") ?? "",
    });
  }
  if (!result || (!result.ok && result.status === 403)) throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, slideId }, 404);
  return result.ok ? { error: null } : data({ error: result.errorKey, saved: false }, { status: result.status });
}

export default function SlidePage() {
  const { caseId, caseCode, slide, dziUrl, annotations, region, canMarkKeyRegion } = useLoaderData<typeof loader>();
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
              <SlideViewer
                dziUrl={dziUrl}
                size={{ width: slide.width ?? 0, height: slide.height ?? 0 }}
                micronsPerPixel={slide.micronsPerPixel}
                annotations={annotations}
                initialRegion={region}
                canMarkKeyRegion={canMarkKeyRegion}
              />
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
