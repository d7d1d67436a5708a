/** Annotations on a slide, in full-resolution image pixels: what may be stored. Pure. */
import { z } from "zod";
import { parseJsonOrNull } from "~/platform/json";

const Point = z.object({ x: z.number().finite().min(0), y: z.number().finite().min(0) });

export const SlideAnnotationInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ARROW"), geometry: z.object({ start: Point, end: Point }), text: z.string().trim().max(500).default("") }),
  z.object({ kind: z.literal("ELLIPSE"), geometry: z.object({ start: Point, end: Point }), text: z.string().trim().max(500).default("") }),
  z.object({
    kind: z.literal("TEXT"),
    geometry: z.object({ at: Point }),
    text: z.string().trim().min(1, "imaging:slides.annotations.textRequired").max(500, "imaging:slides.annotations.textTooLong"),
  }),
]);
export type SlideAnnotationInput = z.infer<typeof SlideAnnotationInput>;

/** Every point must lie on the slide. */
export function withinSlide(input: SlideAnnotationInput, width: number, height: number): boolean {
  const points = "at" in input.geometry ? [input.geometry.at] : [input.geometry.start, input.geometry.end];
  return points.every((p) => p.x <= width && p.y <= height);
}

export type SlideAnnotationView = SlideAnnotationInput & { id: string; mine: boolean };

/** An annotation whose geometry arrives as JSON, from a form or a stored row. */
export function parseSlideAnnotation(input: { kind: unknown; geometry: string; text: unknown }) {
  return SlideAnnotationInput.safeParse({ kind: input.kind, geometry: parseJsonOrNull(input.geometry), text: input.text });
}

/** A stored annotation as the viewer draws it, or null when the stored row is not a valid annotation. */
export function readSlideAnnotation(row: { id: string; kind: string; geometry: string; text: string }, mine: boolean): SlideAnnotationView | null {
  const parsed = parseSlideAnnotation(row);
  return parsed.success ? { ...parsed.data, id: row.id, mine } : null;
}
