import { describe, expect, it } from "vitest";
import { parseSlideAnnotation, readSlideAnnotation, withinSlide } from "~/features/imaging/slides/slide-annotation";
import { clipToSlide, readRegionParam, regionParam, SlideRegionInput, withinSlideBounds } from "~/features/imaging/slides/slide-region";

const arrow = { kind: "ARROW", geometry: JSON.stringify({ start: { x: 1, y: 2 }, end: { x: 30, y: 40 } }), text: "mitosis" };

describe("slide annotations", () => {
  it("accepts arrows, ellipses and labels in image pixels, and needs text only on a label", () => {
    expect(parseSlideAnnotation(arrow)).toMatchObject({ success: true, data: { kind: "ARROW", text: "mitosis" } });
    expect(parseSlideAnnotation({ kind: "ELLIPSE", geometry: JSON.stringify({ start: { x: 0, y: 0 }, end: { x: 5, y: 5 } }), text: undefined })).toMatchObject({
      success: true,
      data: { text: "" },
    });
    expect(parseSlideAnnotation({ kind: "TEXT", geometry: JSON.stringify({ at: { x: 3, y: 4 } }), text: "Margin" }).success).toBe(true);
    const blank = parseSlideAnnotation({ kind: "TEXT", geometry: JSON.stringify({ at: { x: 3, y: 4 } }), text: "  " });
    expect(blank.success ? null : blank.error.issues[0].message).toBe("imaging:slides.annotations.textRequired");
    const long = parseSlideAnnotation({ kind: "TEXT", geometry: JSON.stringify({ at: { x: 3, y: 4 } }), text: "x".repeat(501) });
    expect(long.success ? null : long.error.issues[0].message).toBe("imaging:slides.annotations.textTooLong");
  });

  it("refuses unknown kinds, geometry that is not JSON or not the kind's shape, negative and non-finite coordinates", () => {
    for (const bad of [
      { ...arrow, kind: "POLYGON" },
      { ...arrow, geometry: "not json" },
      { ...arrow, geometry: JSON.stringify({ at: { x: 1, y: 1 } }) },
      { ...arrow, geometry: JSON.stringify({ start: { x: -1, y: 2 }, end: { x: 3, y: 4 } }) },
      { ...arrow, geometry: '{"start":{"x":1e999,"y":2},"end":{"x":3,"y":4}}' },
    ]) {
      expect(parseSlideAnnotation(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("keeps every point on the slide", () => {
    const parsed = parseSlideAnnotation(arrow);
    if (!parsed.success) throw parsed.error;
    expect(withinSlide(parsed.data, 30, 40)).toBe(true);
    expect(withinSlide(parsed.data, 29, 40)).toBe(false);
    expect(withinSlide(parsed.data, 30, 39)).toBe(false);
  });

  it("reads a stored row back as the viewer draws it, marked when it is the reader's own, and drops a row that is no longer valid", () => {
    expect(readSlideAnnotation({ id: "a1", ...arrow }, true)).toMatchObject({ id: "a1", kind: "ARROW", mine: true, geometry: { start: { x: 1, y: 2 } } });
    expect(readSlideAnnotation({ id: "a2", ...arrow, geometry: "{}" }, false)).toBeNull();
  });
});

describe("slide key regions", () => {
  it("needs a note and a rectangle of whole pixels with a size", () => {
    expect(SlideRegionInput.safeParse({ x: "10", y: "20", width: "30", height: "25", note: " Tumour " })).toMatchObject({
      success: true,
      data: { x: 10, width: 30, note: "Tumour" },
    });
    const blank = SlideRegionInput.safeParse({ x: "0", y: "0", width: "5", height: "5", note: " " });
    expect(blank.success ? null : blank.error.issues[0].message).toBe("imaging:keyImages.noteRequired");
    const missing = SlideRegionInput.safeParse({ x: "0", y: "0", width: "5", height: "5" });
    expect(missing.success ? null : missing.error.issues[0].message).toBe("imaging:keyImages.noteRequired");
    for (const bad of [{ width: "0" }, { x: "-1" }, { y: "1.5" }, { height: "tall" }]) {
      expect(SlideRegionInput.safeParse({ x: "0", y: "0", width: "5", height: "5", note: "n", ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("keeps a region on the slide and clips what is on screen to it", () => {
    expect(withinSlideBounds({ x: 10, y: 10, width: 20, height: 20 }, 30, 30)).toBe(true);
    expect(withinSlideBounds({ x: 11, y: 10, width: 20, height: 20 }, 30, 30)).toBe(false);
    expect(clipToSlide({ x: -5.5, y: 2.2, width: 20, height: 100 }, 10, 50)).toEqual({ x: 0, y: 2, width: 10, height: 48 });
    expect(clipToSlide({ x: 60, y: 0, width: 5, height: 5 }, 50, 50)).toBeNull();
  });

  it("writes a region into a link and reads it back, refusing anything else", () => {
    expect(readRegionParam(regionParam({ x: 1, y: 2, width: 3, height: 4 }))).toEqual({ x: 1, y: 2, width: 3, height: 4 });
    for (const bad of [null, "", "1,2,3", "1,2,0,4", "a,b,c,d", "1,2,3,4,5", "-1,2,3,4", "1,2,3,1234567890"])
      expect(readRegionParam(bad), String(bad)).toBeNull();
  });
});
