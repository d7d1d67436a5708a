import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SLIDE_IDENTIFIERS, syntheticAperioSlide } from "../support/synthetic-slide";
import { expect, signIn, TEXT, test, startCase } from "./fixtures";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const s = TEXT.en.imaging.slides;
const zh = TEXT["zh-CN"].imaging.slides;

/** A 3072 x 3072 H&E image: the corpus TCGA tile, decoded by dcmtk and enlarged by libvips. */
function largeHematoxylinEosinJpeg(): string {
  const work = mkdtempSync(path.join(os.tmpdir(), "tb-slide-"));
  execFileSync("dcmdjpeg", [path.join(CORPUS, "pathology/tcga-he-tile-jpeg-rgb-app14.dcm"), path.join(work, "tile.dcm")]);
  execFileSync("dcm2pnm", ["+on", path.join(work, "tile.dcm"), path.join(work, "tile.png")]);
  execFileSync("vips", ["resize", path.join(work, "tile.png"), path.join(work, "he-large.jpg"), "12"]);
  return path.join(work, "he-large.jpg");
}

test("a scan's label image, file name, date and user never leave the browser, and the slide still opens", async ({ page }) => {
  const original = syntheticAperioSlide();
  const label = execFileSync("tiffinfo", ["-s", original], { encoding: "latin1" }).split("=== TIFF directory ")[3];
  const [offset, length] = [...label.matchAll(/^\s+\d+: \[\s*(\d+),\s*(\d+)\]/gm)].map((m) => [Number(m[1]), Number(m[2])]).sort((a, b) => b[1] - a[1])[0];
  const labelPixels = readFileSync(original).subarray(offset, offset + length);
  const sent: Buffer[] = [];
  await page.route(/\/cases\/[^/]+\/slides(\.data)?(\?|$)/, async (route) => {
    if (route.request().method() === "POST") sent.push(route.request().postDataBuffer() ?? Buffer.alloc(0));
    await route.continue();
  });
  await signIn(page, "physician@demo.test", "en");
  const caseUrl = await newCase(page);
  await page.getByLabel(s.file).setInputFiles(original);
  await page.getByRole("button", { name: s.upload }).click();
  await page.getByRole("link", { name: "CASE.svs" }).click({ timeout: 60_000 });
  await expect(page.getByText(s.resolution.replace("{{mpp}}", "0.499"))).toBeVisible();
  await expect(page.getByRole("img", { name: s.canvas }).locator("canvas").first()).toBeVisible();

  expect(sent).toHaveLength(1);
  expect(sent[0].length).toBeGreaterThan(readFileSync(original).length);
  const body = sent[0].toString("latin1");
  for (const value of SLIDE_IDENTIFIERS) expect(body, value).not.toContain(value);
  expect(labelPixels.length).toBeGreaterThan(1000);
  expect(sent[0].includes(labelPixels)).toBe(false);

  // A DICOM whole-slide image: its header de-identified with the case's context, its tiles sent as they are.
  const wsi = path.join(CORPUS, "pathology/sm-wsi-tiled-jpegls-synthetic.dcm");
  const tags = ["0010,0010", "0010,0020", "0010,0030", "0008,0050", "0020,000d", "0020,000e", "0008,0018"];
  const identifiers = [...execFileSync("dcmdump", ["-q", ...tags.flatMap((t) => ["+P", t]), wsi], { encoding: "latin1" }).matchAll(/\[([^\]]+)\]/g)]
    .map((m) => m[1].trim())
    .filter((v) => v.length >= 4);
  expect(identifiers).toEqual(expect.arrayContaining(["Test^Patient", "17890505", "S19-1_A_1_1"]));
  await page.goto(caseUrl);
  await page.getByLabel(s.file).setInputFiles(wsi);
  await page.getByRole("button", { name: s.upload }).click();
  await expect(page.getByRole("link", { name: "sm-wsi-tiled-jpegls-synthetic.dcm" })).toBeVisible({ timeout: 60_000 });
  expect(sent).toHaveLength(2);
  for (const value of identifiers) expect(sent[1].toString("latin1"), value).not.toContain(value);
});

async function newCase(page: import("@playwright/test").Page) {
  await startCase(page, "en");
  const caseUrl = page.url().replace(/\/edit$/, "");
  await page.goto(caseUrl);
  return caseUrl;
}

test("slides open in the zoom-and-pan viewer: an SVS and a DICOM whole-slide image with their scale bars, a large JPEG that zooms in; an unreadable slide says so", async ({
  page,
}) => {
  test.setTimeout(120_000); // four slides, each read and tiled by libvips, on a loaded two-core machine
  await signIn(page, "physician@demo.test", "en");
  const caseUrl = await newCase(page);

  await page.getByLabel(s.file).setInputFiles(path.join(CORPUS, "pathology/openslide-small.svs"));
  await page.getByRole("button", { name: s.upload }).click();
  await page.getByRole("link", { name: "openslide-small.svs" }).click({ timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1 })).toContainText("openslide-small.svs");
  await expect(page.getByText(s.resolution.replace("{{mpp}}", "0.499"))).toBeVisible();
  await expect(page.getByRole("img", { name: s.canvas }).locator("canvas").first()).toBeVisible();
  await expect(page.getByRole("status", { name: s.scaleBar })).toContainText(/\d+ (µm|mm)/);

  // A DICOM whole-slide image: JPEG-LS tiles assembled by their positions, the scale from DICOM's pixel spacing.
  await page.goto(caseUrl);
  await page.getByLabel(s.file).setInputFiles(path.join(CORPUS, "pathology/sm-wsi-tiled-jpegls-synthetic.dcm"));
  await page.getByRole("button", { name: s.upload }).click();
  await page.getByRole("link", { name: "sm-wsi-tiled-jpegls-synthetic.dcm" }).click({ timeout: 30_000 });
  await expect(page.getByText(s.resolution.replace("{{mpp}}", "0.499"))).toBeVisible();
  await expect(page.getByRole("img", { name: s.canvas }).locator("canvas").first()).toBeVisible();
  await expect(page.getByRole("status", { name: s.scaleBar })).toContainText(/\d+ (µm|mm)/);

  await page.goto(caseUrl);
  await page.getByLabel(s.file).setInputFiles(largeHematoxylinEosinJpeg());
  await page.getByRole("button", { name: s.upload }).click();
  await page.getByRole("link", { name: "he-large.jpg" }).click({ timeout: 30_000 });
  await expect(page.getByText(s.noResolution)).toBeVisible();
  const canvas = page.getByRole("img", { name: s.canvas });
  await expect(canvas.locator("canvas").first()).toBeVisible();
  await expect.poll(async () => Number(await canvas.getAttribute("data-zoom"))).toBeGreaterThan(0);
  const fitted = Number(await canvas.getAttribute("data-zoom"));
  await page.getByRole("button", { name: s.zoomIn }).click();
  await page.getByRole("button", { name: s.zoomIn }).click();
  await expect.poll(async () => Number(await canvas.getAttribute("data-zoom"))).toBeGreaterThan(fitted * 3);

  // Annotations: an ellipse drawn by dragging, a text label placed by a click; both stay after a reload.
  const a = s.annotations;
  await page.getByRole("button", { name: s.fit }).click();
  const box = (await canvas.boundingBox())!;
  await page.getByRole("button", { name: a.ellipse, exact: true }).click();
  await page.mouse.move(box.x + box.width / 2 - 80, box.y + box.height / 2 - 50);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 50, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByRole("listitem").filter({ hasText: a.ellipse })).toHaveCount(1);
  await page.getByLabel(a.label).fill("Tumour margin");
  await page.getByRole("button", { name: a.text, exact: true }).click();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2 - 100);
  await expect(page.getByRole("listitem").filter({ hasText: `${a.text}: Tumour margin` })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("listitem").filter({ hasText: a.ellipse })).toHaveCount(1);
  await expect(page.getByRole("listitem").filter({ hasText: `${a.text}: Tumour margin` })).toBeVisible();
  await page.getByRole("button", { name: a.deleteNamed.replace("{{number}}", "1") }).click();
  await expect(page.getByRole("listitem").filter({ hasText: a.ellipse })).toHaveCount(0);

  await page.goto(`${caseUrl}?lng=zh-CN`);
  await page.getByLabel(zh.file).setInputFiles(path.join(CORPUS, "pathology/openslide-unreadable.svs"));
  await page.getByRole("button", { name: zh.upload }).click();
  await expect(page.getByText(zh.errors.unreadable)).toBeVisible({ timeout: 30_000 });
});

test("a user who may not see the case gets 404 for its slide tiles", async ({ page, browser }) => {
  await signIn(page, "physician@demo.test", "en");
  await newCase(page);
  await page.getByLabel(s.file).setInputFiles(path.join(CORPUS, "pathology/openslide-small.svs"));
  await page.getByRole("button", { name: s.upload }).click();
  const href = (await page.getByRole("link", { name: "openslide-small.svs" }).getAttribute("href", { timeout: 30_000 }))!;
  for (const file of ["slide.dzi", "slide_files/0/0_0.jpeg"]) {
    const answer = await page.request.get(`${href}/files/${file}`);
    expect(answer.status()).toBe(200);
    expect(answer.headers()["cache-control"]).toBe("private, no-store");
  }
  const other = await (await browser.newContext()).newPage();
  await signIn(other, "physician2@demo.test", "en");
  await expect(other).not.toHaveURL(/\/login/);
  expect((await other.request.get(`${href}/files/slide.dzi`)).status()).toBe(404);
  expect((await other.request.get(`${href}/files/slide_files/0/0_0.jpeg`)).status()).toBe(404);
});

test("a coordinator marks the slide region on screen as a key image; the case summary lists it and its link reopens that region", async ({ page }) => {
  await signIn(page, "coordinator@demo.test", "en");
  await expect(page).toHaveURL(/\/board/);
  await page
    .getByRole("link", { name: /TB-\d{4}-\d+/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/TB-\d{4}-\d+/);
  const caseUrl = page.url();
  await page.getByLabel(s.file).setInputFiles(path.join(CORPUS, "pathology/sm-wsi-tiled-synthetic.dcm"));
  await page.getByRole("button", { name: s.upload }).click();
  await page.getByRole("link", { name: "sm-wsi-tiled-synthetic.dcm", exact: true }).last().click({ timeout: 30_000 });

  const canvas = page.getByRole("img", { name: s.canvas });
  await expect(canvas).toHaveAttribute("data-region", "0,0,50,50");
  await page.getByRole("button", { name: s.zoomIn }).click();
  await page.getByRole("button", { name: s.zoomIn }).click();
  // Zooming animates: take the region once it has settled.
  let settled = "";
  await expect
    .poll(async () => {
      const before = await canvas.getAttribute("data-region");
      await page.waitForTimeout(300);
      settled = (await canvas.getAttribute("data-region")) ?? "";
      return before === settled && Number(settled.split(",")[3]) < 20;
    })
    .toBe(true);
  const marked = settled.split(",").map(Number);
  const k = TEXT.en.imaging.keyImages;
  await page.getByLabel(k.note).fill("Atypical glands in the centre");
  await page.getByRole("button", { name: k.markRegion }).click();
  await expect(page.getByRole("status").filter({ hasText: k.saved })).toBeVisible();

  await page.goto(caseUrl);
  const [x, y, width, height] = marked;
  const item = k.slideItem
    .replace("{{name}}", "sm-wsi-tiled-synthetic.dcm")
    .replace("{{width}}", String(width))
    .replace("{{height}}", String(height))
    .replace("{{x}}", String(x))
    .replace("{{y}}", String(y));
  await expect(page.getByRole("listitem").filter({ hasText: "Atypical glands in the centre" }).last()).toContainText(item);
  await page.getByRole("link", { name: item }).last().click();
  await expect(page).toHaveURL(new RegExp(`region=${marked.join(",")}`));
  // The viewer opens on that region: what is on screen is the marked rectangle, give or take the pixels rounding adds at its edges.
  await expect
    .poll(async () =>
      ((await canvas.getAttribute("data-region")) ?? "")
        .split(",")
        .map(Number)
        .map((v, i) => (Math.abs(v - marked[i]) <= 2 ? marked[i] : v)),
    )
    .toEqual(marked);
});
