/**
 * OHIF Viewer v3 (the published build of @ohif/app, prepared by `npm run ohif:prepare`) as a DICOMweb client we did not
 * write: served at /ohif/cases/<id>/ on the app's origin, it reads the case's DICOMweb service with the session cookie.
 * A CT series uploaded to a case shows in OHIF's study list, opens in its viewer, and a slice is drawn.
 */
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, signIn, TEXT, test, startCase } from "./fixtures";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const CT = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) => path.join(CORPUS, "ct-series", f));
const en = TEXT.en;
// A loaded two-core machine: OHIF's bundles, WebAssembly codecs and software WebGL take their time.
const SLOW = 120_000;

/** A new case of the demo physician holding the CT series, uploaded through the case page; its id. */
async function caseWithCt(page: Page): Promise<string> {
  await signIn(page, "physician@demo.test", "en");
  await startCase(page, "en");
  const caseUrl = page.url().replace(/\/edit$/, "");
  await page.goto(caseUrl);
  await page.getByLabel(en.imaging.upload.files, { exact: true }).setInputFiles(CT);
  await expect(page.getByRole("link", { name: /Series .*3 images/ })).toBeVisible({ timeout: SLOW });
  return /\/cases\/([^/?#]+)/.exec(caseUrl)![1];
}

/** What the viewport's canvas shows: how many distinct grey levels, and the share of pixels that are not black. */
function canvasPixels(page: Page) {
  return page
    .locator("canvas.cornerstone-canvas")
    .first()
    .evaluate((canvas: HTMLCanvasElement) => {
      // Copied onto a 2D canvas of our own, so it reads the same whether the viewport draws with WebGL or 2D.
      const copy = document.createElement("canvas");
      copy.width = canvas.width;
      copy.height = canvas.height;
      const context = copy.getContext("2d")!;
      context.drawImage(canvas, 0, 0);
      const data = context.getImageData(0, 0, copy.width, copy.height).data;
      const levels = new Set<number>();
      let lit = 0;
      for (let i = 0; i < data.length; i += 4) {
        levels.add(data[i]);
        if (data[i] > 16) lit++;
      }
      return { width: canvas.width, height: canvas.height, levels: levels.size, litShare: lit / (data.length / 4) };
    })
    .catch(() => ({ width: 0, height: 0, levels: 0, litShare: 0 }));
}

test("OHIF lists the case's CT study from its DICOMweb service, opens the series and draws a slice", async ({ page }) => {
  test.setTimeout(6 * 60_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  // OHIF's DICOMweb requests, kept with the results; those the server refused are printed.
  const requests: string[] = [];
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith("/dicomweb/")) return;
    requests.push(`${response.status()} ${response.request().method()} ${url.pathname}${url.search} accept=${response.request().headers()["accept"] ?? ""}`);
  });
  try {
    const caseId = await caseWithCt(page);
    // OHIF's first-visit tour would cover the viewer.
    await page.addInitScript(() => localStorage.setItem("shownTours", JSON.stringify(["basicViewerTour"])));

    await page.goto(`/ohif/cases/${caseId}/`);
    const row = page.getByRole("row").filter({ hasText: /TB-\d{4}-\d{4}/ });
    await expect(row).toHaveCount(1, { timeout: SLOW });
    await expect(row).toContainText("CT");
    await expect(row).toContainText("3");

    await row.click();
    await page.getByRole("button", { name: "Basic Viewer" }).click();
    await expect(page).toHaveURL(new RegExp(`/ohif/cases/${caseId}/viewer\\?StudyInstanceUIDs=2\\.25\\.\\d+`), { timeout: SLOW });

    // The study browser lists the series from its metadata; double-clicking its thumbnail opens it in the viewport.
    const thumbnail = page.locator('[data-cy="study-browser-thumbnail"]').filter({ hasText: "CT" });
    await expect(thumbnail).toHaveCount(1, { timeout: SLOW });
    await thumbnail.dblclick();

    // A CT slice in a soft-tissue window: many grey levels, neither all black nor all lit.
    const drawn = async () => {
      const pixels = await canvasPixels(page);
      return pixels.levels >= 32 && pixels.litShare > 0.05 && pixels.litShare < 0.95 ? "drawn" : JSON.stringify(pixels);
    };
    await expect.poll(drawn, { timeout: SLOW, intervals: [500, 1_000, 2_000] }).toBe("drawn");
    // The viewport shows the first of the series' three images.
    await expect(page.locator('[data-cy="viewport-overlay-bottom-right"]').first()).toContainText("(1/3)", { timeout: SLOW });
  } finally {
    await test.info().attach("dicomweb-requests", { body: requests.join("\n"), contentType: "text/plain" });
    const refused = requests.filter((line) => !/^[23]\d\d /.test(line));
    if (refused.length > 0 || process.env.OHIF_LOG_REQUESTS)
      console.log(`OHIF's DICOMweb requests:\n${(process.env.OHIF_LOG_REQUESTS ? requests : refused).join("\n")}`);
  }
});

test("OHIF is for signed-in users only, and its data source reaches only cases the reader may see", async ({ page, request }) => {
  const signedOut = await request.get("/ohif/cases/anything/", { maxRedirects: 0 });
  expect(signedOut.status()).toBe(303);
  expect(signedOut.headers()["location"]).toBe(`/login?${new URLSearchParams({ redirectTo: "/ohif/cases/anything/" })}`);
  expect((await request.get("/ohif/app.bundle.css", { maxRedirects: 0 })).status()).toBe(303);

  const caseId = await caseWithCt(page);
  // The page and its configuration: OHIF's policy in place of the app's, the case's service root as the data source.
  const shell = await page.request.get(`/ohif/cases/${caseId}/`);
  expect(shell.status()).toBe(200);
  expect(shell.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  const config = await (await page.request.get(`/ohif/cases/${caseId}/app-config.js`)).text();
  expect(config).toContain(`window.location.origin + "/dicomweb/cases/${caseId}"`);
  expect(config).not.toMatch(/https?:\/\//);

  // A physician of another institution may open OHIF, but the case's service answers as if the case did not exist.
  await page.context().clearCookies();
  await signIn(page, "physician2@demo.test", "en");
  await expect(page).not.toHaveURL(/\/login/);
  expect((await page.request.get(`/ohif/cases/${caseId}/`)).status()).toBe(200);
  expect((await page.request.get(`/dicomweb/cases/${caseId}/studies`)).status()).toBe(404);
});

test("the DICOMweb service answers over HTTP as an API: a Bearer challenge, no page policy, HEAD without a body, and no cross-site store", async ({
  page,
  request,
}) => {
  const caseId = await caseWithCt(page);
  const root = `/dicomweb/cases/${caseId}`;

  const anonymous = await request.get(`${root}/studies`);
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()["www-authenticate"]).toBe('Bearer realm="dicomweb"');
  expect(anonymous.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(anonymous.headers()["x-content-type-options"]).toBe("nosniff");

  const studies = await page.request.get(`${root}/studies`, { headers: { accept: "application/dicom+json" } });
  expect(studies.status()).toBe(200);
  const [study] = (await studies.json()) as Record<string, { Value: string[] }>[];
  expect(study["00201208"].Value[0]).toBe(3);
  const head = await page.request.head(`${root}/studies`);
  expect(head.status()).toBe(200);
  expect(await head.body()).toHaveLength(0);

  // A page on another site cannot make the reader's browser store into the case.
  const crossSite = await page.request.post(`${root}/studies`, {
    headers: { origin: "https://attacker.example", "content-type": 'multipart/related; type="application/dicom"; boundary=x' },
    data: "--x--\r\n",
  });
  expect(crossSite.status()).toBe(403);
  const preflight = await request.fetch(`${root}/studies`, { method: "OPTIONS", headers: { origin: "https://attacker.example" } });
  expect(preflight.status()).toBe(204);
  expect(preflight.headers()["access-control-allow-origin"]).toBeUndefined();
});
