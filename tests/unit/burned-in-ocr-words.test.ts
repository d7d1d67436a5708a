import { describe, expect, it } from "vitest";
import { stack, STACK_GAP, upscale } from "~/features/imaging/burned-in/ocr-images";
import { mergeWords, readTesseractTsv, redactionRects, REDACTION_MARGIN } from "~/features/imaging/burned-in/ocr-words";

const HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext";
const row = (left: number, top: number, width: number, height: number, conf: number, text: string, level = 5) =>
  [level, 1, 1, 1, 1, 1, left, top, width, height, conf, text].join("\t");
const frameSize = { width: 320, height: 240 };

describe("tesseract words", () => {
  it("places each word of a stack of enlarged frames in its own frame, in that frame's pixels", () => {
    const stride = 240 * 2 + STACK_GAP;
    const tsv = [HEADER, row(0, 0, 640, 480, 95, "", 1), row(40, 20, 100, 30, 91.5, "Smith"), row(600, stride * 2 + 100, 60, 24, 80, "张伟")].join("\n");
    expect(readTesseractTsv(tsv, { firstFrame: 8, frameCount: 3, scale: 2, gap: STACK_GAP, frameSize })).toEqual([
      { frame: 8, x: 20, y: 10, width: 50, height: 15, confidence: 91.5, text: "Smith" },
      { frame: 10, x: 300, y: 50, width: 20, height: 12, confidence: 80, text: "张伟" },
    ]);
  });

  it("drops empty words, misreadings taller than text and words read with no confidence", () => {
    const tsv = [HEADER, row(10, 10, 50, 20, 90, "  "), row(0, 0, 100, 200, 60, "AS"), row(5, 5, 10, 10, 0, "f?"), row(5, 5, 30, 12, 40, "ID")].join("\n");
    expect(readTesseractTsv(tsv, { firstFrame: 0, frameCount: 1, scale: 1, gap: STACK_GAP, frameSize }).map((w) => w.text)).toEqual(["ID"]);
  });

  it("keeps one box for a word two variants both read, the more confident one", () => {
    const word = { frame: 0, x: 10, y: 10, width: 40, height: 12, text: "Mary" };
    const merged = mergeWords([
      { ...word, confidence: 50 },
      { ...word, x: 11, confidence: 96 },
      { ...word, x: 100, confidence: 30, text: "Hospital" },
    ]);
    expect(merged.map((w) => [w.text, w.confidence])).toEqual([
      ["Mary", 96],
      ["Hospital", 30],
    ]);
  });
});

describe("redaction areas", () => {
  it("joins words of one line closer than their height, adds the margin, and stays inside the frame", () => {
    const boxes = [
      { frame: 0, x: 2, y: 20, width: 30, height: 20 },
      { frame: 0, x: 40, y: 22, width: 30, height: 18 }, // same line, 8 px apart: one bar
      { frame: 0, x: 200, y: 20, width: 30, height: 20 }, // same line, far away: its own area
      { frame: 1, x: 40, y: 22, width: 30, height: 18 }, // another frame
    ];
    const m = REDACTION_MARGIN;
    expect(redactionRects(boxes, frameSize)).toEqual([
      { frame: 0, x: 0, y: 20 - m, width: 70 + m, height: 20 + 2 * m },
      { frame: 0, x: 200 - m, y: 20 - m, width: 30 + 2 * m, height: 20 + 2 * m },
      { frame: 1, x: 40 - m, y: 22 - m, width: 30 + 2 * m, height: 18 + 2 * m },
    ]);
  });
});

describe("OCR images", () => {
  it("stacks frames with white rows between them and enlarges by repeating pixels", () => {
    const a = { width: 2, height: 1, channels: 1 as const, pixels: new Uint8Array([1, 2]) };
    const stacked = stack([a, a]);
    expect(stacked.height).toBe(2 + STACK_GAP);
    expect([...stacked.pixels.subarray(0, 2)]).toEqual([1, 2]);
    expect(stacked.pixels.subarray(2, 2 + 2 * STACK_GAP).every((v) => v === 255)).toBe(true);
    expect([...upscale(a, 2).pixels]).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
  });
});
