/** Reading what the viewer's canvas shows, image pixel by image pixel, and dcmtk's renderings to compare it with. */
import { readFileSync } from "node:fs";
import type { Locator } from "@playwright/test";

/** A translated text with its {{placeholders}} filled in. */
export const named = (text: string, values: Record<string, string>) => Object.entries(values).reduce((t, [k, value]) => t.replace(`{{${k}}}`, value), text);

/** Grey values of a binary PGM (P5, 8-bit) written by dcmtk's dcm2pnm. */
export function pgm(file: string): { width: number; height: number; pixels: Uint8Array } {
  const bytes = readFileSync(file);
  const header = bytes.subarray(0, 64).toString("latin1").split(/\s+/);
  const [, width, height] = header.map(Number);
  return { width, height, pixels: new Uint8Array(bytes.subarray(bytes.length - width * height)) };
}

/** Maps image pixels to page coordinates in a viewport showing an image of `size` fitted and centred, as cornerstone's default view does. */
export async function imageToPage(viewport: Locator, size: { width: number; height: number }) {
  const box = (await viewport.locator("canvas").boundingBox())!;
  const scale = Math.min(box.width / size.width, box.height / size.height);
  const left = box.x + (box.width - size.width * scale) / 2;
  const top = box.y + (box.height - size.height * scale) / 2;
  return (x: number, y: number) => ({ x: left + x * scale, y: top + y * scale });
}

/** The canvas's red, green and blue at the centre of each pixel of an image of `size` fitted and centred in it. */
export async function shownAtImagePixels(viewport: Locator, size: { width: number; height: number }): Promise<Uint8Array> {
  // One string crosses from the page: an array of a million numbers takes Playwright many seconds to pass.
  const samples = await viewport.locator("canvas").evaluate((canvas: HTMLCanvasElement, image: { width: number; height: number }) => {
    const context = canvas.getContext("2d")!;
    const scale = Math.min(canvas.width / image.width, canvas.height / image.height);
    const left = (canvas.width - image.width * scale) / 2;
    const top = (canvas.height - image.height * scale) / 2;
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let rgb = "";
    for (let y = 0; y < image.height; y++)
      for (let x = 0; x < image.width; x++) {
        const at = (Math.floor(top + (y + 0.5) * scale) * canvas.width + Math.floor(left + (x + 0.5) * scale)) * 4;
        rgb += String.fromCharCode(data[at], data[at + 1], data[at + 2]);
      }
    return rgb;
  }, size);
  return new Uint8Array(Buffer.from(samples, "latin1"));
}
