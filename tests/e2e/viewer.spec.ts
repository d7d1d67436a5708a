import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { referenceDecode, transferSyntaxOf } from "../support/reference-decoder";
import { expect, signIn, TEXT, test } from "./fixtures";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const CT = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) => path.join(CORPUS, "ct-series", f));
const en = TEXT.en;
const v = en.imaging.viewer;

const tag = (file: string, t: string) => /\[([^\]]*)\]/.exec(execFileSync("dcmdump", ["+P", t, file], { encoding: "utf8" }))![1];

/** Grey values of a binary PGM (P5, 8-bit) written by dcmtk's dcm2pnm. */
function pgm(file: string): { width: number; height: number; pixels: Uint8Array } {
  const bytes = readFileSync(file);
  const header = bytes.subarray(0, 64).toString("latin1").split(/\s+/);
  const [, width, height] = header.map(Number);
  return { width, height, pixels: new Uint8Array(bytes.subarray(bytes.length - width * height)) };
}

test("a CT series opens in the viewer: scroll to slice 3, lung window, a measured length in mm, and pixels that match dcmtk's rendering", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await signIn(page, "physician@demo.test", "en");
  await page.getByRole("button", { name: en.cases.list.new }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await page.goto(page.url().replace(/\/edit$/, ""));
  await page.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles(CT);
  await page.getByRole("link", { name: /Series .*3 images/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("CT");

  const viewport = page.getByRole("img", { name: v.viewport.replace("{{slice}}", "1").replace("{{count}}", "3") });
  await expect(viewport.locator("canvas")).toBeVisible();
  await viewport.focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const third = page.getByRole("img", { name: v.viewport.replace("{{slice}}", "3").replace("{{count}}", "3") });
  await expect(third).toBeVisible();
  await expect(page.getByLabel(v.slice)).toHaveValue("3");

  await page.getByRole("button", { name: v.presets.lung }).click();
  await expect(third).toHaveAttribute("data-window-center", "-600");
  await expect(third).toHaveAttribute("data-window-width", "1500");
  await expect(third).toContainText("W 1500 L -600");

  // The slice on screen is the instance named in the overlay; dcmtk renders that file with the same window.
  const overlay = (await third.locator(".viewer-overlay-top-left").textContent())!;
  const instanceNumber = /Image (\d+)/.exec(overlay)![1];
  const file = CT.find((f) => tag(f, "0020,0013") === instanceNumber)!;
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), "tb-viewer-")), "reference.pgm");
  execFileSync("dcm2pnm", ["+Ww", "-600", "1500", file, out]);
  const reference = pgm(out);
  await page.waitForTimeout(200);
  const shown = await third.locator("canvas").evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    const grey: number[] = [];
    for (let i = 0; i < data.length; i += 4) grey.push(data[i]);
    return { width: canvas.width, height: canvas.height, grey };
  });
  expect([shown.width, shown.height]).toEqual([reference.width, reference.height]);
  let difference = 0;
  for (let i = 0; i < shown.grey.length; i++) difference += Math.abs(shown.grey[i] - reference.pixels[i]);
  expect(difference / shown.grey.length).toBeLessThan(2);

  await page.getByRole("button", { name: v.tools.length }).click();
  const box = (await third.boundingBox())!;
  await page.mouse.move(box.x + 100, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + 300, box.y + 200, { steps: 5 });
  await page.mouse.up();
  const columnSpacing = Number(tag(file, "0028,0030").split("\\")[1]);
  const expected = 200 * columnSpacing;
  const status = (await page.getByRole("status").filter({ hasText: /mm/ }).textContent())!;
  const measured = Number(/([\d.]+) mm/.exec(status)![1]);
  expect(Math.abs(measured - expected) / expected).toBeLessThan(0.02);

  // A right angle drawn with three clicks.
  await page.getByRole("button", { name: v.tools.angle }).click();
  for (const [x, y] of [[150, 100], [150, 300], [350, 300]]) await page.mouse.click(box.x + x, box.y + y);
  await expect(page.getByRole("status").filter({ hasText: "°" })).toContainText(/(89\.\d|90\.\d)°/);

  // An elliptical region: its mean HU against the same region computed here from the raw pixels dcmtk writes out.
  await page.getByRole("button", { name: v.tools.ellipse }).click();
  await page.mouse.move(box.x + 200, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + 300, box.y + 260, { steps: 5 });
  await page.mouse.up();
  const region = (await page.getByRole("status").filter({ hasText: "HU" }).textContent())!;
  const [, area, mean] = /([\d.]+) mm² · mean (-?[\d.]+) HU/.exec(region)!.map(Number);
  const rawDir = mkdtempSync(path.join(os.tmpdir(), "tb-raw-"));
  execFileSync("dcmdump", ["-q", "+W", rawDir, file]);
  const raw = readFileSync(path.join(rawDir, `${path.basename(file)}.0.raw`));
  const stored = new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
  const intercept = Number(tag(file, "0028,1052"));
  let sum = 0;
  let count = 0;
  for (let y = 200; y < 260; y++)
    for (let x = 200; x < 300; x++) {
      if (((x + 0.5 - 250) / 50) ** 2 + ((y + 0.5 - 230) / 30) ** 2 > 1) continue;
      sum += stored[y * 512 + x] + intercept;
      count++;
    }
  expect(Math.abs(mean - sum / count)).toBeLessThan(3);
  const expectedArea = Math.PI * 50 * 30 * columnSpacing * columnSpacing;
  expect(Math.abs(area - expectedArea) / expectedArea).toBeLessThan(0.02);
});

test("a multi-frame ultrasound plays as a cine loop, and the tag panel shows the de-identified attributes", async ({ page }) => {
  await signIn(page, "physician@demo.test", "en");
  await page.getByRole("button", { name: en.cases.list.new }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/TB-\d{4}-\d+/);
  const code = (await page.getByRole("heading", { level: 1 }).textContent())!.match(/TB-\d{4}-\d+/)![0];
  await page.goto(page.url().replace(/\/edit$/, ""));
  await page.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles(path.join(CORPUS, "multiframe/us-30f-jpeg-ybr.dcm"));
  await page.getByRole("link", { name: /Series .*1 images/ }).click();
  await expect(page.getByRole("img", { name: v.viewport.replace("{{slice}}", "1").replace("{{count}}", "30") })).toBeVisible();
  await page.getByRole("button", { name: v.play }).click();
  await expect(page.getByLabel(v.slice)).not.toHaveValue("1");
  await page.getByRole("button", { name: v.pause }).click();
  const stopped = await page.getByLabel(v.slice).inputValue();
  await page.waitForTimeout(300);
  await expect(page.getByLabel(v.slice)).toHaveValue(stopped);

  await page.getByText(v.tags.title).click();
  await expect(page.getByRole("row").filter({ hasText: "(0010,0010)" })).toContainText(code);
  await expect(page.getByRole("row").filter({ hasText: "(0012,0062)" })).toContainText("YES");
});

test("two series side by side scroll together by slice position until unlinked", async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await signIn(page, "physician@demo.test", "en");
  await page.getByRole("button", { name: en.cases.list.new }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await page.goto(page.url().replace(/\/edit$/, ""));
  const tiny = ["CT5N-2062.dcm", "CT5N-2392.dcm", "CT5N-2693.dcm", "CT5N-3023.dcm", "CT5N-3353.dcm"].map((f) => path.join(CORPUS, "ct-series-tiny", f));
  await page.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles([...CT, ...tiny]);
  await page.getByRole("link", { name: /Series .*3 images/ }).click();
  await page.getByLabel(v.compareWith).selectOption({ index: 1 });
  await page.getByRole("button", { name: v.showComparison }).click();
  await expect(page.getByLabel(v.linkScrolling)).toBeChecked();

  const panes = page.getByRole("group").filter({ has: page.getByRole("toolbar") });
  const [threeSlices, fiveSlices] = [panes.nth(0), panes.nth(1)];
  await expect(fiveSlices.getByRole("img", { name: v.viewport.replace("{{slice}}", "1").replace("{{count}}", "5") })).toBeVisible();
  await expect(threeSlices.getByLabel(v.slice)).toHaveValue("1");
  // The five-slice stack lies entirely above the three-slice one: its top slice is nearest the other's top slice.
  await fiveSlices.getByRole("img").focus();
  await page.keyboard.press("End");
  await expect(fiveSlices.getByLabel(v.slice)).toHaveValue("5");
  await expect(threeSlices.getByLabel(v.slice)).toHaveValue("3");

  await page.getByLabel(v.linkScrolling).uncheck();
  await threeSlices.getByRole("img").focus();
  await page.keyboard.press("Home");
  await expect(threeSlices.getByLabel(v.slice)).toHaveValue("1");
  await fiveSlices.getByRole("img").focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("End");
  await expect(fiveSlices.getByLabel(v.slice)).toHaveValue("5");
  await page.waitForTimeout(300);
  await expect(threeSlices.getByLabel(v.slice)).toHaveValue("1");
});

test("a user who may not see the case gets 404 for its viewer", async ({ page, browser }) => {
  await signIn(page, "physician@demo.test", "en");
  await page.getByRole("button", { name: en.cases.list.new }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await page.goto(page.url().replace(/\/edit$/, ""));
  await page.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles(CT.slice(0, 1));
  const link = page.getByRole("link", { name: /Series .*1 images/ });
  const href = (await link.getAttribute("href"))!;
  const other = await (await browser.newContext()).newPage();
  await signIn(other, "physician2@demo.test", "en");
  await expect(other).not.toHaveURL(/\/login/);
  const response = await other.goto(href);
  expect(response!.status()).toBe(404);
});

/** Binary PGM (P5) or PPM (P6), 8-bit, as dcm2pnm writes them. */
function pnm(file: string): { width: number; height: number; channels: number; samples: Uint8Array } {
  const bytes = readFileSync(file);
  const fields: string[] = [];
  let at = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(bytes[at]))) at++;
    let field = "";
    while (!/\s/.test(String.fromCharCode(bytes[at]))) field += String.fromCharCode(bytes[at++]);
    fields.push(field);
  }
  const [magic, width, height] = [fields[0], Number(fields[1]), Number(fields[2])];
  const channels = magic === "P6" ? 3 : 1;
  return { width, height, channels, samples: new Uint8Array(bytes.subarray(at + 1, at + 1 + width * height * channels)) };
}

const SYNTAX_FILES = [
  "syntax/ct1-implicit-le.dcm",
  "syntax/ct1-explicit-be.dcm",
  "syntax/deflate-image.dcm",
  "syntax/ct1-jpegls-lossless.dcm",
  "syntax/mr-j2k-lossless.dcm",
  "syntax/mr1-jpeg-extended-lossy.dcm",
  "syntax/sc-rgb-jpeg-baseline.dcm",
  "multiframe/enhanced-ct-2f-rle.dcm",
  "multiframe/enhanced-ct-2f-jpegls-frag-nobot.dcm",
  "multiframe/us-30f-jpeg-ybr.dcm",
];

test("one file of every corpus transfer syntax renders, not blank, as dcmtk renders it", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "physician@demo.test", "en");
  await expect(page).not.toHaveURL(/\/login/);
  const tab = page;
  const work = mkdtempSync(path.join(os.tmpdir(), "tb-syntax-"));
  for (const name of SYNTAX_FILES) {
    const original = path.join(CORPUS, name);
    // Each file in a case of its own: several are the same image in different syntaxes.
    await tab.goto("/cases");
    await tab.getByRole("button", { name: en.cases.list.new }).click();
    await expect(tab).toHaveURL(/\/edit$/);
    await tab.goto(tab.url().replace(/\/edit$/, ""));
    await tab.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles(original);
    await tab.getByRole("link", { name: /Series .* images/ }).click();
    const viewport = tab.locator(".viewer-viewport");
    await expect(viewport.locator("canvas")).toBeVisible();
    await expect(viewport).toContainText(/W -?\d+ L -?\d+/);
    await tab.waitForTimeout(300);

    // The viewer's default window is the file's first window, else the range of its values; dcmtk is asked for the same.
    const reference = path.join(work, `${path.basename(name)}.pnm`);
    const source = path.join(work, `${path.basename(name)}.raw.dcm`);
    referenceDecode(transferSyntaxOf(original), original, source);
    try {
      execFileSync("dcm2pnm", ["+Wi", "1", source, reference], { stdio: "ignore" });
    } catch {
      execFileSync("dcm2pnm", ["+Wm", source, reference]);
    }
    const expected = pnm(reference);
    const shown = await viewport.locator("canvas").evaluate((canvas: HTMLCanvasElement, size: { width: number; height: number }) => {
      const context = canvas.getContext("2d")!;
      const scale = Math.min(canvas.width / size.width, canvas.height / size.height);
      const left = (canvas.width - size.width * scale) / 2;
      const top = (canvas.height - size.height * scale) / 2;
      const rgb: number[] = [];
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let y = 0; y < size.height; y++)
        for (let x = 0; x < size.width; x++) {
          const at = (Math.floor(top + (y + 0.5) * scale) * canvas.width + Math.floor(left + (x + 0.5) * scale)) * 4;
          rgb.push(data[at], data[at + 1], data[at + 2]);
        }
      return rgb;
    }, expected);
    let difference = 0;
    let spread = 0;
    const pixels = expected.width * expected.height;
    for (let i = 0; i < pixels; i++) {
      for (let c = 0; c < 3; c++) {
        const want = expected.samples[i * expected.channels + (expected.channels === 3 ? c : 0)];
        difference += Math.abs(shown[i * 3 + c] - want);
      }
      spread += Math.abs(shown[i * 3] - shown[0]);
    }
    expect(spread / pixels, `${name} is blank`).toBeGreaterThan(1);
    expect(difference / (pixels * 3), name).toBeLessThan(4);
  }
});
