import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Locator, Page } from "@playwright/test";
import { packetForm } from "../support/case-packet";
import { referenceDecode, transferSyntaxOf } from "../support/reference-decoder";
import { imageToPage, named, pgm, shownAtImagePixels } from "../support/viewer-pixels";
import { expect, signIn, TEXT, test, startCase } from "./fixtures";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const CT = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) => path.join(CORPUS, "ct-series", f));
const en = TEXT.en;
const v = en.imaging.viewer;

const tag = (file: string, t: string) => /\[([^\]]*)\]/.exec(execFileSync("dcmdump", ["+P", t, file], { encoding: "utf8" }))![1];

test("a CT series opens in the viewer: scroll to slice 3, lung window, a measured length in mm, and pixels that match dcmtk's rendering", async ({
  page,
  browser,
}) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await signIn(page, "physician@demo.test", "en");
  await startCase(page, "en");
  await page.goto(page.url().replace(/\/edit$/, ""));
  await page.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles(CT);
  // Opened from the case page in the browser, the viewer asks for each slice once: no preload beside its own request.
  const sliceRequests: string[] = [];
  page.on("request", (request) => {
    const slice = /\/dicomweb\/cases\/[^?]+\/instances\/[^/?]+(?=\?|$)/.exec(request.url());
    if (slice) sliceRequests.push(slice[0]);
  });
  await page.getByRole("link", { name: /Series .*3 images/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/TB-\d{4}-\d+/);

  const viewport = page.getByRole("img", { name: v.viewport.replace("{{slice}}", "1").replace("{{count}}", "3") });
  await expect(viewport.locator("canvas")).toBeVisible();
  // Once the viewer has drawn, the server's preview of the first slice is gone.
  await expect(viewport).toHaveAttribute("data-drawn", /^1 /);
  await expect(page.locator("img.viewer-preview")).toHaveCount(0);
  await expect.poll(() => new Set(sliceRequests).size).toBe(3);
  expect(sliceRequests).toHaveLength(3);
  // Before the page's code has run (here: never), the slice it opens on is already on screen as the server renders it.
  // The server keeps that render once drawn, and from then on the page carries it in itself: no request of its own.
  const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const opened = await noScript.newPage();
  const previewRequests: string[] = [];
  opened.on("request", (request) => /\/frames\/\d+\/rendered\?accept=image%2Fjpeg$/.test(request.url()) && previewRequests.push(request.url()));
  const preview = opened.locator("img.viewer-preview");
  await expect
    .poll(async () => {
      previewRequests.length = 0;
      await opened.goto(page.url());
      return preview.getAttribute("src");
    })
    .toMatch(/^data:image\/jpeg;base64,/);
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(512);
  expect(previewRequests).toEqual([]);
  const firstSlice = await opened.locator("link[data-first-slice]").getAttribute("data-first-slice");
  const rendered = await opened.request.get(`${firstSlice}/frames/1/rendered?accept=image%2Fjpeg`);
  expect(rendered.status()).toBe(200);
  const carried = Buffer.from((await preview.getAttribute("src"))!.replace(/^data:image\/jpeg;base64,/, ""), "base64");
  expect(carried.equals(await rendered.body())).toBe(true);
  await noScript.close();
  await viewport.focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const third = page.getByRole("img", { name: v.viewport.replace("{{slice}}", "3").replace("{{count}}", "3") });
  await expect(third).toBeVisible();
  await expect(page.getByRole("slider", { name: v.slice })).toHaveValue("3");

  await page.getByRole("button", { name: v.presets.lung }).click();
  await expect(third).toHaveAttribute("data-window-center", "-600");
  await expect(third).toHaveAttribute("data-window-width", "1500");
  await expect(third).toContainText("W 1500 L -600");

  // The slice on screen is the instance named in the overlay; dcmtk renders that file with the same window.
  await expect(third).toHaveAttribute("data-drawn", "3 -600 1500");
  const overlay = (await third.locator(".viewer-overlay-top-left").textContent())!;
  const instanceNumber = /Image (\d+)/.exec(overlay)![1];
  const file = CT.find((f) => tag(f, "0020,0013") === instanceNumber)!;
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), "tb-viewer-")), "reference.pgm");
  execFileSync("dcm2pnm", ["+Ww", "-600", "1500", file, out]);
  const reference = pgm(out);
  // The image fills the viewport, larger than its 512 pixels: each of its pixels is read where the canvas draws it.
  expect((await third.boundingBox())!.height).toBeGreaterThan(reference.height);
  const shown = await shownAtImagePixels(third, reference);
  let difference = 0;
  for (let i = 0; i < reference.pixels.length; i++) difference += Math.abs(shown[i * 3] - reference.pixels[i]);
  expect(difference / reference.pixels.length).toBeLessThan(2);

  await page.getByRole("button", { name: v.tools.length }).click();
  const at = await imageToPage(third, reference);
  await page.mouse.move(at(100, 200).x, at(100, 200).y);
  await page.mouse.down();
  await page.mouse.move(at(300, 200).x, at(300, 200).y, { steps: 5 });
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
    await page.mouse.click(at(x, y).x, at(x, y).y);
  await expect(page.getByRole("status").filter({ hasText: "°" })).toContainText(/(89\.\d|90\.\d)°/);

  // An elliptical region: its mean HU against the same region computed here from the raw pixels dcmtk writes out.
  await page.getByRole("button", { name: v.tools.ellipse }).click();
  await page.mouse.move(at(200, 200).x, at(200, 200).y);
  await page.mouse.down();
  await page.mouse.move(at(300, 260).x, at(300, 260).y, { steps: 5 });
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
  await startCase(page, "en");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/TB-\d{4}-\d+/);
  const code = (await page.getByRole("heading", { level: 1 }).textContent())!.match(/TB-\d{4}-\d+/)![0];
  await page.goto(page.url().replace(/\/edit$/, ""));
  await page.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles(path.join(CORPUS, "multiframe/us-30f-jpeg-ybr.dcm"));
  const pixelAnswers: Promise<Buffer>[] = [];
  page.on("response", (r) => {
    if (/\/instances\/[^/?]+(\?|$)/.test(r.url())) pixelAnswers.push(r.body());
  });
  await page.getByRole("link", { name: /Series .* 1 image$/ }).click();
  await expect(page.getByRole("img", { name: v.viewport.replace("{{slice}}", "1").replace("{{count}}", "30") })).toBeVisible();
  await expect(page.locator(".viewer-viewport").first()).toHaveAttribute("data-drawn", /^1 /);
  // The frames come as stored (JPEG baseline, 220 KB) and the browser decodes them: never decoded by the server (6.9 MB).
  const answers = await Promise.all(pixelAnswers);
  expect(answers.length).toBeGreaterThan(0);
  for (const answer of answers) {
    expect(answer.includes("transfer-syntax=1.2.840.10008.1.2.4.50")).toBe(true);
    expect(answer.length).toBeLessThan(300_000);
  }
  await page.getByRole("button", { name: v.play }).click();
  await expect(page.getByRole("slider", { name: v.slice })).not.toHaveValue("1");
  await page.getByRole("button", { name: v.pause }).click();
  const stopped = await page.getByRole("slider", { name: v.slice }).inputValue();
  await page.waitForTimeout(300);
  await expect(page.getByRole("slider", { name: v.slice })).toHaveValue(stopped);

  await page.getByText(v.tags.title).click();
  await expect(page.getByRole("row").filter({ hasText: "(0010,0010)" })).toContainText(code);
  await expect(page.getByRole("row").filter({ hasText: "(0012,0062)" })).toContainText("YES");
});

const w = en.imaging.workspace;

/** Text whose contrast with what lies behind it is under WCAG AA (4.5:1, or 3:1 for large text), as "ratio: text". */
function lowContrastText(root: Locator): Promise<string[]> {
  return root.evaluate((element) => {
    const rgb = (colour: string) => (colour.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) =>
      [r, g, b]
        .map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4))
        .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    const backgroundOf = (from: Element) => {
      for (let at: Element | null = from; at; at = at.parentElement) {
        const colour = rgb(getComputedStyle(at).backgroundColor);
        if (colour.length === 3 || colour[3] > 0) return colour;
      }
      return [255, 255, 255];
    };
    const failures: string[] = [];
    for (const node of element.querySelectorAll("*")) {
      const text = [...node.childNodes]
        .filter((child) => child.nodeType === Node.TEXT_NODE)
        .map((child) => child.textContent!.trim())
        .join(" ");
      const style = getComputedStyle(node);
      if (!text || (node as HTMLElement).offsetParent === null || style.visibility === "hidden") continue;
      const [fore, back] = [luminance(rgb(style.color)), luminance(backgroundOf(node))];
      const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) failures.push(`${ratio.toFixed(2)}: ${text}`);
    }
    return failures;
  });
}

test("the workspace is a dark reading room: thumbnails with slice counts, a follow-up study beside its prior, layouts, and series loaded by keyboard", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await signIn(page, "physician@demo.test", "en");
  await startCase(page, "en");
  await page.goto(page.url().replace(/\/edit$/, ""));
  const tiny = ["CT5N-2062.dcm", "CT5N-2392.dcm", "CT5N-2693.dcm", "CT5N-3023.dcm", "CT5N-3353.dcm"].map((f) => path.join(CORPUS, "ct-series-tiny", f));
  await page.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles([...CT, ...tiny]);
  // The case page names each study by description, modality and date; neither file has a description.
  const studyHeading = new RegExp(`^${en.imaging.studies.noDescription} · CT · [A-Z][a-z]{2} \\d{1,2}, \\d{4}$`);
  await expect(page.getByRole("heading", { name: studyHeading })).toHaveCount(2);
  await page.getByRole("link", { name: /Series .*3 images/ }).click();

  // The three-slice CT of 2003 opens beside the five-slice CT of 2001 (its prior, 836 days before), in 1×2.
  await expect(page.getByRole("button", { name: w.layouts.sideBySide })).toHaveAttribute("aria-pressed", "true");
  const current = page.getByRole("group", { name: new RegExp(`· ${named(w.current, { date: "" })}`) });
  const prior = page.getByRole("group", { name: new RegExp(`· ${named(w.prior_other, { count: "836", date: "" })}`) });
  await expect(current).toHaveAttribute("aria-current", "true");
  await expect(current.locator(".viewer-overlay-top-right")).toContainText(named(w.current, { date: "" }));
  await expect(prior.locator(".viewer-overlay-top-right")).toContainText(named(w.prior_other, { count: "836", date: "" }));
  const [threeSlices, fiveSlices] = [current.locator(".viewer-viewport"), prior.locator(".viewer-viewport")];
  await expect(threeSlices).toHaveAttribute("data-drawn", /^1 /);
  await expect(fiveSlices).toHaveAttribute("data-drawn", /^1 /);

  // The series list: each study named, each series a thumbnail of its middle slice with its number, modality and slice count.
  const series = page.getByRole("region", { name: w.seriesList, exact: true });
  await expect(series.getByRole("heading", { name: studyHeading })).toHaveCount(2);
  const threeThumbnail = series.getByRole("button", { name: new RegExp(`, ${named(w.slices_other, { count: "3" })}$`) });
  const fiveThumbnail = series.getByRole("button", { name: new RegExp(`, ${named(w.slices_other, { count: "5" })}$`) });
  await expect(threeThumbnail).toContainText(named(w.thumbnailSeries, { number: tag(CT[0], "0020,0011"), modality: "CT" }));
  await expect(fiveThumbnail).toContainText(named(w.thumbnailSeries, { number: tag(tiny[0], "0020,0011"), modality: "CT" }));
  await expect(threeThumbnail).toContainText(w.noDescription);
  await expect(threeThumbnail).toHaveAttribute("aria-current", "true");
  for (const thumbnail of [threeThumbnail, fiveThumbnail])
    await expect.poll(() => thumbnail.locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

  // Dark, and every text in it at WCAG AA contrast.
  const workspace = page.locator(".viewer-workspace");
  const background = await workspace.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(
    background
      .match(/\d+/g)!
      .slice(0, 3)
      .map(Number)
      .every((c) => c < 40),
  ).toBe(true);
  await expect(page.getByRole("toolbar", { name: v.toolbar })).toBeVisible();
  expect(await lowContrastText(workspace)).toEqual([]);

  // Scrolling is linked by slice position: the five-slice stack lies entirely above the three-slice one.
  await fiveSlices.focus();
  await expect(prior).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("End");
  await expect(fiveSlices).toHaveAttribute("data-slice", "5");
  await expect(threeSlices).toHaveAttribute("data-slice", "3");
  // The stack that followed shows where it stands and how far that is from the other's slice.
  const linked = new RegExp(`^${named(v.linkedPosition, { position: "-?\\d+\\.\\d", distance: "\\d+\\.\\d" })}$`);
  await expect(threeSlices.locator(".viewer-overlay-bottom-right")).toHaveText(linked);
  await expect(fiveSlices.locator(".viewer-overlay-bottom-right")).toHaveCount(0);
  await page.getByLabel(v.linkScrolling).uncheck();
  await fiveSlices.focus();
  await page.keyboard.press("Home");
  await expect(fiveSlices).toHaveAttribute("data-slice", "1");
  await expect(threeSlices).toHaveAttribute("data-slice", "3");

  // 2×2 adds two empty viewports; the third, made active, shows the series chosen from the list.
  await page.getByRole("button", { name: w.layouts.grid }).click();
  await expect(page.locator(".viewer-cell")).toHaveCount(4);
  const third = page.getByRole("group", { name: named(w.emptyName, { number: "3" }) });
  await third.getByRole("button", { name: w.empty }).click();
  await expect(third).toHaveAttribute("aria-current", "true");
  await threeThumbnail.click();
  const thirdCell = page.locator(".viewer-cell").nth(2);
  await expect(thirdCell).toHaveAttribute("aria-current", "true");
  await expect(thirdCell.getByRole("img", { name: named(v.viewport, { slice: "1", count: "3" }) })).toHaveAttribute("data-drawn", /^1 /);
  await expect(page.locator(".viewer-viewport[data-drawn*=' ']")).toHaveCount(3);

  // Back to 1×1 keeps the active viewport's series; Enter on a thumbnail loads another there.
  await page.getByRole("button", { name: w.layouts.single }).click();
  await expect(page.locator(".viewer-cell")).toHaveCount(1);
  await expect(page.getByRole("img", { name: named(v.viewport, { slice: "1", count: "3" }) })).toBeVisible();
  await fiveThumbnail.focus();
  await page.keyboard.press("Enter");
  const five = page.getByRole("img", { name: named(v.viewport, { slice: "1", count: "5" }) });
  await expect(five).toHaveAttribute("data-drawn", /^1 /);
  await expect(fiveThumbnail).toHaveAttribute("aria-current", "true");
  // A study of one date on screen is labelled by its date alone.
  await expect(page.locator(".viewer-overlay-top-right")).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/);
});

test("a user who may not see the case gets 404 for its viewer", async ({ page, browser }) => {
  await signIn(page, "physician@demo.test", "en");
  await startCase(page, "en");
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

const AS_RGB = " said to be RGB";
const SYNTAX_FILES = [
  "syntax/ct1-implicit-le.dcm",
  "syntax/ct1-explicit-be.dcm",
  "syntax/deflate-image.dcm",
  "syntax/ct1-jpegls-lossless.dcm",
  "syntax/mr-j2k-lossless.dcm",
  "syntax/mr1-jpeg-extended-lossy.dcm",
  "syntax/sc-rgb-jpeg-baseline.dcm",
  // The same codestream said to hold RGB without a colour transform, which a browser would decode as YCbCr: the viewer
  // asks for native pixels, decoded as dcmtk decodes them.
  `syntax/sc-rgb-jpeg-baseline.dcm${AS_RGB}`,
  "multiframe/enhanced-ct-2f-rle.dcm",
  "multiframe/enhanced-ct-2f-jpegls-frag-nobot.dcm",
  "multiframe/us-30f-jpeg-ybr.dcm",
];

test("one file of every corpus transfer syntax renders, not blank, as dcmtk renders it", async ({ page }) => {
  // One case per file, each uploaded and opened: minutes on a loaded 2-core machine.
  test.setTimeout(300_000);
  await signIn(page, "physician@demo.test", "en");
  await expect(page).not.toHaveURL(/\/login/);
  const tab = page;
  const work = mkdtempSync(path.join(os.tmpdir(), "tb-syntax-"));
  for (const name of SYNTAX_FILES) {
    let original = path.join(CORPUS, name.replace(AS_RGB, ""));
    if (name.endsWith(AS_RGB)) {
      const copy = path.join(work, "as-rgb.dcm");
      writeFileSync(copy, readFileSync(original));
      execFileSync("dcmodify", ["-nb", "-m", "(0028,0004)=RGB", copy]);
      original = copy;
    }
    // Each file in a case of its own: several are the same image in different syntaxes.
    await tab.goto("/cases");
    await startCase(tab, "en");
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
    const shown = await shownAtImagePixels(viewport, expected);
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
    await startCase(page, "en");
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
  await startCase(page, "en");
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
  await expect(consultant.getByRole("slider", { name: v.slice })).toHaveValue("3");
  await expect(reopened).toHaveAttribute("data-window-center", "-600");
  await expect(reopened).toHaveAttribute("data-window-width", "1500");
  await expect(reopened.locator(".viewer-overlay-top-left")).toContainText(`Image ${instance} `);
});
