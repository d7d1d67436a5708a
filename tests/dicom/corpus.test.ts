/**
 * De-identification checked with tools we did not write: dcmtk's dcmdump must
 * read every stored result and show none of the manifest's identifying values;
 * dicom3tools' dciodvfy must report no error the original did not have.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prepareInstance } from "~/features/imaging/dicom/prepare-instance";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { parsePart10, stringValue, tagOf, writePart10, type Dataset } from "~/features/imaging/dicom/part10";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const ctx = { caseCode: "TB-2026-0042", uidSecret: "case-secret-42", dateShiftDays: -137 };
const out = mkdtempSync(path.join(os.tmpdir(), "tb-deid-"));

type Row = { file: string; phi: string[]; note: string };
const manifest: Row[] = readFileSync(path.join(CORPUS, "MANIFEST.tsv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split("\t"))
  .map((c) => ({ file: c[0], phi: (c[11] ?? "").split("; ").filter(Boolean), note: c[12] ?? "" }));
const dicomFiles = manifest.filter((r) => r.file.endsWith(".dcm"));
const valid = dicomFiles.filter((r) => !r.file.startsWith("malformed/"));

const EXPECTED_REJECTIONS: Record<string, string> = {
  "malformed/mr-truncated-pixeldata.dcm": "truncated",
  "malformed/rtplan-truncated.dcm": "truncated",
  "malformed/meta-missing-transfer-syntax.dcm": "noTransferSyntax",
  "malformed/no-preamble-no-meta.dcm": "notDicom",
  "malformed/bad-vr-numberofframes-1A.dcm": "badNumberOfFrames",
  "malformed/no-rows.dcm": "missingRows",
  "malformed/j2k-embedded-seq-delimiter.dcm": "brokenCodestream",
};

const OWN_TAG: Record<string, number> = {
  PatientName: tagOf(0x0010, 0x0010),
  PatientID: tagOf(0x0010, 0x0020),
  BirthDate: tagOf(0x0010, 0x0030),
  Sex: tagOf(0x0010, 0x0040),
  Accession: tagOf(0x0008, 0x0050),
  StudyDate: tagOf(0x0008, 0x0020),
  Institution: tagOf(0x0008, 0x0080),
  ReferringPhys: tagOf(0x0008, 0x0090),
};

function prepared(file: string) {
  const result = prepareInstance(readFileSync(path.join(CORPUS, file)), ctx);
  if (!result.ok) throw new Error(`${file} rejected: ${result.reason} ${result.detail}`);
  return result;
}

function dumpValues(file: string): string[] {
  const dump = execFileSync("dcmdump", ["-q", "-M", file], { encoding: "latin1" });
  return dump
    .split("\n")
    .map((line) => /\[(.*)\]/.exec(line)?.[1] ?? "")
    .filter(Boolean);
}

function dciodvfyErrors(file: string): Set<string> {
  const run = spawnSync("dciodvfy", ["-new", file], { encoding: "latin1" });
  return new Set(
    `${run.stdout}\n${run.stderr}`
      .split("\n")
      .filter((l) => l.startsWith("Error"))
      // values differ after de-identification; compare what is wrong, not the value
      .map((l) =>
        l
          .replace(/<[^>]*>/g, "<>")
          .replace(/"[^"]*"/g, '""')
          .replace(/\d+/g, "#"),
      ),
  );
}

describe("DICOM corpus ingest", () => {
  it("accepts every valid corpus file and rejects every malformed one with its reason", () => {
    expect(valid.length).toBeGreaterThan(30);
    for (const row of valid) expect(prepareInstance(readFileSync(path.join(CORPUS, row.file)), ctx), row.file).toMatchObject({ ok: true });
    for (const [file, reason] of Object.entries(EXPECTED_REJECTIONS)) {
      expect(prepareInstance(readFileSync(path.join(CORPUS, file)), ctx), file).toMatchObject({ ok: false, reason });
    }
    for (const file of ["pathology/openslide-small.svs", "pathology/openslide-unreadable.svs", "deid/dwv-test-anonymise.json"]) {
      expect(prepareInstance(readFileSync(path.join(CORPUS, file)), ctx), file).toMatchObject({ ok: false, reason: "notDicom" });
    }
  });

  it("leaves none of the identifying values in what dcmdump reads back", () => {
    for (const row of valid) {
      const target = path.join(out, row.file.replace(/\//g, "_"));
      writeFileSync(target, prepared(row.file).bytes);
      const values = dumpValues(target);
      const stored = parsePart10(prepared(row.file).bytes, dictionaryVr).dataset;
      for (const entry of row.phi) {
        const [name, value] = entry.split("=");
        if (!value || name === "PatientIdentityRemoved" || /^\^*$/.test(value)) continue;
        // The attribute itself no longer holds the value...
        if (OWN_TAG[name]) expect(stringValue(stored, OWN_TAG[name]) ?? "", `${row.file}: ${name}`).not.toBe(value);
        // ...and no other element repeats it (whole values for short ones, anywhere for longer ones).
        if (value.length < 3) continue;
        const leaked = value.length >= 6 ? values.some((v) => v.includes(value)) : values.includes(value);
        expect(leaked, `${row.file}: ${name}=${value}`).toBe(false);
      }
      expect(values, row.file).toContain("TB-2026-0042");
      expect(values, row.file).toContain("YES");
    }
  });

  it("remaps UIDs consistently across a series, including references inside sequences", () => {
    const slices = ["ct-series/ct-3slice-01.dcm", "ct-series/ct-3slice-02.dcm", "ct-series/ct-3slice-03.dcm"].map(prepared);
    const originals = ["ct-series/ct-3slice-01.dcm", "ct-series/ct-3slice-02.dcm", "ct-series/ct-3slice-03.dcm"].map(
      (f) => parsePart10(readFileSync(path.join(CORPUS, f)), dictionaryVr).dataset,
    );
    const study = new Set(slices.map((s) => s.index.studyInstanceUid));
    const series = new Set(slices.map((s) => s.index.seriesInstanceUid));
    expect(study.size).toBe(1);
    expect(series.size).toBe(1);
    expect(new Set(slices.map((s) => s.index.sopInstanceUid)).size).toBe(3);
    expect([...study][0]).not.toBe(stringValue(originals[0], tagOf(0x0020, 0x000d)));
    expect([...study][0]).toMatch(/^2\.25\.\d+$/);

    // The segmentation points at the CT slices: its references must point at their new UIDs.
    const seg = prepared("ct-series/liver-seg.dcm");
    expect(seg.index.studyInstanceUid).toBe([...study][0]);
    const segFile = path.join(out, "seg.dcm");
    writeFileSync(segFile, seg.bytes);
    const referenced = execFileSync("dcmdump", ["-q", "+P", "0008,1155", segFile], { encoding: "latin1" })
      .split("\n")
      .map((l) => /\[(.*)\]/.exec(l)?.[1])
      .filter((v): v is string => Boolean(v));
    expect(referenced.length).toBeGreaterThan(0);
    const sliceUids = new Set(slices.map((s) => s.index.sopInstanceUid));
    expect(referenced.every((uid) => sliceUids.has(uid))).toBe(true);
  });

  it("shifts every date by the same offset, keeping intervals", () => {
    const original = parsePart10(readFileSync(path.join(CORPUS, "ct-series/ct-3slice-01.dcm")), dictionaryVr).dataset;
    const result = parsePart10(prepared("ct-series/ct-3slice-01.dcm").bytes, dictionaryVr).dataset;
    const day = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8)) / 86_400_000;
    for (const tag of [tagOf(0x0008, 0x0020), tagOf(0x0008, 0x0012)]) {
      const before = stringValue(original, tag)!;
      const after = stringValue(result, tag)!;
      expect(day(after) - day(before)).toBe(-137);
    }
  });

  it("introduces no DICOM conformance error the original did not have (dciodvfy)", () => {
    for (const row of valid) {
      const source = path.join(CORPUS, row.file);
      const target = path.join(out, `v-${row.file.replace(/\//g, "_")}`);
      writeFileSync(target, prepared(row.file).bytes);
      const before = dciodvfyErrors(source);
      const added = [...dciodvfyErrors(target)].filter((e) => !before.has(e));
      expect(added, row.file).toEqual([]);
    }
  });

  it("is deterministic within a case and different across cases", () => {
    const a = prepared("syntax/ct1-explicit-le.dcm");
    const b = prepared("syntax/ct1-explicit-le.dcm");
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const other = prepareInstance(readFileSync(path.join(CORPUS, "syntax/ct1-explicit-le.dcm")), { ...ctx, uidSecret: "another-case" });
    expect(other.ok && other.index.studyInstanceUid).not.toBe(a.index.studyInstanceUid);
  });

  it("refuses hostile structure before allocating: deep nesting and absurd dimensions", () => {
    const base = parsePart10(readFileSync(path.join(CORPUS, "syntax/ct1-explicit-le.dcm")), dictionaryVr);
    let nested: Dataset = [{ tag: tagOf(0x0008, 0x0100), vr: "SH", value: new Uint8Array(Buffer.from("X ")) }];
    for (let depth = 0; depth < 40; depth++) nested = [{ tag: tagOf(0x0008, 0x1115), vr: "SQ", value: null, items: [nested] }];
    const deep = writePart10({ ...base, dataset: [...base.dataset, ...nested] });
    expect(prepareInstance(deep, ctx)).toMatchObject({ ok: false, reason: "tooDeep" });

    const u16 = (n: number) => new Uint8Array(new Uint16Array([n]).buffer);
    const huge = base.dataset.map((e) => (e.tag === tagOf(0x0028, 0x0010) || e.tag === tagOf(0x0028, 0x0011) ? { ...e, value: u16(65_535) } : e));
    huge.push({ tag: tagOf(0x0028, 0x0008), vr: "IS", value: new Uint8Array(Buffer.from("9999")) });
    expect(prepareInstance(writePart10({ ...base, dataset: huge }), ctx)).toMatchObject({ ok: false, reason: "dimensionsTooLarge" });
  });
});

describe("worker threads", () => {
  it("de-identify off the main thread with the same result as in-process", async () => {
    const { prepareInWorker, stopDicomWorkers } = await import("~/features/imaging/dicom-workers.server");
    try {
      for (const file of ["ct-series/ct-3slice-01.dcm", "multiframe/enhanced-ct-2f-rle.dcm", "malformed/no-rows.dcm"]) {
        const input = readFileSync(path.join(CORPUS, file));
        const inProcess = prepareInstance(input, ctx);
        const inWorker = await prepareInWorker(input, ctx);
        expect(inWorker.ok, file).toBe(inProcess.ok);
        if (inWorker.ok && inProcess.ok) expect(Buffer.from(inWorker.bytes).equals(Buffer.from(inProcess.bytes)), file).toBe(true);
        else expect(inWorker).toEqual(inProcess);
      }
    } finally {
      await stopDicomWorkers();
    }
  });
});
