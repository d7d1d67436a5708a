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
  magick(
    "-size",
    "240x100",
    "xc:white",
    "-fill",
    "black",
    "-pointsize",
    "20",
    "-annotate",
    "+10+55",
    "ZHANG SAN 0012345",
    "-type",
    "TrueColor",
    "-set",
    "comment",
    description("label 240x100"),
    "-compress",
    "lzw",
    file("label.tif"),
  );
  magick(
    "-size",
    "300x120",
    "xc:gray",
    "-fill",
    "black",
    "-pointsize",
    "20",
    "-annotate",
    "+10+60",
    "ZHANG SAN",
    "-type",
    "TrueColor",
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
