/** The part of fontkit the interface font's generator and its test use: reading a font, looking up characters, cutting a subset. */
declare module "fontkit" {
  export interface Glyph {
    id: number;
  }
  export interface Subset {
    /** The glyph's id in the subset (its components follow it when the subset is encoded). */
    includeGlyph(glyph: number | Glyph): number;
    /** A TrueType font of the included glyphs with head, hhea, loca, maxp, glyf, hmtx and the hinting tables only. */
    encode(): Uint8Array;
  }
  export interface Font {
    familyName: string;
    numGlyphs: number;
    characterSet: number[];
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): Glyph;
    createSubset(): Subset;
  }
  export function create(buffer: Uint8Array): Font;
}
