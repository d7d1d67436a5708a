/**
 * Slide files cleaned in place as the case page cleans them, checked with tools we did not write: libtiff's tiffinfo and
 * OpenSlide (through libvips) for an Aperio SVS with a burned-in label, ImageMagick for JPEG and PNG metadata.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanedParts, planSlideCleaning } from "~/features/imaging/slides/slide-deid";
import { cleanedSlide } from "../support/slides";
import { SLIDE_IDENTIFIERS, syntheticAperioSlide } from "../support/synthetic-slide";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const work = mkdtempSync(path.join(os.tmpdir(), "tb-slide-deid-"));
const tool = (command: string, ...args: string[]) => execFileSync(command, args, { encoding: "latin1", stdio: ["ignore", "pipe", "ignore"] });
const memory = (bytes: Uint8Array) => ({ size: bytes.length, read: async (offset: number, length: number) => bytes.subarray(offset, offset + length) });

async function cleanedCopy(file: string): Promise<string> {
  const out = path.join(work, `clean-${path.basename(file)}`);
  writeFileSync(out, await cleanedSlide(new Uint8Array(readFileSync(file))));
  return out;
}

/** The [offset, length] of each strip of a TIFF directory, as tiffinfo lists them. */
function strips(file: string, directory: number): [number, number][] {
  const section = tool("tiffinfo", "-s", file).split("=== TIFF directory ")[directory + 1];
  return [...section.matchAll(/^\s+\d+: \[\s*(\d+),\s*(\d+)\]/gm)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe("slide cleaning", () => {
  it("empties an Aperio scan's label and macro, its scan text and its text tags, and OpenSlide still reads the same slide", async () => {
    const original = syntheticAperioSlide();
    const before = tool("tiffinfo", original) + tool("vipsheader", "-a", original);
    for (const value of SLIDE_IDENTIFIERS) expect(before, value).toContain(value);
    const cleaned = await cleanedCopy(original);

    const after = tool("tiffinfo", cleaned);
    for (const value of SLIDE_IDENTIFIERS) expect(after, value).not.toContain(value);
    expect(after.match(/=== TIFF directory/g)).toHaveLength(4);
    const properties = tool("vipsheader", "-a", cleaned);
    expect(properties).toContain("openslide.vendor: aperio");
    expect(properties).toMatch(/aperio\.MPP: 0\.4990/);
    expect(properties).toMatch(/aperio\.AppMag: 20/);
    expect(properties).not.toMatch(/aperio\.(Filename|User|Date|Time|ScanScope ID)/);
    for (const value of SLIDE_IDENTIFIERS) expect(properties, value).not.toContain(value);
    expect(tool("vips", "avg", cleaned)).toBe(tool("vips", "avg", original));

    // The label (directory 2) and macro (3): the original's image data is there, the cleaned file's is zeros.
    const [originalBytes, cleanedBytes] = [readFileSync(original), readFileSync(cleaned)];
    for (const directory of [2, 3]) {
      for (const [offset, length] of strips(cleaned, directory)) {
        expect(originalBytes.subarray(offset, offset + length).some((b) => b !== 0)).toBe(true);
        expect(cleanedBytes.subarray(offset, offset + length).every((b) => b === 0)).toBe(true);
      }
    }
    expect(cleanedBytes.length).toBe(originalBytes.length);
    // tiffset left the first directory and its description behind, where no reader looks: they are gone from the bytes too.
    for (const value of SLIDE_IDENTIFIERS) expect(originalBytes.toString("latin1")).toContain(value);
    for (const value of SLIDE_IDENTIFIERS) expect(cleanedBytes.toString("latin1"), value).not.toContain(value);
    expect((await planSlideCleaning(memory(cleanedBytes))).patches).toEqual([]);
  });

  it("cleans the corpus SVS, whose description names the scan's file, date and user", async () => {
    const file = path.join(CORPUS, "pathology/openslide-small.svs");
    expect(tool("vipsheader", "-a", file)).toContain("aperio.Filename: CMU-1");
    const cleaned = await cleanedCopy(file);
    const properties = tool("vipsheader", "-a", cleaned);
    expect(properties).toContain("openslide.vendor: aperio");
    expect(properties).not.toMatch(/CMU-1|b414003d|aperio\.Date/);
  });

  it("turns JPEG comments and application data, and PNG text and time chunks, into blanks, leaving every pixel", async () => {
    for (const extension of ["jpg", "png"]) {
      const original = path.join(work, `photo.${extension}`);
      tool("convert", "-size", "200x150", "plasma:red-blue", "-set", "comment", "Zhang San 0012345", original);
      expect(tool("identify", "-verbose", original)).toContain("Zhang San 0012345");
      const cleaned = await cleanedCopy(original);
      const verbose = tool("identify", "-verbose", cleaned);
      expect(verbose, extension).not.toContain("Zhang San");
      const bytes = readFileSync(cleaned).toString("latin1");
      expect(bytes).not.toContain("Zhang San");
      if (extension === "png") {
        expect(readFileSync(original).toString("latin1")).toMatch(/tEXtdate:create|tIME/);
        expect(bytes).not.toMatch(/tEXt|zTXt|iTXt|tIME|date:create/);
      }
      expect(tool("compare", "-metric", "AE", original, cleaned, "null:").trim() || "0").toBe("0");
      expect((await planSlideCleaning(memory(readFileSync(cleaned)))).patches).toEqual([]);
    }
  });

  it("builds the cleaned file from the original's untouched ranges and the patches, in order", () => {
    const parts = cleanedParts(10, [
      { offset: 6, bytes: new Uint8Array([9]) },
      { offset: 2, bytes: new Uint8Array([7, 7]) },
    ]);
    expect(parts).toEqual([{ from: 0, to: 2 }, new Uint8Array([7, 7]), { from: 4, to: 6 }, new Uint8Array([9]), { from: 7, to: 10 }]);
  });
});
