/**
 * DICOM slide images assembled from their frames, checked against tools we
 * did not write: dcmtk decodes and renders every frame, libvips joins the
 * frames in the order the tiling says and crops to the total pixel matrix;
 * our image must carry exactly the same pixels.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkDicomSlide, DicomSlideError, dicomSlideToNetpbm } from "~/features/imaging/slides/dicom-slide.server";
import { MAX_PIXEL_ITEMS } from "~/features/imaging/slides/dicom-slide-deid";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { parseHeader } from "~/features/imaging/dicom/part10";
import { stopDicomWorkers } from "~/features/imaging/dicom-workers.server";
import { referenceDecode, transferSyntaxOf } from "../support/reference-decoder";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const work = mkdtempSync(path.join(os.tmpdir(), "tb-dicom-slide-"));
afterAll(stopDicomWorkers);

const tag = (file: string, element: string) => /\[([^\]]*)\]|(\d+)\s+#/.exec(execFileSync("dcmdump", ["-q", "+P", element, "-s", file], { encoding: "utf8" }));
const number = (file: string, element: string) => {
  const match = tag(file, element);
  return match ? Number(match[1] ?? match[2]) : null;
};

/** Raw interleaved pixels of any image libvips reads. */
function rawPixels(image: string): Buffer {
  const raw = path.join(work, `${path.basename(image)}.${Math.random().toString(36).slice(2)}.raw`);
  execFileSync("vips", ["rawsave", image, raw]);
  return readFileSync(raw);
}

/** The whole slide as dcmtk and libvips see it; `order` lists the frame drawn at each tile position, row by row. */
function referenceSlide(file: string, name: string, order?: number[]): Buffer {
  const native = path.join(work, `${name}.native.dcm`);
  referenceDecode(transferSyntaxOf(file), file, native);
  execFileSync("dcm2pnm", ["+Fa", "+opb", native, path.join(work, name)]);
  const frames = readdirSync(work).filter((f) => f.startsWith(`${name}.`) && f.endsWith(".ppm")).length;
  const columns = number(file, "0028,0011")!;
  const width = number(file, "0048,0006") ?? columns;
  const height = number(file, "0048,0007") ?? number(file, "0028,0010")!;
  const across = Math.ceil(width / columns);
  const tiles = (order ?? Array.from({ length: frames }, (_, i) => i)).map((i) => path.join(work, `${name}.${i}.ppm`));
  const joined = path.join(work, `${name}.joined.v`);
  execFileSync("vips", ["arrayjoin", tiles.join(" "), joined, "--across", String(across)]);
  const cropped = path.join(work, `${name}.reference.v`);
  execFileSync("vips", ["crop", joined, cropped, "0", "0", String(width), String(height)]);
  return rawPixels(cropped);
}

describe("DICOM slide images become one image with exactly the reference pixels", () => {
  const cases = [
    { file: "pathology/sm-wsi-tiled-synthetic.dcm", width: 50, height: 50, mpp: 0.499 },
    { file: "pathology/sm-wsi-tiled-jpegls-synthetic.dcm", width: 50, height: 50, mpp: 0.499 },
    { file: "pathology/openslide-boxes_0.dcm", width: 16, height: 16, mpp: 0.499 },
    { file: "pathology/openslide-boxes_1.dcm", width: 16, height: 16, mpp: 0.499 },
    { file: "pathology/tcga-he-tile-jpeg-rgb.dcm", width: 256, height: 256, mpp: null },
    { file: "pathology/tcga-he-tile-jpeg-rgb-app14.dcm", width: 256, height: 256, mpp: null },
  ];
  for (const { file, width, height, mpp } of cases) {
    it(file, async () => {
      const name = path.basename(file, ".dcm");
      const ours = path.join(work, `${name}.ours.pnm`);
      const size = await dicomSlideToNetpbm(path.join(CORPUS, file), ours);
      expect(size.width).toBe(width);
      expect(size.height).toBe(height);
      if (mpp === null) expect(size.micronsPerPixel).toBeNull();
      else expect(size.micronsPerPixel).toBeCloseTo(mpp, 6);
      expect(rawPixels(ours).equals(referenceSlide(path.join(CORPUS, file), name))).toBe(true);
    });
  }

  it("a TILED_SPARSE slide places every frame where its plane position says", async () => {
    const sparse = path.join(work, "sparse.dcm");
    // The 25 frames of the 5 x 5 synthetic slide, given positions in reverse: frame i is drawn at tile 24 - i.
    const positions = Array.from({ length: 25 }, (_, frame) => {
      const tile = 24 - frame;
      return [
        `(5200,9230)[${frame}].(0048,021a)[0].(0048,021e)=${(tile % 5) * 10 + 1}`,
        `(5200,9230)[${frame}].(0048,021a)[0].(0048,021f)=${Math.floor(tile / 5) * 10 + 1}`,
      ];
    });
    execFileSync("cp", [path.join(CORPUS, "pathology/sm-wsi-tiled-synthetic.dcm"), sparse]);
    execFileSync("dcmodify", ["-nb", "-m", "(0020,9311)=TILED_SPARSE", ...positions.flat().flatMap((p) => ["-i", p]), sparse]);
    const ours = path.join(work, "sparse.ours.pnm");
    await dicomSlideToNetpbm(sparse, ours);
    const reversed = Array.from({ length: 25 }, (_, tile) => 24 - tile);
    expect(rawPixels(ours).equals(referenceSlide(sparse, "sparse", reversed))).toBe(true);
    expect(rawPixels(ours).equals(rawPixels(path.join(work, "sm-wsi-tiled-synthetic.ours.pnm")))).toBe(false);
  });

  it("refuses label and overview images, which can show the patient's name, and DICOM that is not a slide", async () => {
    const label = path.join(work, "label.dcm");
    execFileSync("cp", [path.join(CORPUS, "pathology/sm-wsi-tiled-synthetic.dcm"), label]);
    execFileSync("dcmodify", ["-nb", "-m", "(0008,0008)=ORIGINAL\\PRIMARY\\LABEL\\NONE", label]);
    expect(await checkDicomSlide(label)).toBe("labelImage");
    expect(await checkDicomSlide(path.join(CORPUS, "ct-series/ct-3slice-01.dcm"))).toBe("notSlide");
    expect(await checkDicomSlide(path.join(CORPUS, "pathology/sm-annotations-ann.dcm"))).toBe("notSlide");
    expect(await checkDicomSlide(path.join(CORPUS, "pathology/openslide-unreadable.svs"))).toBe("unreadable");
  });

  it("refuses encapsulated pixel data of more items than any slide has", async () => {
    const original = new Uint8Array(readFileSync(path.join(CORPUS, "pathology/sm-wsi-tiled-jpegls-synthetic.dcm")));
    const { pixelDataAt } = parseHeader(original, dictionaryVr, { complete: true })!;
    const items = MAX_PIXEL_ITEMS + 1;
    const crafted = new Uint8Array(pixelDataAt + 12 + items * 8 + 8);
    crafted.set(original.subarray(0, pixelDataAt + 12)); // the header, up to the Pixel Data's undefined length
    const view = new DataView(crafted.buffer);
    for (let i = 0; i < items; i++) view.setUint32(pixelDataAt + 12 + i * 8, 0xe000fffe, true); // empty items
    view.setUint32(crafted.length - 8, 0xe0ddfffe, true);
    const file = path.join(work, "many-items.dcm");
    writeFileSync(file, crafted);

    expect(await checkDicomSlide(file)).toBeNull();
    const started = performance.now();
    const error = await dicomSlideToNetpbm(file, path.join(work, "many-items.pnm")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DicomSlideError);
    expect((error as DicomSlideError).problem).toBe("unreadable");
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
