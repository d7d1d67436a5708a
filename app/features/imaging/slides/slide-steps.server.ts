/** What users do with a case's pathology slides: upload, open (page and tiles), annotate, remove their own annotations, mark key regions. Each step checks the imaging abilities and audits. */
import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { auditCase, type CaseCaller } from "~/features/cases/case-access.server";
import { getDb } from "~/platform/db.server";
import { imagingAbilities } from "../imaging-access";
import { notAllowed, type Refusal } from "../imaging-access";
import { parseSlideAnnotation, readSlideAnnotation, withinSlide, type SlideAnnotationView } from "./slide-annotation";
import { readRegionParam, withinSlideBounds, type SlideRegionInput } from "./slide-region";
import { pyramidFile, receiveSlide } from "./slides.server";

export type SlideStepResult = { ok: true } | Refusal;

/** Uploads a slide image; the tile pyramid is made after the answer. */
export async function uploadSlide(
  caller: CaseCaller & { request: Request },
): Promise<{ ok: true; slideId: string } | Refusal | { ok: false; status: number; errorKey: string }> {
  const { user, facts, meta, request, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).addImaging) return notAllowed;
  const result = await receiveSlide(db, request, facts.id, user.id);
  if (result.ok) await auditCase({ db, user, meta, caseId: facts.id, action: "slide.upload", details: { slideId: result.slideId } });
  else if ("rawGenomicFormat" in result)
    await auditCase({
      db,
      user,
      meta,
      caseId: facts.id,
      action: "slide.upload",
      outcome: "denied",
      details: { reason: "rawGenomicData", format: result.rawGenomicFormat },
    });
  return result;
}

/** The slide page: the slide, its annotations (each marked when it is the reader's own) and the region a link asks for; null when the case has no such slide. */
export async function loadSlidePage(caller: CaseCaller & { slideId: string; regionParam: string | null }) {
  const { user, facts, meta, db = getDb() } = caller;
  const may = imagingAbilities(user, facts);
  if (!may.view) return null;
  const slide = await db.slide.findFirst({
    where: { id: caller.slideId, caseId: facts.id },
    select: { id: true, fileName: true, status: true, errorKey: true, width: true, height: true, micronsPerPixel: true },
  });
  if (!slide) return null;
  await auditCase({ db, user, meta, caseId: facts.id, action: "slide.view", details: { slideId: slide.id } });
  const annotations = await db.slideAnnotation.findMany({ where: { slideId: slide.id }, orderBy: { createdAt: "asc" } });
  return {
    caseId: facts.id,
    caseCode: facts.code,
    slide,
    dziUrl: `/cases/${facts.id}/slides/${slide.id}/files/slide.dzi`,
    annotations: annotations.map((a) => readSlideAnnotation(a, a.createdById === user.id)).filter((a): a is SlideAnnotationView => a !== null),
    region: readRegionParam(caller.regionParam),
    canMarkKeyRegion: may.markKeyImage,
  };
}

/** A file of a ready slide's pyramid (the .dzi or a tile); null for anything else. The slide page audits the opening. */
export async function readSlideFile({ user, facts, slideId, file, db = getDb() }: CaseCaller & { slideId: string; file: string }) {
  if (!imagingAbilities(user, facts).view) return null;
  const slide = await db.slide.findFirst({ where: { id: slideId, caseId: facts.id, status: "READY" }, select: { id: true } });
  const found = slide ? pyramidFile(slide.id, file) : null;
  const body = found ? await readFile(found.path).catch(() => null) : null;
  return found && body ? { body, contentType: found.contentType } : null;
}

async function readySlide(db: ReturnType<typeof getDb>, caseId: string, slideId: string) {
  return db.slide.findFirst({ where: { id: slideId, caseId, status: "READY" }, select: { id: true, width: true, height: true } });
}

/** An arrow, ellipse or label drawn on a ready slide, within its pixels. Null: the case has no such ready slide. */
export async function annotateSlide(caller: CaseCaller & { slideId: string; kind: unknown; geometry: string; text: unknown }): Promise<SlideStepResult | null> {
  const { user, facts, meta, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).annotateSlide) return notAllowed;
  const slide = await readySlide(db, facts.id, caller.slideId);
  if (!slide) return null;
  const parsed = parseSlideAnnotation({ kind: caller.kind, geometry: caller.geometry, text: caller.text });
  if (!parsed.success)
    return {
      ok: false,
      status: 400,
      errorKey: parsed.error.issues.find((i) => i.message.startsWith("imaging:"))?.message ?? "imaging:slides.annotations.invalid",
    };
  if (!withinSlide(parsed.data, slide.width ?? 0, slide.height ?? 0)) return { ok: false, status: 400, errorKey: "imaging:slides.annotations.invalid" };
  const created = await db.slideAnnotation.create({
    data: { slideId: slide.id, kind: parsed.data.kind, geometry: JSON.stringify(parsed.data.geometry), text: parsed.data.text, createdById: user.id },
  });
  await auditCase({ db, user, meta, caseId: facts.id, action: "slide.annotate", details: { slideId: slide.id, annotationId: created.id, kind: created.kind } });
  return { ok: true };
}

/** Only its author removes an annotation. Null: the case has no such ready slide. */
export async function deleteSlideAnnotation(caller: CaseCaller & { slideId: string; annotationId: string }): Promise<SlideStepResult | null> {
  const { user, facts, meta, annotationId, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).annotateSlide) return notAllowed;
  const slide = await readySlide(db, facts.id, caller.slideId);
  if (!slide) return null;
  const removed = await db.slideAnnotation.deleteMany({ where: { id: annotationId, slideId: slide.id, createdById: user.id } });
  if (removed.count === 0) return { ok: false, status: 404, errorKey: "imaging:slides.annotations.notFound" };
  await auditCase({ db, user, meta, caseId: facts.id, action: "slide.annotation.delete", details: { slideId: slide.id, annotationId } });
  return { ok: true };
}

/** The part of a ready slide on screen, marked as a key image with a note. Null: the case has no such ready slide. */
export async function markSlideRegion(caller: CaseCaller & { slideId: string; region: z.infer<typeof SlideRegionInput> }): Promise<SlideStepResult | null> {
  const { user, facts, meta, region, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).markKeyImage) return notAllowed;
  const slide = await readySlide(db, facts.id, caller.slideId);
  if (!slide) return null;
  if (!withinSlideBounds(region, slide.width ?? 0, slide.height ?? 0)) return { ok: false, status: 400, errorKey: "imaging:keyImages.invalid" };
  const keyRegion = await db.slideKeyRegion.create({ data: { caseId: facts.id, slideId: slide.id, ...region, createdById: user.id } });
  await auditCase({ db, user, meta, caseId: facts.id, action: "slide.keyRegion", details: { slideId: slide.id, keyRegionId: keyRegion.id } });
  return { ok: true };
}
