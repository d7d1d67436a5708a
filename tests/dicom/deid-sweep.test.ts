/**
 * The sweep, in process: the file every server path prepares (prepareInstance) is checked by dcmdump against PS3.15 Table
 * E.1-1; the HTTP and DICOM network paths run the same sweep in tests/integration/deid-sweep.test.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prepareInstance } from "~/features/imaging/dicom/prepare-instance";
import { buildSweepFile, CORPUS, describeSurvivors, sweepSurvivors } from "../support/deid-sweep";

const ctx = { caseCode: "TB-2026-0099", uidSecret: "sweep-secret", institutionUidSecret: "institution-secret", dateShiftDays: -123 };

describe("the de-identification sweep", () => {
  it("leaves no attribute of PS3.15 Table E.1-1 holding what the table forbids, nor any name, identifier or original UID anywhere", () => {
    const { file, written, skipped } = buildSweepFile();
    expect(written.length).toBeGreaterThan(500);
    const prepared = prepareInstance(readFileSync(file), ctx);
    if (!prepared.ok) throw new Error(`${prepared.reason}: ${prepared.detail}`);
    const stored = path.join(path.dirname(file), "stored.dcm");
    writeFileSync(stored, prepared.bytes);
    const { checked, survivors } = sweepSurvivors(stored, written);
    console.log(`sweep in process: ${written.length} attributes written (${skipped.length} skipped), ${checked} checked, ${survivors.length} survivors`);
    expect(describeSurvivors(survivors)).toBe("");
  });

  it.each(["pathology/sm-wsi-tiled-synthetic.dcm", "pathology/openslide-boxes_0.dcm"])("leaves no survivor in a DICOM whole-slide image (%s)", (base) => {
    const { file, written } = buildSweepFile(path.join(CORPUS, base));
    const prepared = prepareInstance(readFileSync(file), ctx);
    if (!prepared.ok) throw new Error(`${prepared.reason}: ${prepared.detail}`);
    const stored = path.join(path.dirname(file), "stored.dcm");
    writeFileSync(stored, prepared.bytes);
    const { checked, survivors } = sweepSurvivors(stored, written);
    console.log(`sweep of ${base}: ${checked} attributes checked, ${survivors.length} survivors`);
    expect(describeSurvivors(survivors)).toBe("");
  });
});
