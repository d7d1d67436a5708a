import { describe, expect, it } from "vitest";
import { frameStoredValues, readPixelModule } from "~/features/imaging/dicom/pixel-module";
import { tagOf, type Element } from "~/features/imaging/dicom/part10";
import { dicomFrameRaster } from "~/features/imaging/key-images/key-image-raster";
import { frameImage, parseInstance } from "~/features/imaging/viewer/dicom-image";
import { drawViewerImage, ds, grayscaleImage, littleEndian16, parsed, part10, pixelData, sequence, text, us, withElements } from "../support/dicom-images";

const PER_FRAME = "52009230";
const SHARED = "52009229";
const PIXEL_MEASURES = "00289110";
const FRAME_VOI_LUT = "00289132";
const PIXEL_VALUE_TRANSFORMATION = "00289145";
const FRAME_CONTENT = "00209111";

const frameWindow = (center: string, width: string) => sequence(FRAME_VOI_LUT, [ds("00281050", center), ds("00281051", width)]);
const rescale = (intercept: string, slope: string) =>
  sequence(PIXEL_VALUE_TRANSFORMATION, [ds("00281052", intercept), ds("00281053", slope), text("00281054", "LO", "HU")]);
const spacing = (value: string) => sequence(PIXEL_MEASURES, [ds("00280030", value)]);
const frameContent = (position: number) => sequence(FRAME_CONTENT, [{ tag: tagOf(0x0020, 0x9057), vr: "UL", value: Uint8Array.from([position, 0, 0, 0]) }]);

describe("the pixel module reader", () => {
  it("reads a single-frame image from the top level: the image pixel attributes, rescale, window, spacing and where the pixels are", () => {
    const pixels = littleEndian16(1, 2, 3, 4, 5, 6);
    const set = parsed(
      grayscaleImage(
        { rows: 2, columns: 3, bitsStored: 12, signed: true },
        ds("00281053", "2"),
        ds("00281052", "-1024"),
        ds("00281050", "40"),
        ds("00281051", "400"),
        ds("00280030", "0.5\\0.7"),
        pixelData(pixels),
      ),
    );
    const module = readPixelModule(set);
    const pixelDataOffset = set.elements.x7fe00010.dataOffset;
    expect(module).toEqual({
      rows: 2,
      columns: 3,
      samplesPerPixel: 1,
      photometricInterpretation: "MONOCHROME2",
      bitsAllocated: 16,
      bitsStored: 12,
      pixelRepresentation: 1,
      planarConfiguration: 0,
      numberOfFrames: 1,
      frames: [
        {
          rescaleSlope: 2,
          rescaleIntercept: -1024,
          window: { center: 40, width: 400 },
          pixelSpacing: [0.5, 0.7],
          pixelData: { byteOffset: pixelDataOffset, byteLength: 12, bitOffset: 0 },
        },
      ],
    });
    expect([...set.byteArray.subarray(pixelDataOffset, pixelDataOffset + 12)]).toEqual([...pixels]);
  });

  it("without rescale, window or spacing: identity rescale, no window, no spacing; Imager Pixel Spacing stands in for Pixel Spacing", () => {
    const bare = readPixelModule(parsed(grayscaleImage({ rows: 1, columns: 2 }, pixelData(littleEndian16(0, 1)))));
    expect(bare.frames[0]).toMatchObject({ rescaleSlope: 1, rescaleIntercept: 0, window: null, pixelSpacing: null });
    const projection = readPixelModule(parsed(grayscaleImage({ rows: 1, columns: 2 }, ds("00181164", "0.143\\0.144"), pixelData(littleEndian16(0, 1)))));
    expect(projection.frames[0].pixelSpacing).toEqual([0.143, 0.144]);
  });

  it("gives every frame of an enhanced multi-frame image the shared functional groups' rescale, window and spacing", () => {
    const set = parsed(
      grayscaleImage(
        { rows: 2, columns: 2, frames: 2 },
        sequence(SHARED, [frameWindow("49", "102"), rescale("-1024", "1"), spacing("0.388672\\0.388672")]),
        sequence(PER_FRAME, [frameContent(1)], [frameContent(2)]),
        pixelData(littleEndian16(1, 2, 3, 4, 5, 6, 7, 8)),
      ),
    );
    const { frames } = readPixelModule(set);
    expect(frames.map(({ pixelData: _, ...values }) => values)).toEqual([
      { rescaleSlope: 1, rescaleIntercept: -1024, window: { center: 49, width: 102 }, pixelSpacing: [0.388672, 0.388672] },
      { rescaleSlope: 1, rescaleIntercept: -1024, window: { center: 49, width: 102 }, pixelSpacing: [0.388672, 0.388672] },
    ]);
    const offset = set.elements.x7fe00010.dataOffset;
    expect(frames.map((f) => f.pixelData)).toEqual([
      { byteOffset: offset, byteLength: 8, bitOffset: 0 },
      { byteOffset: offset + 8, byteLength: 8, bitOffset: 0 },
    ]);
  });

  it("lets a frame's own functional groups win over the shared ones, and both over the top level, attribute by attribute", () => {
    const set = parsed(
      grayscaleImage(
        { rows: 1, columns: 1, frames: 3 },
        ds("00281050", "1"),
        ds("00281051", "1"),
        ds("00281052", "7"),
        ds("00281053", "7"),
        ds("00280030", "9\\9"),
        sequence(SHARED, [frameWindow("40", "400"), rescale("-1024", "1"), spacing("0.5\\0.5")]),
        sequence(
          PER_FRAME,
          [frameContent(1), frameWindow("100", "50"), rescale("-1000", "2"), spacing("0.25\\0.3")],
          [frameContent(2)],
          [frameContent(3), frameWindow("-600", "1500")],
        ),
        pixelData(littleEndian16(1, 2, 3)),
      ),
    );
    expect(readPixelModule(set).frames.map(({ pixelData: _, ...values }) => values)).toEqual([
      { rescaleSlope: 2, rescaleIntercept: -1000, window: { center: 100, width: 50 }, pixelSpacing: [0.25, 0.3] },
      { rescaleSlope: 1, rescaleIntercept: -1024, window: { center: 40, width: 400 }, pixelSpacing: [0.5, 0.5] },
      { rescaleSlope: 1, rescaleIntercept: -1024, window: { center: -600, width: 1500 }, pixelSpacing: [0.5, 0.5] },
    ]);
  });

  it("takes the top level when neither functional group has the attribute", () => {
    const set = parsed(
      grayscaleImage(
        { rows: 1, columns: 1, frames: 1 },
        ds("00281052", "-1024"),
        sequence(SHARED, [spacing("0.5\\0.5")]),
        sequence(PER_FRAME, [frameContent(1)]),
        pixelData(littleEndian16(1)),
      ),
    );
    expect(readPixelModule(set).frames[0]).toMatchObject({ rescaleIntercept: -1024, rescaleSlope: 1, window: null, pixelSpacing: [0.5, 0.5] });
  });

  it("uses the first of several windows, as the viewer and the PDF both did before they shared this reader", () => {
    const topLevel = parsed(grayscaleImage({ rows: 1, columns: 1 }, ds("00281050", "40\\-600"), ds("00281051", "400\\1500"), pixelData(littleEndian16(1))));
    expect(readPixelModule(topLevel).frames[0].window).toEqual({ center: 40, width: 400 });
    const perFrame = parsed(
      grayscaleImage({ rows: 1, columns: 1, frames: 1 }, sequence(PER_FRAME, [frameWindow("300\\600", "700\\1400")]), pixelData(littleEndian16(1))),
    );
    expect(readPixelModule(perFrame).frames[0].window).toEqual({ center: 300, width: 700 });
  });

  it("passes over a window that cannot be used (no width, or not positive) to the next place that has one", () => {
    const set = parsed(
      grayscaleImage(
        { rows: 1, columns: 1, frames: 2 },
        ds("00281050", "40"),
        ds("00281051", "400"),
        sequence(PER_FRAME, [frameWindow("100", "0")], [sequence(FRAME_VOI_LUT, [ds("00281050", "100")])]),
        pixelData(littleEndian16(1, 2)),
      ),
    );
    expect(readPixelModule(set).frames.map((f) => f.window)).toEqual([
      { center: 40, width: 400 },
      { center: 40, width: 400 },
    ]);
    const alone = parsed(grayscaleImage({ rows: 1, columns: 1 }, ds("00281050", "40"), ds("00281051", "0"), pixelData(littleEndian16(1))));
    expect(readPixelModule(alone).frames[0].window).toBeNull();
  });

  it("reports MONOCHROME1 without its padding, in upper case", () => {
    const set = parsed(grayscaleImage({ rows: 1, columns: 1, bitsAllocated: 8 }, text("00280004", "CS", "monochrome1"), pixelData(Uint8Array.from([7]), "OB")));
    expect(readPixelModule(set).photometricInterpretation).toBe("MONOCHROME1");
  });

  it("locates the frames of planar RGB: each frame holds its three planes one after the other", () => {
    const rgbImage = withElements(grayscaleImage({ rows: 1, columns: 2, frames: 2, bitsAllocated: 8 }), [
      us("00280002", 3),
      text("00280004", "CS", "RGB"),
      us("00280006", 1),
      pixelData(Uint8Array.from([10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 60, 61]), "OB"),
    ]);
    const set = parsed(rgbImage);
    const module = readPixelModule(set);
    expect(module).toMatchObject({ samplesPerPixel: 3, photometricInterpretation: "RGB", planarConfiguration: 1, numberOfFrames: 2 });
    const second = module.frames[1].pixelData;
    expect([...set.byteArray.subarray(second.byteOffset, second.byteOffset + second.byteLength)]).toEqual([40, 41, 50, 51, 60, 61]);
  });

  it("locates single-bit frames by bit: a frame may start inside a byte", () => {
    // Two 3×3 frames of one bit each: the second starts at bit 9, bit 1 of the second byte.
    const set = parsed(
      grayscaleImage({ rows: 3, columns: 3, frames: 2, bitsAllocated: 1 }, pixelData(Uint8Array.from([0b00000001, 0b00000110, 0b00000010]), "OB")),
    );
    const module = readPixelModule(set);
    const offset = set.elements.x7fe00010.dataOffset;
    expect(module.frames.map((f) => f.pixelData)).toEqual([
      { byteOffset: offset, byteLength: 2, bitOffset: 0 },
      { byteOffset: offset + 1, byteLength: 2, bitOffset: 1 },
    ]);
    expect([...frameStoredValues(module, module.frames[0], set.byteArray)]).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...frameStoredValues(module, module.frames[1], set.byteArray)]).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it("refuses what it cannot locate: no native pixel data, no size, unsupported bits, pixel data shorter than the frames", () => {
    const image = (...elements: Element[]) => parsed(grayscaleImage({ rows: 2, columns: 2, frames: 2 }, ...elements));
    expect(() => readPixelModule(image())).toThrow("no native pixel data");
    const encapsulated = { tag: tagOf(0x7fe0, 0x0010), vr: "OB", value: null, fragments: [new Uint8Array(8)] };
    expect(() => readPixelModule(image(encapsulated))).toThrow("no native pixel data");
    expect(() => readPixelModule(image(us("00280010", 0), pixelData(new Uint8Array(16))))).toThrow("no image size");
    expect(() => readPixelModule(image(us("00280100", 12), us("00280101", 12), pixelData(new Uint8Array(16))))).toThrow("unsupported bits allocated 12");
    expect(() => readPixelModule(image(pixelData(new Uint8Array(14))))).toThrow("pixel data shorter than the frames");
    expect(readPixelModule(image(pixelData(new Uint8Array(16)))).numberOfFrames).toBe(2);
  });
});

describe("stored values of a frame", () => {
  const values = (options: { bitsStored: number; signed: boolean }, ...raw: number[]) => {
    const set = parsed(grayscaleImage({ rows: 1, columns: raw.length, ...options }, pixelData(littleEndian16(...raw))));
    const module = readPixelModule(set);
    return frameStoredValues(module, module.frames[0], set.byteArray);
  };

  it("keeps all sixteen bits as they are, signed or not", () => {
    expect(values({ bitsStored: 16, signed: false }, 0, 40000, 65535)).toEqual(Uint16Array.from([0, 40000, 65535]));
    expect(values({ bitsStored: 16, signed: true }, 0, 0x8000, 0xffff)).toEqual(Int16Array.from([0, -32768, -1]));
  });

  it("masks to Bits Stored and sign-extends, so bits above it (an overlay, say) change nothing", () => {
    expect(values({ bitsStored: 12, signed: true }, 0x0fff, 0x0800, 0x07ff, 0xf001)).toEqual(Int16Array.from([-1, -2048, 2047, 1]));
    expect(values({ bitsStored: 12, signed: false }, 0x0fff, 0xf001)).toEqual(Uint16Array.from([4095, 1]));
  });
});

describe("viewer and PDF, on the same bytes", () => {
  const bothPaths = (dataset: Parameters<typeof part10>[0], frame = 0) => {
    const bytes = part10(dataset);
    return {
      viewer: frameImage(`test#${frame}`, parseInstance(bytes), frame),
      pdf: dicomFrameRaster(bytes, frame, { windowCenter: null, windowWidth: null, invert: false }),
    };
  };

  it("draw MONOCHROME1 inverted alike", () => {
    const { viewer, pdf } = bothPaths(
      grayscaleImage(
        { rows: 1, columns: 4, bitsAllocated: 8 },
        text("00280004", "CS", "MONOCHROME1"),
        ds("00281050", "100"),
        ds("00281051", "200"),
        pixelData(Uint8Array.from([0, 50, 150, 255]), "OB"),
      ),
    );
    expect(viewer.invert).toBe(true);
    expect(pdf.pixels).toEqual(drawViewerImage(viewer));
    expect([...pdf.pixels]).toEqual([255, 191, 63, 0]);
  });

  it("draw planar RGB alike, as interleaved colour", () => {
    const image = withElements(grayscaleImage({ rows: 1, columns: 2, frames: 2, bitsAllocated: 8 }), [
      us("00280002", 3),
      text("00280004", "CS", "RGB"),
      us("00280006", 1),
      pixelData(Uint8Array.from([10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 60, 61]), "OB"),
    ]);
    const { viewer, pdf } = bothPaths(image, 1);
    expect([...pdf.pixels]).toEqual([40, 50, 60, 41, 51, 61]);
    expect(drawViewerImage(viewer)).toEqual(pdf.pixels);
  });

  it("draw each frame of an enhanced image with that frame's own rescale and window", () => {
    const image = grayscaleImage(
      { rows: 1, columns: 4, frames: 2 },
      ds("00281050", "0"),
      ds("00281051", "10"),
      sequence(SHARED, [frameWindow("40", "400"), rescale("-1024", "1")]),
      sequence(PER_FRAME, [frameWindow("1000", "2000"), rescale("0", "2")], [frameContent(2)]),
      pixelData(littleEndian16(0, 500, 1000, 1500, 900, 1000, 1100, 1200)),
    );
    const first = bothPaths(image, 0);
    expect(first.viewer).toMatchObject({ slope: 2, intercept: 0, windowCenter: 1000, windowWidth: 2000 });
    expect(first.pdf.pixels).toEqual(drawViewerImage(first.viewer));
    const second = bothPaths(image, 1);
    expect(second.viewer).toMatchObject({ slope: 1, intercept: -1024, windowCenter: 40, windowWidth: 400 });
    expect(second.pdf.pixels).toEqual(drawViewerImage(second.viewer));
    expect([...second.pdf.pixels]).toEqual([23, 87, 151, 215]);
  });
});
