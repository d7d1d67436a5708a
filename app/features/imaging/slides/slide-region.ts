/** A rectangle of a slide in full-resolution image pixels: a key region, and the `?region=` link that reopens it. Pure. */
import { z } from "zod";

export const SlideRegionInput = z.object({
  x: z.coerce.number().int().min(0),
  y: z.coerce.number().int().min(0),
  width: z.coerce.number().int().min(1),
  height: z.coerce.number().int().min(1),
  note: z
    .string({ required_error: "imaging:keyImages.noteRequired" })
    .trim()
    .min(1, "imaging:keyImages.noteRequired")
    .max(1000, "imaging:keyImages.noteTooLong"),
});
export type SlideRegion = { x: number; y: number; width: number; height: number };

export function withinSlideBounds(region: SlideRegion, width: number, height: number): boolean {
  return region.x + region.width <= width && region.y + region.height <= height;
}

/** The part of a rectangle (e.g. what is on screen) that lies on the slide, in whole pixels, or null when none does. */
export function clipToSlide(rect: SlideRegion, width: number, height: number): SlideRegion | null {
  const x = Math.max(0, Math.floor(rect.x));
  const y = Math.max(0, Math.floor(rect.y));
  const right = Math.min(width, Math.ceil(rect.x + rect.width));
  const bottom = Math.min(height, Math.ceil(rect.y + rect.height));
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

export const regionParam = (r: SlideRegion) => `${r.x},${r.y},${r.width},${r.height}`;

export function readRegionParam(value: string | null): SlideRegion | null {
  const match = /^(\d{1,9}),(\d{1,9}),(\d{1,9}),(\d{1,9})$/.exec(value ?? "");
  if (!match) return null;
  const [x, y, width, height] = match.slice(1).map(Number);
  return width > 0 && height > 0 ? { x, y, width, height } : null;
}
