/**
 * What the interface's Chinese web font carries: the CJK punctuation and
 * full-width forms, GB2312 level 1 (the 3,755 most common hanzi) and every
 * Chinese character of the interface's own texts. The generator
 * (`npm run font:subset`) and its test read the same list; the @font-face in
 * app.css names the same ranges.
 */

type Block = readonly [first: number, last: number];
const CJK_PUNCTUATION: Block = [0x3000, 0x303f];
const UNIFIED_IDEOGRAPHS: Block = [0x4e00, 0x9fff];
const FULL_WIDTH_FORMS: Block = [0xff00, 0xffef];

/** The blocks the font serves; a browser asks it only for characters in them. */
export const UI_FONT_RANGES: readonly Block[] = [CJK_PUNCTUATION, UNIFIED_IDEOGRAPHS, FULL_WIDTH_FORMS];

/** Folders (from the repository's root) whose files' Chinese characters the font must carry. */
export const UI_FONT_TEXT_FOLDERS = ["locales/zh-CN", "app/features/cases/data", "app/features/glossary/data"] as const;

const inRanges = (codePoint: number) => UI_FONT_RANGES.some(([first, last]) => codePoint >= first && codePoint <= last);

/** GB2312 level 1: rows 16 to 55 of the GB2312 table (row 55 ends at its 89th cell), decoded from their two-byte codes. */
export function gb2312Level1(): string[] {
  const decoder = new TextDecoder("gbk");
  const characters: string[] = [];
  for (let row = 0xb0; row <= 0xd7; row++)
    for (let cell = 0xa1; cell <= (row === 0xd7 ? 0xf9 : 0xfe); cell++) characters.push(decoder.decode(new Uint8Array([row, cell])));
  return characters;
}

/** The code points the font carries, ascending: the punctuation blocks whole, GB2312 level 1, and the texts' characters in the served blocks. */
export function uiFontCodePoints(texts: readonly string[]): number[] {
  const codePoints = new Set<number>();
  for (const [first, last] of [CJK_PUNCTUATION, FULL_WIDTH_FORMS]) for (let codePoint = first; codePoint <= last; codePoint++) codePoints.add(codePoint);
  for (const text of [...gb2312Level1(), ...texts]) for (const character of text) codePoints.add(character.codePointAt(0)!);
  return [...codePoints].filter(inRanges).sort((a, b) => a - b);
}

/** The CSS unicode-range of the served blocks, e.g. "U+3000-303F, U+4E00-9FFF". */
export function uiFontUnicodeRange(): string {
  const hex = (codePoint: number) => codePoint.toString(16).toUpperCase();
  return UI_FONT_RANGES.map(([first, last]) => `U+${hex(first)}-${hex(last)}`).join(", ");
}
