/**
 * Word boxes from tesseract's TSV output, without I/O: read, mapped back to
 * the frame's pixels, merged across the OCR variants of a frame, and widened
 * by a margin for redaction. Pure, so the review page can use it too.
 */

export type WordBox = { frame: number; x: number; y: number; width: number; height: number; confidence: number; text: string };

/** At most this many words per frame are kept; more means noise, and the frame's text is already well covered. */
export const MAX_WORDS_PER_FRAME = 400;
/** Pixels added on each side of a word when it is blacked out. */
export const REDACTION_MARGIN = 3;
/** A "word" taller than this part of the frame, or read with less confidence than this (0..100), is a misreading of the image itself, not text. */
const MAX_HEIGHT_FRACTION = 0.15;
const MIN_CONFIDENCE = 5;

/** Where the frames are in the image tesseract read: `frameCount` frames from `firstFrame`, each `scale` times enlarged, `gap` rows apart. */
export type StackLayout = { firstFrame: number; frameCount: number; scale: number; gap: number; frameSize: { width: number; height: number } };

/** The words of one tesseract TSV page (level 5 rows with text), each in the frame it lies in, in that frame's pixels. */
export function readTesseractTsv(tsv: string, layout: StackLayout): WordBox[] {
  const { firstFrame, frameCount, scale, gap, frameSize } = layout;
  const stride = frameSize.height * scale + gap;
  const words: WordBox[] = [];
  for (const line of tsv.split("\n").slice(1)) {
    const cells = line.split("\t");
    if (cells.length < 12 || cells[0] !== "5") continue;
    const [left, top, width, height] = cells.slice(6, 10).map(Number);
    const confidence = Number(cells[10]);
    const text = cells.slice(11).join("\t").trim();
    if (!text || ![left, top, width, height, confidence].every(Number.isFinite) || width <= 0 || height <= 0) continue;
    const index = Math.floor(top / stride);
    if (index < 0 || index >= frameCount) continue;
    const frameTop = top - index * stride;
    const x = Math.max(0, Math.floor(left / scale));
    const y = Math.max(0, Math.floor(frameTop / scale));
    const box = {
      frame: firstFrame + index,
      x,
      y,
      width: Math.min(frameSize.width, Math.ceil((left + width) / scale)) - x,
      height: Math.min(frameSize.height, Math.ceil((frameTop + height) / scale)) - y,
      confidence: Math.max(0, Math.min(100, confidence)),
      text: text.slice(0, 200),
    };
    if (box.width > 0 && box.height > 0 && box.height <= MAX_HEIGHT_FRACTION * frameSize.height && box.confidence >= MIN_CONFIDENCE) words.push(box);
  }
  return words;
}

const area = (b: WordBox) => b.width * b.height;
function overlap(a: WordBox, b: WordBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** One frame's words from several variants: a word mostly inside one already kept (the more confident first) is the same word read twice. */
export function mergeWords(words: WordBox[]): WordBox[] {
  const kept: WordBox[] = [];
  for (const word of [...words].sort((a, b) => b.confidence - a.confidence)) {
    if (kept.some((k) => overlap(k, word) >= 0.7 * Math.min(area(k), area(word)))) continue;
    kept.push(word);
    if (kept.length >= MAX_WORDS_PER_FRAME) break;
  }
  return kept.sort((a, b) => a.y - b.y || a.x - b.x);
}

export type Rect = { x: number; y: number; width: number; height: number };

type FrameBox = Rect & { frame: number };

/**
 * The areas blacked out in each frame: words of one line that are closer than
 * their height are joined (tesseract's boxes are tight, and a stroke between
 * two words would survive), then each area gets `REDACTION_MARGIN` on every side.
 */
export function redactionRects(boxes: FrameBox[], frameSize: { width: number; height: number }): FrameBox[] {
  const joined: FrameBox[] = [];
  for (const box of [...boxes].sort((a, b) => a.frame - b.frame || a.y - b.y || a.x - b.x)) {
    const line = joined.find((j) => {
      if (j.frame !== box.frame) return false;
      const verticalOverlap = Math.min(j.y + j.height, box.y + box.height) - Math.max(j.y, box.y);
      const gap = Math.max(j.x, box.x) - Math.min(j.x + j.width, box.x + box.width);
      return verticalOverlap >= 0.5 * Math.min(j.height, box.height) && gap <= Math.max(j.height, box.height);
    });
    if (!line) {
      joined.push({ frame: box.frame, x: box.x, y: box.y, width: box.width, height: box.height });
      continue;
    }
    const [x0, y0] = [Math.min(line.x, box.x), Math.min(line.y, box.y)];
    const [x1, y1] = [Math.max(line.x + line.width, box.x + box.width), Math.max(line.y + line.height, box.y + box.height)];
    Object.assign(line, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
  }
  return joined.map((r) => ({ frame: r.frame, ...redactionRect(r, frameSize) }));
}

/** The area blacked out for a box: the box with `REDACTION_MARGIN` on each side, inside the frame. */
export function redactionRect(box: Rect, frameSize: { width: number; height: number }): Rect {
  const x = Math.max(0, box.x - REDACTION_MARGIN);
  const y = Math.max(0, box.y - REDACTION_MARGIN);
  return {
    x,
    y,
    width: Math.min(frameSize.width, box.x + box.width + REDACTION_MARGIN) - x,
    height: Math.min(frameSize.height, box.y + box.height + REDACTION_MARGIN) - y,
  };
}
