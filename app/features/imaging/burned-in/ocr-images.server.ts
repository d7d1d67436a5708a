/** Writes, in a DICOM worker thread, the PNG images tesseract reads for some frames of a decoded instance (`ocr-images.ts`): each variant's frames stacked in one image. */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { encodePng } from "~/features/imaging/key-images/png.server";
import { ocrFrames, stack, type OcrVariant } from "./ocr-images";

/** `variants`: which images to write (all when not given); the review page needs only the plain one. */
export type OcrImagesRequest = { source: string; outDir: string; firstFrame: number; frameCount: number; variants?: OcrVariant["name"][] };
/** One variant of frames `firstFrame`.. stacked: frame k's top row is at `k * (frameHeight * scale + STACK_GAP)` in the image. */
export type OcrImage = { variant: string; scale: number; firstFrame: number; frameCount: number; file: string };
export type OcrImagesResult = { ok: true; frames: number; width: number; height: number; images: OcrImage[] } | { ok: false; detail: string };

export async function writeOcrImages({ source, outDir, firstFrame, frameCount, variants: wanted }: OcrImagesRequest): Promise<OcrImagesResult> {
  try {
    const decoded = ocrFrames(await readFile(source));
    const last = Math.min(decoded.frames, firstFrame + frameCount);
    const byVariant = new Map<OcrVariant["name"], OcrVariant[]>();
    for (let frame = firstFrame; frame < last; frame++)
      for (const variant of decoded.variantsOf(frame, wanted)) byVariant.set(variant.name, [...(byVariant.get(variant.name) ?? []), variant]);
    const images: OcrImage[] = [];
    for (const [name, variants] of byVariant) {
      const file = path.join(outDir, `frames-${firstFrame}-${name}.png`);
      await writeFile(file, encodePng(stack(variants.map((v) => v.image))));
      images.push({ variant: name, scale: variants[0].scale, firstFrame, frameCount: variants.length, file });
    }
    return { ok: true, frames: decoded.frames, width: decoded.width, height: decoded.height, images };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
