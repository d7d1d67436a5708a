import { makeBurnedInImage } from "../support/burned-in-image";
import { packetForm } from "../support/case-packet";
import { expect, signIn, TEXT, test, startCase } from "./fixtures";

const zh = TEXT["zh-CN"].imaging;
const en = TEXT.en.imaging;

test("the review of a flagged series shows each image with the text OCR found outlined over it; the coordinator adds a box and clears it", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const { dicom } = makeBurnedInImage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  await signIn(page, "physician@demo.test", "zh-CN");
  await startCase(page, "zh-CN");
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

  // The physician submits the case; the coordinator (in English) draws a box OCR missed, then clears the series.
  const reviewUrl = page.url();
  const caseUrl = reviewUrl.replace(/\/burned-in\/.*$/, "");
  await page.goto(`${caseUrl}/edit`);
  const version = await page.locator('input[name="version"]').first().inputValue();
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...packetForm(), intent: "submit", version })) for (const one of [value].flat()) form.append(key, one);
  await page.request.post(`${caseUrl}/edit`, { data: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });

  const coordinator = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
  await signIn(coordinator, "coordinator@demo.test", "en");
  await expect(coordinator).not.toHaveURL(/\/login/);
  await coordinator.goto(reviewUrl);
  const drawing = coordinator.getByRole("img", { name: en.burnedIn.boxesLabel.replace("{{count}}", String(count)) });
  await expect(drawing).toBeVisible();
  const addForm = coordinator.getByRole("form", { name: en.burnedIn.addBox });
  await addForm.getByLabel(en.burnedIn.frameField, { exact: true }).fill("1");
  await addForm.getByLabel(en.burnedIn.xField, { exact: true }).fill("300");
  await addForm.getByLabel(en.burnedIn.yField, { exact: true }).fill("250");
  await addForm.getByLabel(en.burnedIn.widthField, { exact: true }).fill("20");
  await addForm.getByLabel(en.burnedIn.heightField, { exact: true }).fill("10");
  await addForm.getByRole("button", { name: en.burnedIn.addBox }).click();
  await expect(coordinator.getByRole("img", { name: en.burnedIn.boxesLabel.replace("{{count}}", String(count + 1)) })).toBeVisible();
  await expect(coordinator.getByRole("cell", { name: en.burnedIn.drawnByHand })).toBeVisible();
  await coordinator.getByRole("button", { name: en.burnedIn.clear }).click();
  await expect(coordinator.getByText(en.burnedIn.cleared)).toBeVisible();
  await expect(coordinator.getByText(en.burnedIn.redacted, { exact: false })).toBeVisible();
  await coordinator.context().close();
});
