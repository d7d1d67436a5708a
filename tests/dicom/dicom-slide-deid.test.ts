/** A DICOM whole-slide image's header de-identified without its tiles, checked with dcmdump. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { encodeString, parseHeader, parsePart10, tagOf, writePart10 } from "~/features/imaging/dicom/part10";
import { deidentifyDicomSlide, dicomSlideProblems } from "~/features/imaging/slides/dicom-slide-deid";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const ctx = { caseCode: "TB-2026-0417", uidSecret: "5".repeat(64), dateShiftDays: -21 };

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
});
