/**
 * TIFF slides of every vendor OpenSlide reads, cleaned as the case page cleans them: only the slide's own pyramid keeps
 * its pixels, the vendor's text keeps only what readers need, and crafted files are refused before they cost the server
 * more than their size. Checked with libtiff's tiffinfo and tiffdump and with OpenSlide, which we did not write.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SlideFormatError, SlideRefusal } from "~/features/imaging/slides/slide-bytes";
import { planSlideCleaning } from "~/features/imaging/slides/slide-deid";
import { cleanedSlide } from "../support/slides";
import { syntheticGenericSlide, syntheticLeicaSlide } from "../support/synthetic-slide";
import { tinyIcc, tinyImage, tinyTiff, type TinyEntry } from "../support/tiny-tiff";

const NAME = "ZHANG SAN 0012345";
const work = mkdtempSync(path.join(os.tmpdir(), "tb-tiff-deid-"));
const tool = (command: string, ...args: string[]) => execFileSync(command, args, { encoding: "latin1", stdio: ["ignore", "pipe", "ignore"] });
const memory = (bytes: Uint8Array, size = bytes.length) => ({
  size,
  read: async (offset: number, length: number) => (offset + length <= bytes.length ? bytes.subarray(offset, offset + length) : new Uint8Array(length)),
});
const xmp = (text: string): TinyEntry => ({ tag: 700, type: 1, bytes: new TextEncoder().encode(text) });

async function cleanedFile(original: string | Uint8Array, name = "slide.tif"): Promise<{ file: string; bytes: Buffer }> {
  const bytes = typeof original === "string" ? new Uint8Array(readFileSync(original)) : original;
  const file = path.join(work, `clean-${Date.now()}-${name}`);
  writeFileSync(file, await cleanedSlide(bytes));
  const cleaned = readFileSync(file);
  expect(cleaned.length).toBe(bytes.length);
  expect((await planSlideCleaning(memory(cleaned))).patches, "a second plan finds nothing").toEqual([]);
  return { file, bytes: cleaned };
}

/** The bytes of each strip or tile of a TIFF directory, as tiffinfo lists them. */
function imageData(file: string, bytes: Buffer, directory: number): Buffer[] {
  const section = tool("tiffinfo", "-s", file).split("=== TIFF directory ")[directory + 1];
  return [...section.matchAll(/^\s+\d+: \[\s*(\d+),\s*(\d+)\]/gm)].map((m) => bytes.subarray(Number(m[1]), Number(m[1]) + Number(m[2])));
}
const zeroed = (pieces: Buffer[]) => pieces.length > 0 && pieces.every((piece) => piece.every((b) => b === 0));

describe("TIFF slide cleaning by vendor", () => {
  it("Leica SCN: the macro image is zeroed, the XML keeps only geometry and optics, and OpenSlide reads the same Leica slide", async () => {
    const original = syntheticLeicaSlide();
    const before = tool("openslide-show-properties", original);
    expect(before).toContain("leica.barcode: 'ZHANGSAN-0012345'");
    expect(before).toContain("WARD7-PC");
    const { file, bytes } = await cleanedFile(original, "slide.scn");

    const after = tool("openslide-show-properties", file);
    expect(after).toContain("openslide.vendor: 'leica'");
    expect(after).toContain("openslide.mpp-x: '0.5'");
    expect(after).toContain("openslide.objective-power: '20'");
    expect(after).toContain("openslide.level-count: '2'");
    expect(after).toContain("openslide.region[0].x: '2000'");
    expect(after).not.toMatch(/barcode|creation-date|device|ZHANG|zhangsan|WARD7/i);
    expect(bytes.toString("latin1")).not.toMatch(/ZHANG|zhangsan|WARD7|2026-12-01/);
    expect(zeroed(imageData(file, bytes, 2)), "macro image").toBe(true);
    expect(zeroed(imageData(file, bytes, 0)), "level 0").toBe(false);
    expect(tool("vips", "avg", file)).toBe(tool("vips", "avg", original));
  });

  it("generic tiled TIFF: a page outside the pyramid (a photographed label with no description) is zeroed", async () => {
    const original = syntheticGenericSlide();
    expect(tool("openslide-show-properties", original)).toContain("openslide.vendor: 'generic-tiff'");
    const { file, bytes } = await cleanedFile(original);
    const after = tool("openslide-show-properties", file);
    expect(after).toContain("openslide.vendor: 'generic-tiff'");
    expect(after).toContain("openslide.level-count: '2'");
    expect(zeroed(imageData(file, bytes, 2)), "label page").toBe(true);
    expect(zeroed(imageData(file, bytes, 1)), "level 1").toBe(false);
    expect(tool("vips", "avg", file)).toBe(tool("vips", "avg", original));
  });

  it("Ventana BIF: the label image is zeroed; the XMP keeps the iScan element OpenSlide detects and the stitching geometry, not the barcode", async () => {
    const iScan = `<?xpacket begin=""?><Metadata><iScan Magnification="20" ScanRes="0.465" Z-layers="1" BarCode1D="ZHANGSAN-0012345" UnitNumber="WARD7-PC" SlideAnnotation="${NAME}"><AOI0 Left="10" Top="20" Right="30" Bottom="40"/><Comment>${NAME}</Comment></iScan></Metadata>`;
    const encodeInfo =
      '<EncodeInfo Ver="2"><SlideStitchInfo><ImageInfo AOIScanned="1" AOIIndex="0" Width="8" Height="8" NumRows="1" NumCols="1" Pos-X="0" Pos-Y="0"><TileJointInfo FlagJoined="1" Direction="RIGHT" Tile1="1" Tile2="1" OverlapX="2" OverlapY="0" Confidence="90"/></ImageInfo></SlideStitchInfo><AoiOrigin><AOI0 OriginX="0" OriginY="0"/></AoiOrigin></EncodeInfo>';
    const original = tinyTiff([
      tinyImage(NAME, { tag: 270, type: 2, text: "Label_Image" }, xmp(iScan)),
      tinyImage("tissue tissue tissue", { tag: 270, type: 2, text: "level=0 mag=20 quality=90" }, xmp(encodeInfo)),
      tinyImage(NAME, { tag: 270, type: 2, text: "Thumbnail" }),
    ]);
    const { file, bytes } = await cleanedFile(original);
    const text = bytes.toString("latin1");
    expect(text).not.toMatch(/ZHANG|WARD7|BarCode|Comment/);
    expect(text).toContain(
      '<Metadata><iScan Magnification="20" ScanRes="0.465" Z-layers="1"><AOI0 Left="10" Top="20" Right="30" Bottom="40"/></iScan></Metadata>',
    );
    expect(text).toContain(encodeInfo);
    const dump = tool("tiffinfo", file);
    expect(dump).toContain("Label_Image");
    expect(dump).toContain("level=0 mag=20 quality=90");
    expect(zeroed(imageData(file, bytes, 0)), "label").toBe(true);
    expect(zeroed(imageData(file, bytes, 1)), "level 0").toBe(false);
    expect(zeroed(imageData(file, bytes, 2)), "thumbnail of the whole glass").toBe(true);
  });

  it("Philips TIFF: label pages are zeroed and the XML loses its base64 label, barcode and dates, keeping the pixel spacing", async () => {
    const attribute = (name: string, value: string) => `<Attribute Name="${name}" Group="0x0028" Element="0x0030" PMSVR="IString">${value}</Attribute>`;
    const xml = [
      '<?xml version="1.0" encoding="UTF-8" ?><DataObject ObjectType="DPUfsImport">',
      attribute("PIM_DP_UFS_BARCODE", "WkhBTkdTQU4tMDAxMjM0NQ=="),
      attribute("DICOM_ACQUISITION_DATETIME", "20261201091403.000000"),
      attribute("DICOM_DEVICE_SERIAL_NUMBER", "WARD7-PC"),
      '<Attribute Name="PIM_DP_SCANNED_IMAGES" Group="0x301D" Element="0x1003" PMSVR="IDataObjectArray"><Array>',
      '<DataObject ObjectType="DPScannedImage">',
      attribute("PIM_DP_IMAGE_TYPE", "WSI"),
      attribute("DICOM_PIXEL_SPACING", '"0.000227" "0.000227"'),
      "</DataObject>",
      '<DataObject ObjectType="DPScannedImage">',
      attribute("PIM_DP_IMAGE_TYPE", "LABELIMAGE"),
      attribute("PIM_DP_IMAGE_DATA", Buffer.from(NAME).toString("base64")),
      "</DataObject></Array></Attribute></DataObject>",
    ].join("");
    const tiles = (pixels: string, ...extra: TinyEntry[]) =>
      tinyImage(pixels, { tag: 322, type: 3, values: [8] }, { tag: 323, type: 3, values: [8] }, ...extra);
    const original = tinyTiff([
      tiles("tissue tissue", { tag: 270, type: 2, text: xml }, { tag: 305, type: 2, text: "Philips DP v1.0 WARD7-PC" }),
      tinyImage(NAME, { tag: 270, type: 2, text: "Label" }),
      tinyImage(NAME, { tag: 270, type: 2, text: `Macro ${NAME}` }),
    ]);
    const { file, bytes } = await cleanedFile(original);
    const text = bytes.toString("latin1");
    expect(text).not.toMatch(/ZHANG|WARD7|WkhBTkdTQU4|BARCODE|20261201|SERIAL/);
    expect(text).toContain('<DataObject ObjectType="DPUfsImport"><Attribute Name="PIM_DP_SCANNED_IMAGES"');
    expect(text).toContain('<Attribute Name="DICOM_PIXEL_SPACING" Group="0x0028" Element="0x0030" PMSVR="IString">"0.000227" "0.000227"</Attribute>');
    expect(tool("tiffinfo", file)).toMatch(/Software: Philips\n/);
    expect(zeroed(imageData(file, bytes, 1)), "label").toBe(true);
    expect(zeroed(imageData(file, bytes, 2)), "macro").toBe(true);
    expect(zeroed(imageData(file, bytes, 0)), "slide").toBe(false);
  });

  it("OME-TIFF: only the first image's planes keep their pixels; a label image named in the XML is zeroed, and so are names", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" Creator="${NAME}"><Image ID="Image:0" Name="${NAME}"><AcquisitionDate>2026-12-01T09:14:03</AcquisitionDate><Pixels ID="Pixels:0" DimensionOrder="XYCZT" Type="uint8" SizeX="8" SizeY="8" SizeC="1" SizeZ="1" SizeT="1" PhysicalSizeX="0.25"><TiffData IFD="0" PlaneCount="1"/></Pixels></Image><Image ID="Image:1" Name="label image"><Pixels ID="Pixels:1" DimensionOrder="XYCZT" Type="uint8" SizeX="8" SizeY="8" SizeC="1" SizeZ="1" SizeT="1"><TiffData IFD="1" PlaneCount="1"/></Pixels></Image></OME>`;
    const original = tinyTiff([tinyImage("tissue tissue", { tag: 270, type: 2, text: xml }), tinyImage(NAME)]);
    const { file, bytes } = await cleanedFile(original);
    const text = bytes.toString("latin1");
    expect(text).not.toMatch(/ZHANG|2026-12-01|label image/);
    expect(text).toContain('<Pixels ID="Pixels:0" DimensionOrder="XYCZT" Type="uint8" SizeX="8" SizeY="8" SizeC="1" SizeZ="1" SizeT="1" PhysicalSizeX="0.25">');
    expect(zeroed(imageData(file, bytes, 1)), "label image").toBe(true);
    expect(zeroed(imageData(file, bytes, 0)), "slide").toBe(false);
  });

  it("Aperio: a page of another shape than the slide is zeroed even when tiled and not called a label", async () => {
    const tiles = (...extra: TinyEntry[]): TinyEntry[] => [{ tag: 322, type: 3, values: [16] }, { tag: 323, type: 3, values: [16] }, ...extra];
    const size = (width: number, height: number): TinyEntry[] => [
      { tag: 256, type: 3, values: [width] },
      { tag: 257, type: 3, values: [height] },
    ];
    const original = tinyTiff([
      tinyImage("tissue tissue", ...tiles(...size(64, 48)), { tag: 270, type: 2, text: "Aperio Image Library v12\n64x48 |AppMag = 20|MPP = 0.5" }),
      tinyImage("thumbnail", ...size(16, 12), { tag: 270, type: 2, text: "Aperio Image Library v12\n64x48 -> 16x12" }),
      tinyImage("level one", ...tiles(...size(32, 24))),
      tinyImage(NAME, ...tiles(...size(64, 16))),
      tinyImage(NAME, ...size(30, 30), { tag: 270, type: 2, text: "Aperio Image Library v12\nlabel 30x30" }),
    ]);
    const { file, bytes } = await cleanedFile(original);
    expect(bytes.toString("latin1")).not.toContain(NAME);
    for (const directory of [0, 1, 2]) expect(zeroed(imageData(file, bytes, directory)), `directory ${directory}`).toBe(false);
    for (const directory of [3, 4]) expect(zeroed(imageData(file, bytes, directory)), `directory ${directory}`).toBe(true);
  });

  it("keeps the ICC profile's colour data and empties its texts, where a tool can write anything", async () => {
    const original = tinyTiff([tinyImage("tissue", { tag: 34675, type: 7, bytes: tinyIcc(NAME, `Copyright ${NAME}`) })]);
    const profile = path.join(work, "original.tif");
    writeFileSync(profile, original);
    expect(tool("identify", "-verbose", profile)).toContain(NAME);
    const { file, bytes } = await cleanedFile(original);
    expect(bytes.toString("latin1")).not.toContain("ZHANG");
    expect(bytes.toString("utf16le")).not.toContain("ZHANG");
    const verbose = tool("identify", "-verbose", file);
    expect(verbose).not.toContain("ZHANG");
    expect(verbose).toMatch(/Profile-icc: \d+ bytes/);
    expect(bytes.toString("latin1")).toContain("XYZ ");
  });

  it("walks the slide's JPEG tiles and JPEG tables for comments and application data, leaving the pixels", async () => {
    const jpeg = path.join(work, "tile.jpg");
    tool("convert", "-size", "8x8", "plasma:gray", "-colorspace", "Gray", "-set", "comment", NAME, jpeg);
    const tables = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xfe, 0, 2 + NAME.length]), Buffer.from(NAME), Buffer.from([0xff, 0xd9])]);
    const original = tinyTiff([
      tinyImage(new Uint8Array(readFileSync(jpeg)), { tag: 259, type: 3, values: [7] }, { tag: 347, type: 7, bytes: new Uint8Array(tables) }),
    ]);
    const before = path.join(work, "jpeg-tiles.tif");
    writeFileSync(before, original);
    const { file, bytes } = await cleanedFile(original);
    expect(bytes.toString("latin1")).not.toContain("ZHANG");
    expect(tool("vips", "avg", file)).toBe(tool("vips", "avg", before));
  });

  it("refuses a value that claims more of the file than it holds, which would hide unreferenced bytes from the zeroing", async () => {
    const tagged = tinyTiff([tinyImage("tissue", { tag: 32997, type: 4, values: [1, 1] })]);
    const d = new DataView(tagged.buffer);
    const ifd = d.getUint32(4, true);
    for (let i = 0; i < d.getUint16(ifd, true); i++) {
      const entry = ifd + 2 + i * 12;
      if (d.getUint16(entry, true) === 32997) {
        d.setUint32(entry + 4, 0x3fffffff, true);
        d.setUint32(entry + 8, 8, true);
      }
    }
    const crafted = Buffer.concat([tagged, Buffer.from(`Old description: ${NAME}`)]);
    await expect(planSlideCleaning(memory(crafted), { stopAtFirst: true })).rejects.toThrow(SlideFormatError);
  });

  it("refuses, after a bounded amount of reading, many tags that all point at one large value", async () => {
    const block = 16 * 1024 * 1024;
    const base = tinyTiff([tinyImage("tissue", ...Array.from({ length: 20 }, (_, i): TinyEntry => ({ tag: 40000 + i, type: 4, values: [0, 0] })))]);
    const crafted = new Uint8Array(base.length + block);
    crafted.set(base);
    const d = new DataView(crafted.buffer);
    const ifd = d.getUint32(4, true);
    for (let i = 0; i < d.getUint16(ifd, true); i++) {
      const entry = ifd + 2 + i * 12;
      if (d.getUint16(entry, true) < 40000) continue;
      d.setUint16(entry + 2, 1, true);
      d.setUint32(entry + 4, block, true);
      d.setUint32(entry + 8, base.length, true);
    }
    let read = 0;
    const counted = { size: crafted.length, read: async (offset: number, length: number) => ((read += length), crafted.subarray(offset, offset + length)) };
    await expect(planSlideCleaning(counted, { stopAtFirst: true })).rejects.toThrow(/too large altogether/);
    expect(read).toBeLessThan(300 * 1024 * 1024);
  });

  it("sends every byte of overlapping patches cleaned: two label pages sharing a strip start, and overlapping text values", async () => {
    const label = new TextEncoder().encode(`................${NAME}`.padEnd(64, " "));
    const crafted = tinyTiff([tinyImage("tissue tissue"), tinyImage(label), tinyImage(label)]);
    const d = new DataView(crafted.buffer);
    const next = (ifd: number) => d.getUint32(ifd + 2 + d.getUint16(ifd, true) * 12, true);
    const entryOf = (ifd: number, tag: number) => {
      for (let i = 0; i < d.getUint16(ifd, true); i++) if (d.getUint16(ifd + 2 + i * 12, true) === tag) return ifd + 2 + i * 12;
      throw new Error(`no tag ${tag}`);
    };
    const labelOne = next(d.getUint32(4, true));
    const labelTwo = next(labelOne);
    const start = d.getUint32(entryOf(labelOne, 273) + 8, true);
    d.setUint32(entryOf(labelOne, 279) + 8, 16, true); // [start, start + 16)
    d.setUint32(entryOf(labelTwo, 273) + 8, start, true); // [start, start + 64)
    const cleaned = Buffer.from(await cleanedSlide(crafted));
    expect(cleaned.toString("latin1")).not.toContain("ZHANG");
    expect(cleaned.subarray(start, start + 64).every((b) => b === 0)).toBe(true);
  });

  it("keeps a short Aperio description that fits, so OpenSlide's Aperio reading and the second plan agree", async () => {
    const original = tinyTiff([tinyImage("tissue", { tag: 270, type: 2, text: "Aperio|AppMag=20|MPP=0.499" })]);
    const { file } = await cleanedFile(original);
    expect(tool("tiffinfo", file)).toContain("Aperio|AppMag=20|MPP=0.499");
    const longer = tinyTiff([tinyImage("tissue", { tag: 270, type: 2, text: "Aperio x\n|AppMag = 20|MPP = 0.499|User = zhangsan" })]);
    const cleaned = await cleanedFile(longer);
    expect(tool("tiffinfo", cleaned.file)).toContain("Aperio Image Library");
    expect(cleaned.bytes.toString("latin1")).not.toContain("zhangsan");
  });

  it("refuses a Leica or OME file whose XML it cannot read, rather than sending it emptied", async () => {
    const xml = '<?xml version="1.0"?><scn xmlns="http://www.leica-microsystems.com/scn/2010/10/01"><collection sizeX="1"><image></collection></scn>';
    const broken = tinyTiff([tinyImage("tissue", { tag: 270, type: 2, text: xml }, { tag: 322, type: 3, values: [8] }, { tag: 323, type: 3, values: [8] })]);
    await expect(planSlideCleaning(memory(broken))).rejects.toThrow(SlideFormatError);
  });

  it("keeps only the scanner's vendor in Make, Model and Software, and zeroes private and unknown tags of any type", async () => {
    const original = tinyTiff([
      tinyImage(
        "tissue tissue",
        { tag: 271, type: 2, text: "Hamamatsu Photonics ZHANG" },
        { tag: 272, type: 2, text: NAME },
        { tag: 305, type: 2, text: "NDP.scan 3.2 WARD7-PC" },
        { tag: 1000, type: 4, values: [12345, 67890] },
        { tag: 40000, type: 3, values: [12, 345] },
        { tag: 50000, type: 7, bytes: new TextEncoder().encode(NAME) },
        { tag: 33432, type: 2, text: NAME },
      ),
    ]);
    const { file } = await cleanedFile(original);
    const dump = tool("tiffdump", file);
    expect(dump).toMatch(/Make \(271\) ASCII \(2\) \d+<Hamamatsu\\0/);
    expect(dump).toMatch(/Model \(272\) ASCII \(2\) \d+<\\0/);
    expect(dump).toMatch(/Software \(305\) ASCII \(2\) \d+<\\0/);
    expect(dump).toMatch(/1000 \(0x3e8\) LONG \(4\) 2<0 0>/);
    expect(dump).toMatch(/40000 \(0x9c40\) SHORT \(3\) 2<0 0>/);
    expect(dump).not.toMatch(/ZHANG|WARD7|12345|67890/);
  });

  it("refuses an NDPI file over 4 GB, whose offsets it cannot follow, with a message saying so", async () => {
    const ndpi = tinyTiff([tinyImage("tissue", { tag: 65420, type: 4, values: [1] }, { tag: 65421, type: 11, values: [20] })]);
    await expect(planSlideCleaning(memory(ndpi))).resolves.toMatchObject({ format: "tiff" });
    const refusal = await planSlideCleaning(memory(ndpi, 2 ** 32 + 1024)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SlideRefusal);
    expect((refusal as SlideRefusal).errorKey).toBe("imaging:slides.errors.ndpiTooLarge");
  });

  it("refuses, without building them, strip arrays that add up past the cap across directories", async () => {
    const strips = (count: number): TinyEntry[] => [
      { tag: 256, type: 3, values: [8] },
      { tag: 257, type: 3, values: [8] },
      { tag: 273, type: 4, values: new Array<number>(count).fill(8) },
      { tag: 279, type: 4, values: new Array<number>(count).fill(1) },
    ];
    const crafted = tinyTiff([strips(2_200_000), strips(2_200_000)]);
    await expect(planSlideCleaning(memory(crafted), { stopAtFirst: true })).rejects.toThrow(SlideFormatError);
    await expect(planSlideCleaning(memory(crafted))).rejects.toThrow(/too many strips and tiles/);
  });
});
