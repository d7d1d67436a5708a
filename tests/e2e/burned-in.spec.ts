import { makeBurnedInImage } from "../support/burned-in-image";
import { expect, signIn, TEXT, test } from "./fixtures";

const zh = TEXT["zh-CN"].imaging;

test("the review of a flagged series shows each image with the text OCR found outlined over it", async ({ page }) => {
  test.setTimeout(120_000);
  const { dicom } = makeBurnedInImage();
  await signIn(page, "physician@demo.test", "zh-CN");
  await page.getByRole("button", { name: TEXT["zh-CN"].cases.list.new }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await page.goto(page.url().replace(/\/edit$/, ""));
  await page.getByLabel(zh.upload.files, { exact: true }).setInputFiles(dicom);
  await expect(page.getByText(zh.studies.burnedIn)).toBeVisible({ timeout: 30_000 });

  // img2dcm gives the series no number.
  await page.getByRole("link", { name: zh.burnedIn.link.replace("{{number}}", "—") }).click();
  await expect(page.getByRole("heading", { level: 1, name: zh.burnedIn.title.replace("{{number}}", "—") })).toBeVisible();
  // OCR runs in the background: the page shows its result once it is done.
  const boxes = page.getByRole("img", { name: /^已标出\d+个文字框$/ });
  await expect(async () => {
    await page.reload();
    await expect(boxes).toBeVisible({ timeout: 1_000 });
    expect(Number(/\d+/.exec((await boxes.getAttribute("aria-label")) ?? "")?.[0])).toBeGreaterThanOrEqual(4);
  }).toPass({ timeout: 60_000 });
  const count = Number(/\d+/.exec((await boxes.getAttribute("aria-label")) ?? "")![0]);
  await expect(boxes.locator("rect")).toHaveCount(count);
  await expect(page.getByRole("status").filter({ hasText: "文字框" })).toContainText(
    zh.burnedIn.summary.replace("{{count}}", String(count)).replace("{{images}}", "1"),
  );

  // The image under the boxes is the frame itself, and the boxes sit over its top, where the names were drawn.
  const image = page.getByRole("img", { name: zh.burnedIn.imageAlt.replace("{{number}}", "1").replace("{{frame}}", "1") });
  await expect(image).toBeVisible();
  expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(512);
  const tops = await boxes.locator("rect").evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("y"))));
  expect(tops.filter((y) => y < 90).length).toBeGreaterThanOrEqual(4);
  // Only coordinators clear a series.
  await expect(page.getByRole("button", { name: zh.burnedIn.clear })).toHaveCount(0);
});
