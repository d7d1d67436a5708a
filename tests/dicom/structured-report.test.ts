/**
 * DICOM SR read and written by our modules, checked with tools we did not write: the measurement groups our reader finds in the
 * corpus's TID 1500 report (as a case stores it, de-identified) are those dcmtk's dsrdump prints, value for value; and the
 * reports and key object selections we write are read back by dsrdump and pass dicom3tools' dciodvfy without errors.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { prepareInstance } from "~/features/imaging/dicom/prepare-instance";
import { parsePart10, stringValue, tagOf, writePart10 } from "~/features/imaging/dicom/part10";
import { isMeasurementReportClass, readMeasurementReport, SR_SOP_CLASSES } from "~/features/imaging/dicom/structured-report";
import { keyObjectDocument, measurementReportDocument } from "~/features/imaging/dicom/structured-report-writer";
import { reportMeasurements } from "~/features/imaging/viewer/sr-measurements";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const ctx = { caseCode: "TB-2026-0007", uidSecret: "sr-case-secret", dateShiftDays: -40 };
const out = mkdtempSync(path.join(os.tmpdir(), "tb-sr-"));

function stored(file: string): Uint8Array {
  const prepared = prepareInstance(readFileSync(path.join(CORPUS, file)), ctx);
  if (!prepared.ok) throw new Error(`${file}: ${prepared.reason}`);
  return prepared.bytes;
}
function onDisk(name: string, bytes: Uint8Array) {
  const file = path.join(out, name);
  writeFileSync(file, bytes);
  return file;
}
const dsrdump = (file: string) => execFileSync("dsrdump", ["+Pu", file], { encoding: "utf8" });
function dciodvfyErrors(file: string) {
  const run = spawnSync("dciodvfy", [file], { encoding: "utf8" });
  const lines = `${run.stdout}${run.stderr}`.split("\n");
  return { errors: lines.filter((l) => l.startsWith("Error")), warnings: lines.filter((l) => l.startsWith("Warning")) };
}

type DumpGroup = {
  tracking: string | null;
  trackingUid: string | null;
  finding: string | null;
  site: string | null;
  nums: { name: string; value: number; unit: string; modifiers: string[] }[];
};
/** The measurement groups as dsrdump prints them: each group's lines, indented under its CONTAINER line. */
function groupsInDump(dump: string): DumpGroup[] {
  const groups: DumpGroup[] = [];
  let depth = -1;
  let numDepth = -1;
  for (const line of dump.split("\n")) {
    const indent = line.length - line.trimStart().length;
    if (/CONTAINER:\(,,"Measurement Group"\)/.test(line)) {
      groups.push({ tracking: null, trackingUid: null, finding: null, site: null, nums: [] });
      depth = indent;
      continue;
    }
    const group = groups[groups.length - 1];
    if (!group || indent <= depth) {
      depth = -1;
      continue;
    }
    const text = (concept: string) => new RegExp(`:\\(,,"${concept}"\\)="([^"]*)"`).exec(line)?.[1] ?? null;
    const code = (concept: string) => new RegExp(`:\\(,,"${concept}"\\)=\\([^,]*,[^,]*,"([^"]*)"\\)`).exec(line)?.[1] ?? null;
    const num = /NUM:\(,,"([^"]*)"\)="([^"]*)" \(([^,]*),UCUM/.exec(line);
    if (num) {
      group.nums.push({ name: num[1], value: Number(num[2]), unit: num[3], modifiers: [] });
      numDepth = indent;
    } else if (indent > numDepth && numDepth >= 0 && /has concept mod CODE/.test(line)) {
      group.nums[group.nums.length - 1].modifiers.push(/=\([^,]*,[^,]*,"([^"]*)"\)/.exec(line)![1]);
      continue;
    }
    if (!num) numDepth = -1;
    group.tracking ??= text("Tracking Identifier");
    group.trackingUid ??= text("Tracking Unique Identifier");
    group.finding ??= code("Finding");
    group.site ??= code("Finding Site");
  }
  return groups;
}

describe("DICOM SR", () => {
  it("reads the corpus's TID 1500 report, as a case stores it, as dsrdump does: tracking, finding, site, every value with its unit", () => {
    const bytes = stored("derived/tid1500-sr.dcm");
    const dumped = groupsInDump(dsrdump(onDisk("corpus-sr.dcm", bytes)));
    const report = readMeasurementReport(parsePart10(bytes, dictionaryVr));
    expect(dumped.length).toBeGreaterThan(0);
    expect(dumped[0].nums.length).toBeGreaterThan(10);
    expect(
      report.groups.map((g) => ({
        tracking: g.trackingIdentifier,
        trackingUid: g.trackingUid,
        finding: g.finding?.meaning ?? null,
        site: g.findingSite?.meaning ?? null,
        nums: g.measurements.map((m) => ({ name: m.concept.meaning, value: m.value, unit: m.unit.value, modifiers: m.modifiers.map((c) => c.meaning) })),
      })),
    ).toEqual(dumped);
    // De-identification keeps the measurements and removes the observer's name.
    expect(groupsInDump(dsrdump(path.join(CORPUS, "derived/tid1500-sr.dcm"))).map((g) => g.nums)).toEqual(dumped.map((g) => g.nums));
    expect(report.observer).toBe("REMOVED");
    // De-identified in the uploader's browser, the same file passes the server's check.
    expect(prepareInstance(bytes, ctx, "check")).toMatchObject({ ok: true, index: { modality: "SR", sopClassUid: "1.2.840.10008.5.1.4.1.1.88.33" } });
  });

  it("accepts Enhanced and Comprehensive 3D SR like Comprehensive SR, de-identified, with the same measurements", () => {
    const expected = readMeasurementReport(parsePart10(stored("derived/tid1500-sr.dcm"), dictionaryVr)).groups;
    for (const sopClassUid of [SR_SOP_CLASSES.enhanced, SR_SOP_CLASSES.comprehensive3d]) {
      const copy = onDisk(`sr-${sopClassUid}.dcm`, readFileSync(path.join(CORPUS, "derived/tid1500-sr.dcm")));
      execFileSync("dcmodify", ["-nb", "-m", `(0008,0016)=${sopClassUid}`, copy]);
      const prepared = prepareInstance(readFileSync(copy), ctx);
      expect(prepared).toMatchObject({ ok: true, index: { sopClassUid } });
      if (!prepared.ok) continue;
      expect(isMeasurementReportClass(prepared.index.sopClassUid)).toBe(true);
      expect(readMeasurementReport(parsePart10(prepared.bytes, dictionaryVr)).groups).toEqual(expected);
    }
  });

  it("writes the viewer's measurements as a TID 1500 report dsrdump reads and dciodvfy passes, lengths and areas from the image's pixel spacing", () => {
    const ct = stored("ct-series/ct-3slice-01.dcm");
    const source = parsePart10(ct, dictionaryVr).dataset;
    const spacingText = /\(0028,0030\) DS \[([^\]]+)\]/.exec(execFileSync("dcmdump", [onDisk("ct.dcm", ct)], { encoding: "utf8" }))![1];
    const [rowSpacing, columnSpacing] = spacingText.split("\\").map(Number);
    const image = {
      sopClassUid: stringValue(source, tagOf(0x0008, 0x0016))!,
      sopInstanceUid: stringValue(source, tagOf(0x0008, 0x0018))!,
      seriesInstanceUid: stringValue(source, tagOf(0x0020, 0x000e))!,
      frames: 1,
      frame: 0,
      spacing: [rowSpacing, columnSpacing] as const,
    };
    let uid = 0;
    const measurements = reportMeasurements(
      [
        { kind: "length", slice: 0, start: { x: 100, y: 120 }, end: { x: 130, y: 160 } },
        { kind: "ellipse", slice: 0, start: { x: 200, y: 200 }, end: { x: 240, y: 220 } },
        { kind: "angle", slice: 0, a: { x: 10, y: 10 }, vertex: { x: 10, y: 50 }, c: { x: 50, y: 50 } },
      ],
      () => image,
      () => `2.25.${++uid}`,
    );
    const ids = { sopInstanceUid: "2.25.1001", seriesInstanceUid: "2.25.1002", seriesNumber: 901, now: new Date("2026-12-04T08:00:00Z") };
    const file = onDisk("report.dcm", writePart10(measurementReportDocument(source, ids, "Dr. 李 Wei", measurements)));
    const dump = dsrdump(file);
    expect(dump).toContain('PNAME:(,,"Person Observer Name")="Dr. 李 Wei"');
    expect(dump).toContain(`Patient             : ${ctx.caseCode}`);
    const groups = groupsInDump(dump);
    expect(groups.map((g) => g.tracking)).toEqual(["Length 1", "Ellipse 1", "Angle 1"]);
    expect(groups.map((g) => g.nums[0].unit)).toEqual(["mm", "mm2", "deg"]);
    expect(groups[0].nums[0].value).toBeCloseTo(Math.hypot(30 * columnSpacing, 40 * rowSpacing), 4);
    expect(groups[1].nums[0].value).toBeCloseTo(Math.PI * 20 * 10 * rowSpacing * columnSpacing, 3);
    // The arms run along a column and along a row: a right angle whatever the spacing.
    expect(groups[2].nums[0].value).toBeCloseTo(90, 4);
    expect(dump).toMatch(/inferred from SCOORD:=\(POLYLINE,100\/120,/);
    expect(dump).toMatch(/inferred from SCOORD:=\(ELLIPSE,200\/210,/);
    const { errors, warnings } = dciodvfyErrors(file);
    expect(errors).toEqual([]);
    console.log(`dciodvfy warnings on the measurement report:\n${warnings.join("\n")}`);
    // Our reader gives back what it wrote: the image, the graphic and the values.
    const read = readMeasurementReport(parsePart10(readFileSync(file), dictionaryVr));
    expect(read.groups[0].measurements[0].graphic).toMatchObject({
      type: "POLYLINE",
      points: [
        [100, 120],
        [130, 160],
      ],
      image: { sopInstanceUid: image.sopInstanceUid, frame: null },
    });
    expect(read.groups.map((g) => g.measurements[0].value)).toEqual(groups.map((g) => g.nums[0].value));
  });

  it("writes a study's key images as a Key Object Selection dsrdump reads and dciodvfy passes", () => {
    const sources = ["ct-series/ct-3slice-01.dcm", "ct-series/ct-3slice-02.dcm"].map((f) => parsePart10(stored(f), dictionaryVr).dataset);
    const images = sources.map((ds, i) => ({
      sopClassUid: stringValue(ds, tagOf(0x0008, 0x0016))!,
      sopInstanceUid: stringValue(ds, tagOf(0x0008, 0x0018))!,
      seriesInstanceUid: stringValue(ds, tagOf(0x0020, 0x000e))!,
      frame: null,
      note: ["Spiculated nodule", "右肺上叶结节"][i],
    }));
    const ids = { sopInstanceUid: "2.25.2001", seriesInstanceUid: "2.25.2002", seriesNumber: 900, now: new Date("2026-12-04T08:00:00Z") };
    const file = onDisk("kos.dcm", writePart10(keyObjectDocument(sources[0], ids, images)));
    const dump = dsrdump(file);
    expect(dump).toContain("Key Object Selection Document");
    expect(dump).toContain('<CONTAINER:(,,"Of Interest")=SEPARATE>');
    expect(dump).toContain('TEXT:(,,"Key Object Description")="Spiculated nodule\\n右肺上...">');
    for (const image of images) expect(dump).toContain(`<contains IMAGE:=(CT image,"${image.sopInstanceUid}")>`);
    const { errors, warnings } = dciodvfyErrors(file);
    expect(errors).toEqual([]);
    console.log(`dciodvfy warnings on the key object selection:\n${warnings.join("\n")}`);
  });
});
