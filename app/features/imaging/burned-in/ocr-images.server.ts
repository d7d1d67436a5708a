/** Writes, in a DICOM worker thread, the PNG images tesseract reads for some frames of a decoded instance (`ocr-images.ts`). */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { encodePng } from "~/features/imaging/key-images/png.server";
import { ocrFrames } from "./ocr-images";

export type OcrImagesRequest = { source: string; outDir: string; firstFrame: number; frameCount: number };
export type OcrImage = { frame: number; variant: string; scale: number; file: string };
export type OcrImagesResult = { ok: true; frames: number; width: number; height: number; images: OcrImage[] } | { ok: false; detail: string };

export async function writeOcrImages({ source, outDir, firstFrame, frameCount }: OcrImagesRequest): Promise<OcrImagesResult> {
  let decoded: ReturnType<typeof ocrFrames>;
  try {
    decoded = ocrFrames(await readFile(source));
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
  const images: OcrImage[] = [];
  const last = Math.min(decoded.frames, firstFrame + frameCount);
  for (let frame = firstFrame; frame < last; frame++) {
    for (const variant of decoded.variantsOf(frame)) {
      const file = path.join(outDir, `frame-${frame}-${variant.name}.png`);
      await writeFile(file, encodePng(variant.image));
      images.push({ frame, variant: variant.name, scale: variant.scale, file });
    }
  }
  return { ok: true, frames: decoded.frames, width: decoded.width, height: decoded.height, images };
}
