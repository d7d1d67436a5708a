/** A DICOM whole-slide image's header de-identified without its tiles, checked with dcmdump. */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { DicomParseError, encodeString, parseHeader, parsePart10, tagOf, writePart10 } from "~/features/imaging/dicom/part10";
import { deidentifyDicomSlide, dicomSlideProblems, MAX_PIXEL_ITEMS } from "~/features/imaging/slides/dicom-slide-deid";
import { SlideRefusal } from "~/features/imaging/slides/slide-bytes";
import { slideCleaning } from "~/features/imaging/slides/slide-deid";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const ctx = { caseCode: "TB-2026-0417", uidSecret: "5".repeat(64), dateShiftDays: -21 };
const work = mkdtempSync(path.join(os.tmpdir(), "tb-wsi-deid-"));

/** A source over `bytes` that counts the reads made of it. */
function counted(bytes: Uint8Array) {
  const source = { size: bytes.length, reads: 0, read: async (offset: number, length: number) => (source.reads++, bytes.subarray(offset, offset + length)) };
  return source;
}

/** The encapsulated JPEG-LS slide's header, its Pixel Data as `items` empty items, and trailing padding after them. */
function withEmptyItems(items: number): { bytes: Uint8Array; pixelsEnd: number } {
  const original = new Uint8Array(readFileSync(path.join(CORPUS, "pathology/sm-wsi-tiled-jpegls-synthetic.dcm")));
  const { pixelDataAt } = parseHeader(original, dictionaryVr, { complete: true })!;
  const pixelsEnd = pixelDataAt + 12 + items * 8 + 8;
  const trailer = [0xfc, 0xff, 0xfc, 0xff, 0x4f, 0x42, 0, 0, 2, 0, 0, 0, 0, 0]; // (fffc,fffc) Data Set Trailing Padding, OB
  const bytes = new Uint8Array(pixelsEnd + trailer.length);
  bytes.set(original.subarray(0, pixelDataAt + 12)); // up to the Pixel Data's undefined length
  const view = new DataView(bytes.buffer);
  for (let at = pixelDataAt + 12; at < pixelsEnd - 8; at += 8) view.setUint32(at, 0xe000fffe, true);
  view.setUint32(pixelsEnd - 8, 0xe0ddfffe, true);
  bytes.set(trailer, pixelsEnd);
  return { bytes, pixelsEnd };
}

/** A copy of the synthetic slide with `changes` made by dcmodify. */
function modified(name: string, ...changes: string[]): Uint8Array {
  const file = path.join(work, name);
  copyFileSync(path.join(CORPUS, "pathology/sm-wsi-tiled-synthetic.dcm"), file);
  execFileSync("dcmodify", ["-nb", ...changes.flatMap((c) => ["-m", c]), file]);
  return new Uint8Array(readFileSync(file));
}

/** What the case page's cleaning throws for `bytes` (null when it would send them). */
const refusal = (bytes: Uint8Array): Promise<unknown> =>
  slideCleaning(counted(bytes), async () => ctx).then(
    () => null,
    (e: unknown) => e,
  );

describe("DICOM slide header de-identification", () => {
  it("reads more when a prefix ends on an element boundary before the Pixel Data, instead of taking what follows as pixels", () => {
    const bytes = new Uint8Array(readFileSync(path.join(CORPUS, "pathology/sm-wsi-tiled-synthetic.dcm")));
    const whole = parseHeader(bytes, dictionaryVr, { complete: true })!;
    expect(whole.pixelDataAt).toBeLessThan(bytes.length);
    expect(parseHeader(bytes.subarray(0, whole.pixelDataAt), dictionaryVr, { complete: false })).toBeNull();
    expect(parseHeader(bytes.subarray(0, whole.pixelDataAt + 12), dictionaryVr, { complete: false })?.pixelDataAt).toBe(whole.pixelDataAt);
  });

  it("reads a header larger than its first read, sends the tiles untouched, and leaves nothing dcmdump shows of the patient", async () => {
    const original = parsePart10(readFileSync(path.join(CORPUS, "pathology/sm-wsi-tiled-synthetic.dcm")), dictionaryVr);
    // Image Comments of 3 MB naming the patient: the header no longer fits the first 1 MB read.
    const comments = { tag: tagOf(0x0020, 0x4000), vr: "LT", value: encodeString(`Test^Patient AA01 `.repeat(170_000), "LT") };
    const big = writePart10({ ...original, dataset: [...original.dataset, comments].sort((a, b) => a.tag - b.tag) });
    const reads: number[] = [];
    const source = { size: big.length, read: async (offset: number, length: number) => (reads.push(length), big.subarray(offset, offset + length)) };

    const { head, pixelsFrom, pixelsTo, trailer } = await deidentifyDicomSlide(source, ctx);
    expect(Math.max(...reads)).toBeGreaterThan(3_000_000);
    const out = Buffer.concat([head, big.subarray(pixelsFrom, pixelsTo), trailer]);
    expect(Buffer.from(big.subarray(pixelsFrom, pixelsTo)).equals(out.subarray(head.length, head.length + (pixelsTo - pixelsFrom)))).toBe(true);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tb-wsi-")), "wsi.dcm");
    writeFileSync(file, out);
    const dump = execFileSync("dcmdump", ["-q", "+L", file], { encoding: "latin1" });
    for (const value of ["Test^Patient", "AA01", "17890505", "S19-1_A_1_1"]) expect(dump, value).not.toContain(value);
    expect(dump).toContain("TB-2026-0417");
    expect(dump).toMatch(/\(7fe0,0010\)/);
    expect(await dicomSlideProblems({ size: out.length, read: async (o: number, l: number) => out.subarray(o, o + l) }, ctx), "problems").toEqual([]);
    expect((await dicomSlideProblems(source, ctx)).length).toBeGreaterThan(0);
  });

  it("walks encapsulated pixel data in few reads, and refuses more items than any slide has", async () => {
    const allowed = withEmptyItems(MAX_PIXEL_ITEMS);
    const source = counted(allowed.bytes);
    expect((await deidentifyDicomSlide(source, ctx)).pixelsTo).toBe(allowed.pixelsEnd);
    expect(source.reads, "reads for two million items").toBeLessThan(1_000);

    const crafted = counted(withEmptyItems(MAX_PIXEL_ITEMS + 1).bytes);
    await expect(deidentifyDicomSlide(crafted, ctx)).rejects.toBeInstanceOf(DicomParseError);
    expect(crafted.reads).toBeLessThan(1_000);
    const problems = await dicomSlideProblems(counted(withEmptyItems(MAX_PIXEL_ITEMS + 1).bytes), ctx);
    expect(problems).toEqual([expect.objectContaining({ kind: "identifying", tag: "file" })]);
  });

  it("sends an encapsulated slide's fragments untouched, and the server finds nothing left", async () => {
    const original = new Uint8Array(readFileSync(path.join(CORPUS, "pathology/sm-wsi-tiled-jpegls-synthetic.dcm")));
    const parts = await slideCleaning(counted(original), async () => ctx);
    const out = Buffer.concat(parts.map((part) => (part instanceof Uint8Array ? part : original.subarray(part.from, part.to))));
    const pixels = parts[1] as { from: number; to: number };
    expect(pixels.to).toBe(original.length);
    expect(await dicomSlideProblems(counted(out), ctx)).toEqual([]);
    expect(execFileSync("dcmdump", ["-q", "+P", "7fe0,0010", "-"], { input: out, encoding: "latin1" })).toMatch(/PixelData/);
  });

  it("refuses label and overview images, and DICOM that is not a slide, before de-identifying or sending anything", async () => {
    for (const [name, imageType] of [
      ["label.dcm", "ORIGINAL\\PRIMARY\\LABEL\\NONE"],
      ["overview.dcm", "ORIGINAL\\PRIMARY\\overview\\NONE"],
    ]) {
      const error = await refusal(modified(name, `(0008,0008)=${imageType}`));
      expect(error, name).toBeInstanceOf(SlideRefusal);
      expect((error as SlideRefusal).errorKey).toBe("imaging:slides.errors.dicomLabel");
    }
    const label = modified("label-direct.dcm", "(0008,0008)=DERIVED\\PRIMARY\\LABEL");
    await expect(deidentifyDicomSlide(counted(label), ctx)).rejects.toMatchObject({ errorKey: "imaging:slides.errors.dicomLabel" });

    for (const file of ["ct-series/ct-3slice-01.dcm", "pathology/sm-annotations-ann.dcm"]) {
      const error = await refusal(new Uint8Array(readFileSync(path.join(CORPUS, file))));
      expect(error, file).toBeInstanceOf(SlideRefusal);
      expect((error as SlideRefusal).errorKey, file).toBe("imaging:slides.errors.dicomNotSlide");
    }
    for (const locale of ["en", "zh-CN"]) {
      const { slides } = JSON.parse(readFileSync(path.join(process.cwd(), "locales", locale, "imaging.json"), "utf8"));
      expect(slides.errors.dicomLabel, locale).toBeTruthy();
      expect(slides.errors.dicomNotSlide, locale).toBeTruthy();
    }
    // The main (volume) image is not refused.
    expect((await slideCleaning(counted(modified("volume.dcm", "(0008,0008)=ORIGINAL\\PRIMARY\\VOLUME\\NONE")), async () => ctx)).length).toBe(3);
  });
});
