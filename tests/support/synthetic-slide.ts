/**
 * An Aperio SVS made by tools we did not write (ImageMagick, libtiff's tiffcp and tiffset), carrying what a real scan
 * carries about the patient: the scan's file name, date, user and scanner in the description, artist, host computer and
 * date tags, and a label image with the patient's name and number burned in. OpenSlide reads it as Aperio.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const SLIDE_IDENTIFIERS = ["ZHANGSAN-0012345", "zhangsan", "SS1234", "12/01/26", "09:14:03", "Zhang San", "WARD7-PC", "2026:12:01"];

const magickTiff = (out: string, ...args: string[]) => execFileSync("convert", [...args, out]);
/** ImageMagick arguments for a photographed slide label: the patient's name and number in black on `background`. */
const burnedLabel = (size: string, { text = "ZHANG SAN 0012345", background = "white" } = {}) =>
  `-size ${size} xc:${background} -fill black -pointsize 20 -annotate +10+60`.split(" ").concat(text, "-type", "TrueColor");

export function syntheticAperioSlide(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tb-svs-"));
  const file = (name: string) => path.join(dir, name);
  const description = (second: string, keys = "") => `Aperio Image Library v12.0.15\n${second}${keys}`;
  const keys = "|AppMag = 20|MPP = 0.4990|Filename = ZHANGSAN-0012345|Date = 12/01/26|Time = 09:14:03|User = zhangsan|ScanScope ID = SS1234";
  const magick = (...args: string[]) => execFileSync("convert", args);
  magick(
    "-size",
    "1024x768",
    "plasma:pink-purple",
    "-set",
    "comment",
    description("1024x768 [0,0 1024x768] (256x256) JPEG/RGB Q=70", keys),
    "-define",
    "tiff:tile-geometry=256x256",
    "-compress",
    "jpeg",
    file("level0.tif"),
  );
  magick(
    "-size",
    "128x96",
    "plasma:pink-purple",
    "-type",
    "TrueColor",
    "-set",
    "comment",
    description("1024x768 -> 128x96 - ", keys),
    "-compress",
    "jpeg",
    file("thumbnail.tif"),
  );
  magick(...burnedLabel("240x100"), "-set", "comment", description("label 240x100"), "-compress", "lzw", file("label.tif"));
  magick(
    ...burnedLabel("300x120", { text: "ZHANG SAN", background: "gray" }),
    "-set",
    "comment",
    description("macro 300x120"),
    "-compress",
    "jpeg",
    file("macro.tif"),
  );
  const slide = file("CASE.svs");
  execFileSync("tiffcp", [file("level0.tif"), slide]);
  execFileSync("tiffcp", ["-a", "-s", "-r", "32", file("thumbnail.tif"), file("label.tif"), file("macro.tif"), slide]);
  for (const [tag, value] of [
    ["315", "Zhang San"],
    ["316", "WARD7-PC"],
    ["306", "2026:12:01 09:14:03"],
  ])
    execFileSync("tiffset", ["-s", tag, value, slide]);
  return slide;
}

/**
 * A Leica SCN (BigTIFF) as OpenSlide reads it: a main image of two levels and the macro image, described by the SCN XML
 * in the first directory. The XML names the patient in the collection's name and barcode, the device's version and the
 * dates; the macro image (directory 2) shows the burned-in name.
 */
export function syntheticLeicaSlide(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tb-scn-"));
  const file = (name: string) => path.join(dir, name);
  const tiled = ["-define", "tiff:tile-geometry=256x256"];
  magickTiff(file("l0.tif"), "-size", "1024x768", "plasma:pink-purple", "-units", "PixelsPerCentimeter", "-density", "20000", ...tiled, "-compress", "jpeg");
  magickTiff(file("l1.tif"), "-size", "512x384", "plasma:pink-purple", "-units", "PixelsPerCentimeter", "-density", "10000", ...tiled, "-compress", "jpeg");
  magickTiff(file("macro.tif"), ...burnedLabel("400x150"), ...tiled, "-compress", "lzw");
  const slide = file("CASE.scn");
  execFileSync("tiffcp", ["-8", file("l0.tif"), file("l1.tif"), file("macro.tif"), slide]);
  const settings = (objective: string) =>
    `<scanSettings><objectiveSettings><objective>${objective}</objective></objectiveSettings><illuminationSettings><numericalAperture>0.4</numericalAperture><illuminationSource>brightfield</illuminationSource></illuminationSettings></scanSettings>`;
  const image = (pixels: string, view: string, objective: string) =>
    `<image name="ZHANG SAN" uuid="zhangsan-1"><creationDate>2026-12-01T09:14:03.00Z</creationDate><device model="Leica SCN400;Leica SCN" version="1.5.1 WARD7-PC"/><pixels ${pixels}</pixels><view ${view} spacingZ="0"/>${settings(objective)}</image>`;
  const xml = [
    '<?xml version="1.0"?><scn xmlns="http://www.leica-microsystems.com/scn/2010/10/01">',
    '<collection name="ZHANGSAN-0012345" uuid="zhangsan" sizeX="20000000" sizeY="7500000"><barcode>WkhBTkdTQU4tMDAxMjM0NQ==</barcode>',
    image(
      'sizeX="1024" sizeY="768"><dimension sizeX="1024" sizeY="768" r="0" ifd="0"/><dimension sizeX="512" sizeY="384" r="1" ifd="1"/>',
      'sizeX="512000" sizeY="384000" offsetX="1000000" offsetY="1000000"',
      "20",
    ),
    image('sizeX="400" sizeY="150"><dimension sizeX="400" sizeY="150" r="0" ifd="2"/>', 'sizeX="20000000" sizeY="7500000" offsetX="0" offsetY="0"', "0.3"),
    "</collection></scn>",
  ].join("");
  execFileSync("tiffset", ["-d", "0", "-s", "270", xml, slide]);
  return slide;
}

/**
 * A generic tiled TIFF (OpenSlide's generic-tiff): a tiled level 0, a tiled level 1 marked as reduced resolution, and a
 * third page, not part of the pyramid, with the label photographed on it and no description to say so.
 */
export function syntheticGenericSlide(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tb-tif-"));
  const file = (name: string) => path.join(dir, name);
  const tiled = ["-define", "tiff:tile-geometry=256x256", "-compress", "jpeg"];
  magickTiff(file("l0.tif"), "-size", "1024x768", "plasma:pink-purple", ...tiled);
  magickTiff(file("l1.tif"), "-size", "512x384", "plasma:pink-purple", ...tiled);
  magickTiff(file("label.tif"), ...burnedLabel("240x100"), "-compress", "lzw");
  const slide = file("CASE.tif");
  execFileSync("tiffcp", [file("l0.tif"), file("l1.tif"), file("label.tif"), slide]);
  execFileSync("tiffset", ["-d", "1", "-s", "254", "1", slide]);
  return slide;
}
