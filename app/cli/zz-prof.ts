import { readFileSync } from "node:fs";
import { deidentifyFile } from "~/features/imaging/dicom/deidentify-file";
const f = new Uint8Array(readFileSync("../shared/corpus/ct-series/ct-3slice-01.dcm"));
const ctx = { caseCode: "TB-1", uidSecret: "s", institutionUidSecret: "i", dateShiftDays: -5 };
for (let r = 0; r < 3; r++) { const t = performance.now(); for (let i = 0; i < 40; i++) deidentifyFile(f, ctx); console.log("ms/file", (performance.now() - t) / 40); }
