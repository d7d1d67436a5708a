/**
 * The de-identification sweep over a DICOM whole-slide image (PS3.15 Table E.1-1 sentinels written into a corpus SM file by
 * dcmodify) through the slide upload path. The case page de-identifies the header with the profile before the file leaves
 * the browser (checked here with dcmdump, as for every ingest path); the server then keeps only the pixels of the volume
 * image (a Deep Zoom pyramid of JPEG tiles) and deletes the upload, so the test also shows that nothing of the header is
 * stored: no stored file is DICOM, and no descriptor, JPEG metadata segment or slide row holds a sentinel, name, ID or UID.
 * Label and overview images, whose pixels can show the patient's name, are refused.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { pyramidDir } from "~/features/imaging/slides/slides.server";
import { getDb } from "~/platform/db.server";
import { storageRoot } from "~/platform/storage.server";
import * as newCase from "~/routes/cases.new";
import { buildSweepFile, checkStoredSweep, CORPUS, forbiddenIn, SENTINEL_UID_ROOT, SWEEP_PATIENT, type Written } from "../support/deid-sweep";
import { uploadContext } from "../support/browser-upload";
import { post, run, signIn } from "../support/remix";
import { cleanedSlide, settledSlide, uploadSlide } from "../support/slides";
import { FIRST_ENTRY } from "../support/case-packet";

let sweep: { file: string; written: Written[]; skipped: string[] };

beforeAll(() => {
  sweep = buildSweepFile(path.join(CORPUS, "pathology", "sm-wsi-tiled-synthetic.dcm"));
});

async function draft(cookie: string) {
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, cookie) });
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
}

const upload = (caseId: string, cookie: string, file: string) => uploadSlide(caseId, cookie, file, "slide.dcm");
const settled = settledSlide;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** The metadata segments of a JPEG (APPn and comments, before the scan), where an encoder could have copied text. */
function jpegMetadata(bytes: Buffer): string {
  expect(bytes.readUInt16BE(0)).toBe(0xffd8);
  const segments: string[] = [];
  for (let at = 2; at + 4 <= bytes.length && bytes[at] === 0xff;) {
    const marker = bytes[at + 1];
    if (marker === 0xda) break;
    const length = bytes.readUInt16BE(at + 2);
    if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe) segments.push(bytes.subarray(at + 4, at + 2 + length).toString("latin1"));
    at += 2 + length;
  }
  return segments.join("\n");
}

/** What identifies in a text: the sweep's names, IDs, dates and accession, its sentinels and its UIDs. */
const identifying = (text: string) => [
  ...forbiddenIn(text),
  ...(/SENTINEL/i.test(text) ? ["SENTINEL"] : []),
  ...(text.includes(SENTINEL_UID_ROOT) ? ["UID"] : []),
];

describe("the de-identification sweep over a DICOM whole-slide image", () => {
  it("stores only the pixels of the slide: no DICOM file, and no sentinel, name, ID or UID in any stored file or in the slide's row", async () => {
    const header = execFileSync("dcmdump", ["-q", "+L", sweep.file], { encoding: "latin1" });
    expect(sweep.written.length).toBeGreaterThan(500);
    expect(header).toContain(SWEEP_PATIENT.id);

    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const uploaded = await upload(caseId, physician, sweep.file);
    expect(uploaded.data).toMatchObject({ error: null });
    const slide = await settled(uploaded.data.slideId);
    expect(slide).toMatchObject({ status: "READY", width: 50, height: 50 });

    const stored = await filesUnder(pyramidDir(slide.id));
    const found: string[] = [];
    for (const file of stored) {
      const bytes = readFileSync(file);
      const name = path.relative(pyramidDir(slide.id), file);
      if (spawnSync("dcmdump", ["-q", file]).status === 0) found.push(`${name}: a DICOM file`);
      const text = file.endsWith(".jpeg") ? jpegMetadata(bytes) : bytes.toString("latin1");
      for (const what of identifying(text)) found.push(`${name}: ${what}`);
    }
    for (const what of identifying(JSON.stringify(slide))) found.push(`slide row: ${what}`);
    const tmp = await readdir(path.join(storageRoot(), "tmp")).catch(() => []);
    for (const left of tmp.filter((f) => f.startsWith("slide-"))) found.push(`upload left in tmp: ${left}`);
    console.log(
      `sweep DICOM slide: ${sweep.written.length} attributes written (${sweep.skipped.length} skipped), ${stored.length} stored files checked, ${found.length} survivors`,
    );
    expect(stored.some((f) => f.endsWith("slide.dzi"))).toBe(true);
    expect(stored.filter((f) => f.endsWith(".jpeg")).length).toBeGreaterThan(0);
    expect(found.join("\n")).toBe("");
  });

  it("sends from the browser only a header de-identified by the table: dcmdump finds no survivor in what leaves", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    const sent = await cleanedSlide(new Uint8Array(readFileSync(sweep.file)), await uploadContext(caseId, physician));
    const file = sweep.file.replace(/\.dcm$/, "-sent.dcm");
    writeFileSync(file, sent);
    expect(checkStoredSweep("DICOM slide as sent by the case page", file, sweep.written)).toBe("");
  });

  it("refuses label and overview images of the sweep slide and stores nothing of them", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await draft(physician);
    for (const imageType of ["ORIGINAL\\PRIMARY\\LABEL\\NONE", "ORIGINAL\\PRIMARY\\OVERVIEW\\NONE"]) {
      const file = sweep.file.replace(/\.dcm$/, `-${imageType.split("\\")[2].toLowerCase()}.dcm`);
      copyFileSync(sweep.file, file);
      execFileSync("dcmodify", ["-nb", "-m", `(0008,0008)=${imageType}`, file]);
      const refused = await upload(caseId, physician, file);
      expect(refused.status, imageType).toBe(415);
      expect(refused.data.error).toBe("imaging:slides.errors.dicomLabel");
    }
    expect(await getDb().slide.count({ where: { caseId } })).toBe(0);
  });
});
