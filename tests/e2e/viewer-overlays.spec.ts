import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, signIn, TEXT, test, startCase } from "./fixtures";
import { imageToPage, named, shownAtImagePixels } from "../support/viewer-pixels";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const CT = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) => path.join(CORPUS, "ct-series", f));
const SEG = path.join(CORPUS, "ct-series/liver-seg.dcm");
const en = TEXT.en;
const v = en.imaging.viewer;
const IMAGE = { width: 512, height: 512 };
/** 3D Slicer's colour for the liver, which the SEG recommends as CIELab (41661, 41167, 40792). */
const LIVER = [221, 130, 101];

const tag = (file: string, t: string) => /\[([^\]]*)\]/.exec(execFileSync("dcmdump", ["+P", t, file], { encoding: "utf8" }))![1];

/**
 * Each SEG frame's mask as dcmtk extracts the pixel data (dcmdump +W), bit-packed as PS3.5 8.1.1 packs single bits,
 * with the SOP Instance UID of the CT slice its functional group says it was derived from.
 */
function segFrames(): { sourceUid: string; mask: Uint8Array }[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tb-seg-"));
  execFileSync("dcmdump", ["-q", "+W", dir, SEG]);
  const bits = readFileSync(path.join(dir, `${path.basename(SEG)}.0.raw`));
  const sources = execFileSync("dcmdump", ["+p", "+P", "0008,1155", SEG], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.startsWith("(5200,9230)"))
    .map((line) => /\[([^\]]*)\]/.exec(line)![1]);
  const pixels = IMAGE.width * IMAGE.height;
  return sources.map((sourceUid, frame) => ({
    sourceUid,
    mask: Uint8Array.from({ length: pixels }, (_, i) => (bits[(frame * pixels + i) >> 3] >> ((frame * pixels + i) & 7)) & 1),
  }));
}

async function uploadAndOpen(page: Page, files: string[]) {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await signIn(page, "physician@demo.test", "en");
  await startCase(page, "en");
  await page.goto(page.url().replace(/\/edit$/, ""));
  await page.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles(files);
  await page.getByRole("link", { name: /^Series 2: CT .*3 images$/ }).click();
}

const z = (file: string) => Number(tag(file, "0020,0032").split("\\")[2]);
/** The CT files in the viewer's slice order: along the normal of the axial plane, up in z. */
const CT_BY_SLICE = [...CT].sort((a, b) => z(a) - z(b));

test("the liver SEG is a coloured overlay on its CT, pixel for pixel where dcmtk's mask is set, with a legend, switches and opacity", async ({ page }) => {
  await uploadAndOpen(page, [...CT, SEG]);

  // The SEG is no series of its own in the list: it is a badge on the CT it segments.
  const list = page.getByRole("region", { name: en.imaging.workspace.seriesList, exact: true });
  await expect(list.getByRole("button")).toHaveCount(1);
  await expect(list.getByRole("button")).toContainText(named(en.imaging.workspace.overlayBadge, { description: "Liver Segmentation" }));

  const legend = page.getByRole("region", { name: en.imaging.segmentation.title });
  await expect(legend.getByRole("group", { name: named(en.imaging.segmentation.series, { number: "1", description: "Liver Segmentation" }) })).toBeVisible();
  const liver = legend.getByRole("checkbox", { name: "Liver", exact: true });
  const all = legend.getByRole("checkbox", { name: en.imaging.segmentation.showAll });
  await expect(liver).toBeChecked();

  const frames = segFrames();
  const viewport = page.locator(".viewer-viewport");
  for (const slice of [1, 3]) {
    if (slice > 1) {
      await viewport.focus();
      await page.keyboard.press("End");
    }
    await expect(viewport).toHaveAttribute("data-overlay-drawn", `${slice} 1 0.5`);
    const sourceUid = tag(CT_BY_SLICE[slice - 1], "0008,0018");
    const { mask } = frames.find((f) => f.sourceUid === sourceUid)!;
    const overlaid = await shownAtImagePixels(viewport, IMAGE);
    await all.uncheck();
    await expect(viewport).toHaveAttribute("data-overlay-drawn", `${slice} 0 0.5`);
    const plain = await shownAtImagePixels(viewport, IMAGE);
    await all.check();
    await expect(liver).toBeChecked();

    // Where the mask is set: half the liver colour over the grey; elsewhere the image untouched.
    let covered = 0;
    let blendError = 0;
    let touched = 0;
    for (let i = 0; i < mask.length; i++) {
      covered += mask[i];
      for (let c = 0; c < 3; c++) {
        const [shown, under] = [overlaid[3 * i + c], plain[3 * i + c]];
        if (mask[i]) blendError += Math.abs(shown - (under + LIVER[c]) / 2);
        else if (shown !== under) touched++;
      }
    }
    expect(covered).toBeGreaterThan(1000);
    expect(blendError / (covered * 3)).toBeLessThan(3);
    expect(touched).toBe(0);

    // Fully opaque, the mask's pixels are the liver colour itself.
    await legend.getByLabel(en.imaging.segmentation.opacity).fill("100");
    await expect(viewport).toHaveAttribute("data-overlay-drawn", `${slice} 1 1`);
    const opaque = await shownAtImagePixels(viewport, IMAGE);
    let colourError = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) for (let c = 0; c < 3; c++) colourError += Math.abs(opaque[3 * i + c] - LIVER[c]);
    expect(colourError / (covered * 3)).toBeLessThan(3);
    await legend.getByLabel(en.imaging.segmentation.opacity).fill("50");
  }

  // The segment's own switch hides it too, and the switch for all follows.
  await liver.uncheck();
  await expect(viewport).toHaveAttribute("data-overlay-drawn", "3 0 0.5");
  await expect(all).not.toBeChecked();
});

test("reference lines: an axial CT and a sagittal series of the same frame of reference each show where the other's slice cuts them", async ({ page }) => {
  // A sagittal series made from copies of the CT: new UIDs, the same frame of reference, planes x = -50, 0 and 50 mm
  // whose rows run down from z = 0 and whose columns run along y from the CT's first row.
  const dir = mkdtempSync(path.join(os.tmpdir(), "tb-sagittal-"));
  const seriesUid = `2.25.${BigInt(`0x${Date.now().toString(16)}${process.pid.toString(16)}`)}`;
  const sagittal = CT.map((file, i) => {
    const copy = path.join(dir, `sagittal-${i}.dcm`);
    copyFileSync(file, copy);
    const x = -50 + 50 * i;
    execFileSync("dcmodify", [
      "-nb",
      "-gin",
      "-m",
      `(0020,000e)=${seriesUid}`,
      "-m",
      "(0020,0011)=7",
      "-m",
      "(0020,0037)=0\\1\\0\\0\\0\\-1",
      "-m",
      `(0020,0032)=${x}\\-226.8\\0`,
      copy,
    ]);
    return copy;
  });
  expect(tag(sagittal[0], "0020,0037")).toBe("0\\1\\0\\0\\0\\-1");
  await uploadAndOpen(page, [...CT, ...sagittal]);
  await page.getByRole("button", { name: en.imaging.workspace.layouts.sideBySide }).click();
  const [axialView, sagittalView] = [page.locator(".viewer-viewport").nth(0), page.locator(".viewer-viewport").nth(1)];
  await expect(sagittalView).toHaveAttribute("data-drawn", /^1 /);
  await expect(axialView).toHaveAttribute("data-reference-lines", "1");
  await expect(sagittalView).toHaveAttribute("data-reference-lines", "1");

  // The sagittal stack runs along its normal, row × column = (-1, 0, 0): its first slice is the plane x = 50 mm. On the
  // axial slice that plane is the column (50 - x0) / spacing, a vertical line.
  const [x0] = tag(CT[0], "0020,0032").split("\\").map(Number);
  const spacing = Number(tag(CT[0], "0028,0030").split("\\")[1]);
  const column = (50 - x0) / spacing + 0.5;
  const toPage = await imageToPage(axialView, IMAGE);
  const line = axialView.locator(".viewer-reference-line");
  const box = (await axialView.boundingBox())!;
  const [x1, x2] = await Promise.all([line.getAttribute("x1"), line.getAttribute("x2")]).then((xs) => xs.map((x) => box.x + Number(x)));
  expect(Math.abs(x1 - x2)).toBeLessThan(0.5);
  expect(Math.abs(x1 - toPage(column, 0).x)).toBeLessThan(2);

  // On the sagittal slice, the axial plane is a horizontal line; it rises as the axial slice moves up in z (rows run down in z).
  const sagittalLine = sagittalView.locator(".viewer-reference-line");
  const y1 = Number(await sagittalLine.getAttribute("y1"));
  expect(Math.abs(y1 - Number(await sagittalLine.getAttribute("y2")))).toBeLessThan(0.5);
  await page.getByLabel(v.linkScrolling).uncheck();
  await axialView.focus();
  await page.keyboard.press("End");
  await expect(axialView).toHaveAttribute("data-slice", "3");
  const [before, after] = [z(CT_BY_SLICE[0]), z(CT_BY_SLICE[2])];
  const sagittalToPage = await imageToPage(sagittalView, IMAGE);
  const pixelsPerMm = (sagittalToPage(0, 1).y - sagittalToPage(0, 0).y) / spacing;
  await expect.poll(async () => Number(await sagittalLine.getAttribute("y1")) - y1).toBeCloseTo((before - after) * pixelsPerMm, 0);
});
