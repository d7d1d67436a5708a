/** Annotations on a slide, in full-resolution image pixels: what may be stored. Pure. */
import { z } from "zod";

export const SLIDE_ANNOTATION_KINDS = ["ARROW", "ELLIPSE", "TEXT"] as const;

const Point = z.object({ x: z.number().finite().min(0), y: z.number().finite().min(0) });

export const SlideAnnotationInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ARROW"), geometry: z.object({ start: Point, end: Point }), text: z.string().trim().max(500).default("") }),
  z.object({ kind: z.literal("ELLIPSE"), geometry: z.object({ start: Point, end: Point }), text: z.string().trim().max(500).default("") }),
  z.object({ kind: z.literal("TEXT"), geometry: z.object({ at: Point }), text: z.string().trim().min(1, "imaging:slides.annotations.textRequired").max(500, "imaging:slides.annotations.textTooLong") }),
]);
export type SlideAnnotationInput = z.infer<typeof SlideAnnotationInput>;

/** Every point must lie on the slide. */
export function withinSlide(input: SlideAnnotationInput, width: number, height: number): boolean {
  const points = "at" in input.geometry ? [input.geometry.at] : [input.geometry.start, input.geometry.end];
  return points.every((p) => p.x <= width && p.y <= height);
}

export type SlideAnnotationView = SlideAnnotationInput & { id: string; mine: boolean };

/** A stored annotation as the viewer draws it, or null when the stored row is not a valid annotation. */
export function readSlideAnnotation(row: { id: string; kind: string; geometry: string; text: string }, mine: boolean): SlideAnnotationView | null {
  let geometry: unknown = null;
  try {
    geometry = JSON.parse(row.geometry);
  } catch {
    return null;
  }
  const parsed = SlideAnnotationInput.safeParse({ kind: row.kind, geometry, text: row.text });
  return parsed.success ? { ...parsed.data, id: row.id, mine } : null;
}
