/**
 * Measurements made in the viewer saved as a DICOM SR into the case, then listed by the viewer with their values and drawn on
 * the slice they were made on, at the image pixels they were drawn at.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Locator } from "@playwright/test";
import { expect, signIn, TEXT, test, startCase } from "./fixtures";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const CT = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) => path.join(CORPUS, "ct-series", f));
const en = TEXT.en;
const v = en.imaging.viewer;
const r = en.imaging.reports;
const SIZE = { width: 512, height: 512 };

const pixelSpacing = () =>
  /\[([^\]]*)\]/
    .exec(execFileSync("dcmdump", ["+P", "0028,0030", CT[0]], { encoding: "utf8" }))![1]
    .split("\\")
    .map(Number);

/** Image pixels to coordinates inside the viewport's canvas (the overlay's), for an image fitted and centred as cornerstone shows it. */
async function imageToCanvas(viewport: Locator) {
  const box = (await viewport.locator("canvas").boundingBox())!;
  const scale = Math.min(box.width / SIZE.width, box.height / SIZE.height);
  const left = (box.width - SIZE.width * scale) / 2;
  const top = (box.height - SIZE.height * scale) / 2;
  return { box, at: (x: number, y: number) => ({ x: left + x * scale, y: top + y * scale }), scale };
}

test("measurements saved as a DICOM SR are listed with their values and drawn on their slice where they were made", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await signIn(page, "physician@demo.test", "en");
  await startCase(page, "en");
  const caseUrl = page.url().replace(/\/edit$/, "");
  await page.goto(caseUrl);
  await page.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles(CT);
  await page.getByRole("link", { name: /Series .*3 images/ }).click();
  await page.waitForURL(/\/series\//);
  const seriesUrl = page.url().split("?")[0];

  const first = page.getByRole("img", { name: v.viewport.replace("{{slice}}", "1").replace("{{count}}", "3") });
  await expect(first.locator("canvas")).toBeVisible();
  await first.focus();
  await page.keyboard.press("ArrowDown");
  const second = page.getByRole("img", { name: v.viewport.replace("{{slice}}", "2").replace("{{count}}", "3") });
  await expect(second).toHaveAttribute("data-drawn", /^2 /);

  const { box, at } = await imageToCanvas(second);
  const drag = async (from: [number, number], to: [number, number]) => {
    await page.mouse.move(box.x + at(...from).x, box.y + at(...from).y);
    await page.mouse.down();
    await page.mouse.move(box.x + at(...to).x, box.y + at(...to).y, { steps: 5 });
    await page.mouse.up();
  };
  await page.getByRole("button", { name: v.tools.length }).click();
  await drag([100, 200], [300, 200]);
  await page.getByRole("button", { name: v.tools.ellipse }).click();
  await drag([200, 300], [300, 360]);
  await page.getByRole("button", { name: r.save }).click();
  await expect(page.getByRole("status").filter({ hasText: r.saved_other.replace("{{count}}", "2") })).toBeVisible();

  // Opened again: the report is listed; its graphics belong to slice 2, so slice 1 shows none.
  await page.goto(seriesUrl);
  const reports = page.getByRole("region", { name: r.title });
  const lengthRow = reports.getByRole("button", { name: /Length 1/ });
  await expect(lengthRow).toBeVisible();
  const [rowSpacing, columnSpacing] = pixelSpacing();
  const listed = Number(/Length: ([\d.]+) mm/.exec((await lengthRow.textContent())!)![1]);
  expect(Math.abs(listed - 200 * columnSpacing) / (200 * columnSpacing)).toBeLessThan(0.02);
  const areaRow = reports.getByRole("button", { name: /Ellipse 1/ });
  const area = Number(/Area: ([\d.]+) mm²/.exec((await areaRow.textContent())!)![1]);
  const expectedArea = Math.PI * 50 * 30 * rowSpacing * columnSpacing;
  expect(Math.abs(area - expectedArea) / expectedArea).toBeLessThan(0.02);
  await expect(lengthRow).toContainText(/slice 2$/);
  await expect(first).toHaveAttribute("data-drawn", /^1 /);
  await expect(first.locator(".viewer-sr-annotations")).toHaveCount(0);

  // Choosing the measurement shows slice 2 with the SR's line and ellipse at the pixels they were drawn at.
  await lengthRow.click();
  const shown = page.getByRole("img", { name: v.viewport.replace("{{slice}}", "2").replace("{{count}}", "3") });
  await expect(shown).toHaveAttribute("data-drawn", /^2 /);
  const line = shown.locator(".viewer-sr-annotations polyline");
  await expect(line).toHaveCount(1);
  const { at: canvasAt, scale } = await imageToCanvas(shown);
  const points = (await line.getAttribute("points"))!.split(" ").map((p) => p.split(",").map(Number));
  for (const [point, [x, y]] of points.map(
    (p, i) =>
      [
        p,
        [
          [100, 200],
          [300, 200],
        ][i],
      ] as const,
  )) {
    expect(Math.abs(point[0] - canvasAt(x, y).x)).toBeLessThan(1.5);
    expect(Math.abs(point[1] - canvasAt(x, y).y)).toBeLessThan(1.5);
  }
  const ellipse = shown.locator(".viewer-sr-annotations ellipse");
  const centre = canvasAt(250, 330);
  expect(Math.abs(Number(await ellipse.getAttribute("cx")) - centre.x)).toBeLessThan(1.5);
  expect(Math.abs(Number(await ellipse.getAttribute("cy")) - centre.y)).toBeLessThan(1.5);
  expect(Math.abs(Number(await ellipse.getAttribute("rx")) - 50 * scale)).toBeLessThan(1.5);
  expect(Math.abs(Number(await ellipse.getAttribute("ry")) - 30 * scale)).toBeLessThan(1.5);
  await expect(shown.locator(".viewer-sr-annotations")).toContainText(/Length: [\d.]+ mm/);

  // The case page names the SR series without sending anyone to an empty viewer.
  await page.goto(caseUrl);
  await expect(page.getByText(en.imaging.studies.documentSeries)).toBeVisible();
});
