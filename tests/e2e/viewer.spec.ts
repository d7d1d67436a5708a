import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { packetForm } from "../support/case-packet";
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
  await expect(third).toHaveAttribute("data-drawn", "3 -600 1500");
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
  for (const [x, y] of [
    [150, 100],
    [150, 300],
    [350, 300],
  ])
    await page.mouse.click(box.x + x, box.y + y);
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
  await page.getByRole("link", { name: /Series .* 1 image$/ }).click();
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
  const link = page.getByRole("link", { name: /Series .* 1 image$/ });
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

/**
 * dcmtk 3.6 reads rescale and window only at the top level of a file, not in
 * the functional groups of an enhanced multi-frame image. Where the first
 * frame's value is only there (its own functional group first, then the shared
 * one, as dcmdump lists them), it is written at the top level for dcmtk.
 */
function copyFirstFrameValuesToTopLevel(file: string) {
  const insertions: string[] = [];
  for (const attribute of ["0028,1050", "0028,1051", "0028,1052", "0028,1053"]) {
    const found = execFileSync("dcmdump", ["+p", "+P", attribute, file], { encoding: "utf8" }).split("\n");
    if (found.some((line) => line.startsWith(`(${attribute})`))) continue;
    const line = found.find((l) => l.startsWith("(5200,9230).")) ?? found.find((l) => l.startsWith("(5200,9229)."));
    const value = line && /\[([^\]]*)\]/.exec(line)?.[1];
    if (value) insertions.push("-i", `(${attribute})=${value}`);
  }
  if (insertions.length > 0) execFileSync("dcmodify", ["-nb", ...insertions, file]);
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
    await tab.getByRole("link", { name: /Series .* images?$/ }).click();
    const viewport = tab.locator(".viewer-viewport");
    await expect(viewport.locator("canvas")).toBeVisible();
    await expect(viewport).toContainText(/W -?\d+ L -?\d+/);
    // Wait until the canvas has drawn the first slice with the window the controls show.
    await expect.poll(() => viewport.evaluate((el: HTMLElement) => el.dataset.drawn === `1 ${el.dataset.windowCenter} ${el.dataset.windowWidth}`)).toBe(true);

    // The viewer's default window is the file's first window, else the range of its values; dcmtk is asked for the same.
    const reference = path.join(work, `${path.basename(name)}.pnm`);
    const source = path.join(work, `${path.basename(name)}.raw.dcm`);
    referenceDecode(transferSyntaxOf(original), original, source);
    copyFirstFrameValuesToTopLevel(source);
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

/** A 16-bit value (VR US) of a file, as dcmdump prints it, or null when the file lacks it. */
const usTag = (file: string, t: string) => {
  const found = /\) US (\d+)/.exec(execFileSync("dcmdump", ["+P", t, file], { encoding: "utf8" }));
  return found ? Number(found[1]) : null;
};
/** A decimal string (VR DS), or null when absent. */
const dsTag = (file: string, t: string) => {
  const found = /\[([^\]]*)\]/.exec(execFileSync("dcmdump", ["+P", t, file], { encoding: "utf8" }));
  return found ? Number(found[1].split("\\")[0]) : null;
};

/** The automatic window worked out here from the pixels GDCM or dcmtk decode: the 1st and 99th percentile of the modality values, by rank. */
function expectedAutoWindow(file: string): { center: number; width: number } {
  const work = mkdtempSync(path.join(os.tmpdir(), "tb-auto-window-"));
  const decoded = path.join(work, "decoded.dcm");
  referenceDecode(transferSyntaxOf(file), file, decoded);
  execFileSync("dcmdump", ["-q", "+W", work, decoded]);
  const bytes = new Uint8Array(readFileSync(path.join(work, "decoded.dcm.0.raw"))).buffer;
  expect(usTag(decoded, "0028,0100")).toBe(16);
  const stored = usTag(decoded, "0028,0103") === 1 ? new Int16Array(bytes) : new Uint16Array(bytes);
  const [slope, intercept] = [dsTag(decoded, "0028,1053") ?? 1, dsTag(decoded, "0028,1052") ?? 0];
  const values = Array.from(stored, (s) => s * slope + intercept).sort((a, b) => a - b);
  const low = values[Math.floor((values.length - 1) * 0.01)];
  const high = values[Math.ceil((values.length - 1) * 0.99)];
  return { center: (low + high) / 2, width: high > low ? high - low : 1 };
}

test("on an MR series the automatic window spans the 1st to 99th percentile of the slice's values; CT presets are not offered", async ({ page }) => {
  await signIn(page, "physician@demo.test", "en");
  await expect(page).not.toHaveURL(/\/login/);
  for (const name of ["syntax/mr-j2k-lossless.dcm", "syntax/mr1-jpeg-extended-lossy.dcm"]) {
    const file = path.join(CORPUS, name);
    await page.goto("/cases");
    await page.getByRole("button", { name: en.cases.list.new }).click();
    await expect(page).toHaveURL(/\/edit$/);
    await page.goto(page.url().replace(/\/edit$/, ""));
    await page.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles(file);
    await page.getByRole("link", { name: /Series .*MR.* 1 image$/ }).click();
    const viewport = page.getByRole("img", { name: v.viewport.replace("{{slice}}", "1").replace("{{count}}", "1") });
    await expect(viewport.locator("canvas")).toBeVisible();
    // First the file's own window.
    await expect(viewport).toContainText(`W ${dsTag(file, "0028,1051")} L ${dsTag(file, "0028,1050")}`);
    await expect(page.getByRole("button", { name: v.presets.lung })).toHaveCount(0);

    const expected = expectedAutoWindow(file);
    expect([expected.center, expected.width], name).not.toEqual([dsTag(file, "0028,1050"), dsTag(file, "0028,1051")]);
    await page.getByRole("button", { name: v.presets.automatic }).click();
    await expect(viewport).toHaveAttribute("data-window-center", String(expected.center));
    await expect(viewport).toHaveAttribute("data-window-width", String(expected.width));
    await expect(viewport).toContainText(`W ${Math.round(expected.width)} L ${Math.round(expected.center)}`);
  }
});

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
  await signIn(page, email, "en");
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

test("a consultant marks a CT slice as a key image with a note; the case page lists it and its link reopens that slice and window", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  // The physician uploads the CT series and submits a complete packet (the form's own post, with this browser's session).
  await page.setViewportSize({ width: 1280, height: 1000 });
  await signIn(page, "physician@demo.test", "en");
  await page.getByRole("button", { name: en.cases.list.new }).click();
  await expect(page).toHaveURL(/\/edit$/);
  const caseUrl = page.url().replace(/\/edit$/, "");
  await page.goto(caseUrl);
  await page.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles(CT);
  await expect(page.getByRole("link", { name: /Series .*3 images/ })).toBeVisible();
  await page.goto(`${caseUrl}/edit`);
  const version = await page.locator('input[name="version"]').first().inputValue();
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...packetForm(), intent: "submit", version })) for (const one of [value].flat()) form.append(key, one);
  const submitted = await page.request.post(`${caseUrl}/edit`, { data: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
  expect(new URL(submitted.url()).pathname).toBe(new URL(caseUrl).pathname);
  await page.goto(caseUrl);
  await expect(page.locator(".badge", { hasText: en.cases.status.SUBMITTED })).toBeVisible();

  // The coordinator assigns consultant@demo.test.
  const coordinator = await signedIn(browser, "coordinator@demo.test");
  await coordinator.goto(`${caseUrl}/assign?specialty=`);
  await coordinator.getByRole("radio", { name: /Dr\. Sarah Miller/ }).check();
  await coordinator.getByRole("button", { name: en.cases.assign.submit }).click();
  await expect(coordinator.locator(".badge", { hasText: en.cases.status.TRIAGED })).toBeVisible();

  // The consultant scrolls to the third slice, chooses the lung window and marks it.
  const consultant = await signedIn(browser, "consultant@demo.test");
  await consultant.goto(caseUrl);
  await consultant.getByRole("link", { name: /Series .*3 images/ }).click();
  const first = consultant.getByRole("img", { name: v.viewport.replace("{{slice}}", "1").replace("{{count}}", "3") });
  await expect(first.locator("canvas")).toBeVisible();
  await first.hover();
  await consultant.mouse.wheel(0, 100);
  await expect(consultant.getByRole("img", { name: v.viewport.replace("{{slice}}", "2").replace("{{count}}", "3") })).toBeVisible();
  await consultant.mouse.wheel(0, 100);
  const third = consultant.getByRole("img", { name: v.viewport.replace("{{slice}}", "3").replace("{{count}}", "3") });
  await expect(third).toBeVisible();
  await consultant.getByRole("button", { name: v.presets.lung }).click();
  await expect(third).toHaveAttribute("data-window-center", "-600");
  const instance = /Image (\d+)/.exec((await third.locator(".viewer-overlay-top-left").textContent())!)![1];
  await consultant.getByLabel(en.imaging.keyImages.note).fill("Spiculated nodule, right upper lobe");
  await consultant.getByRole("button", { name: en.imaging.keyImages.mark.replace("{{slice}}", "3") }).click();
  await expect(consultant.getByRole("status").filter({ hasText: en.imaging.keyImages.saved })).toBeVisible();

  // The case page lists it; its link reopens the viewer on that slice, that instance and that window.
  await consultant.goto(caseUrl);
  const keyImages = consultant.getByRole("region", { name: en.imaging.keyImages.title });
  const item = keyImages.getByRole("listitem").filter({ hasText: "Spiculated nodule, right upper lobe" });
  await expect(item).toHaveCount(1);
  const itemName = en.imaging.keyImages.item.replace("{{series}}", tag(CT[0], "0020,0011")).replace("{{modality}}", "CT").replace("{{slice}}", "3");
  await item.getByRole("link", { name: itemName }).click();
  const reopened = consultant.getByRole("img", { name: v.viewport.replace("{{slice}}", "3").replace("{{count}}", "3") });
  await expect(reopened.locator("canvas")).toBeVisible();
  await expect(consultant.getByLabel(v.slice)).toHaveValue("3");
  await expect(reopened).toHaveAttribute("data-window-center", "-600");
  await expect(reopened).toHaveAttribute("data-window-width", "1500");
  await expect(reopened.locator(".viewer-overlay-top-left")).toContainText(`Image ${instance} `);
});
