import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { canMarkKeyImage } from "~/features/cases/case-access";
import { parseSlideAnnotation, readSlideAnnotation, withinSlide, type SlideAnnotationView } from "~/features/imaging/slides/slide-annotation";
import { readRegionParam, SlideRegionInput, withinSlideBounds } from "~/features/imaging/slides/slide-region";
import { denyAccess } from "~/features/identity/auth.server";
import { auditCase, requireCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";

// OpenSeadragon needs a window: it loads in the browser only.
const SlideViewer = lazy(() => import("~/features/imaging/slides/slide-viewer.client"));

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId);
  const db = getDb();
  const slide = await db.slide.findFirst({
    where: { id: params.slideId ?? "", caseId: facts.id },
    select: { id: true, fileName: true, status: true, errorKey: true, width: true, height: true, micronsPerPixel: true },
  });
  if (!slide) throw await denyAccess(request, context, user, { caseId: facts.id, slideId: params.slideId ?? null }, 404);
  await auditCase(db, user, "slide.view", facts.id, requestMeta(request, context), { slideId: slide.id });
  const annotations = await db.slideAnnotation.findMany({ where: { slideId: slide.id }, orderBy: { createdAt: "asc" } });
  return {
    caseId: facts.id,
    caseCode: facts.code,
    slide,
    dziUrl: `/cases/${facts.id}/slides/${slide.id}/files/slide.dzi`,
    annotations: annotations.map((a) => readSlideAnnotation(a, a.createdById === user.id)).filter((a): a is SlideAnnotationView => a !== null),
    region: readRegionParam(new URL(request.url).searchParams.get("region")),
    canMarkKeyRegion: canMarkKeyImage(user, facts),
  };
}

/** Adds an annotation drawn on the slide, removes one of the user's own, or marks a region as a key image. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId);
  const db = getDb();
  const slide = await db.slide.findFirst({ where: { id: params.slideId ?? "", caseId: facts.id, status: "READY" }, select: { id: true, width: true, height: true } });
  if (!slide) throw await denyAccess(request, context, user, { caseId: facts.id, slideId: params.slideId ?? null }, 404);
  const form = Object.fromEntries(await request.formData());
  const meta = requestMeta(request, context);
  if (form.intent === "delete") {
    const removed = await db.slideAnnotation.deleteMany({ where: { id: String(form.annotationId ?? ""), slideId: slide.id, createdById: user.id } });
    if (removed.count === 0) return data({ error: "imaging:slides.annotations.notFound" }, { status: 404 });
    await auditCase(db, user, "slide.annotation.delete", facts.id, meta, { slideId: slide.id, annotationId: String(form.annotationId) });
    return { error: null };
  }
  if (form.intent === "keyRegion") {
    if (!canMarkKeyImage(user, facts)) throw await denyAccess(request, context, user, { caseId: facts.id, slideId: slide.id }, 404);
    const region = SlideRegionInput.safeParse(form);
    if (!region.success) return data({ error: region.error.issues.find((i) => i.message.startsWith("imaging:"))?.message ?? "imaging:keyImages.invalid", saved: false }, { status: 400 });
    if (!withinSlideBounds(region.data, slide.width ?? 0, slide.height ?? 0)) return data({ error: "imaging:keyImages.invalid", saved: false }, { status: 400 });
    const keyRegion = await db.slideKeyRegion.create({ data: { caseId: facts.id, slideId: slide.id, ...region.data, createdById: user.id } });
    await auditCase(db, user, "slide.keyRegion", facts.id, meta, { slideId: slide.id, keyRegionId: keyRegion.id });
    return { error: null, saved: true };
  }
  const parsed = parseSlideAnnotation({ kind: form.kind, geometry: String(form.geometry ?? ""), text: form.text ?? "" });
  if (!parsed.success) return data({ error: parsed.error.issues.find((i) => i.message.startsWith("imaging:"))?.message ?? "imaging:slides.annotations.invalid" }, { status: 400 });
  if (!withinSlide(parsed.data, slide.width ?? 0, slide.height ?? 0)) return data({ error: "imaging:slides.annotations.invalid" }, { status: 400 });
  const created = await db.slideAnnotation.create({
    data: { slideId: slide.id, kind: parsed.data.kind, geometry: JSON.stringify(parsed.data.geometry), text: parsed.data.text, createdById: user.id },
  });
  await auditCase(db, user, "slide.annotate", facts.id, meta, { slideId: slide.id, annotationId: created.id, kind: created.kind });
  return { error: null };
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
