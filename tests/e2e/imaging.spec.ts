import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, signIn, TEXT, test, startCase } from "./fixtures";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const zh = TEXT["zh-CN"].imaging;

/** The identifying values dcmdump reads from an original: patient name, ID and birth date, and the study, series and instance UIDs. */
function identifiers(file: string): string[] {
  const tags = ["0010,0010", "0010,0020", "0010,0030", "0020,000d", "0020,000e", "0008,0018"];
  const out = execFileSync("dcmdump", ["-q", ...tags.flatMap((t) => ["+P", t]), file], { encoding: "latin1" });
  return [...out.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1].trim()).filter((v) => v.length >= 4);
}

test("a physician uploads a CT series and a damaged file, and sees each file's result and the indexed series", async ({ page }) => {
  const sent: Buffer[] = [];
  await page.route(/\/cases\/[^/]+\/imaging$/, async (route) => {
    if (route.request().method() === "POST") sent.push(route.request().postDataBuffer() ?? Buffer.alloc(0));
    await route.continue();
  });
  await signIn(page, "physician@demo.test", "zh-CN");
  await startCase(page, "zh-CN");
  await page.goto(page.url().replace(/\/edit$/, ""));
  await page
    .getByLabel(zh.upload.files, { exact: true })
    .setInputFiles(
      ["ct-series/ct-3slice-01.dcm", "ct-series/ct-3slice-02.dcm", "ct-series/ct-3slice-03.dcm", "malformed/no-rows.dcm"].map((f) => path.join(CORPUS, f)),
    );
  await expect(
    page
      .getByRole("status")
      .filter({ hasText: zh.upload.summary.replace("{{stored}}", "3").replace("{{duplicate}}", "0").replace("{{rejected}}", "1").replace("{{failed}}", "0") }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("row").filter({ hasText: "no-rows.dcm" })).toContainText(zh.rejections.missingRows);
  await expect(page.getByText(/CT .*3 幅图像/)).toBeVisible();

  // De-identified in the browser: no request body carries the originals' names, IDs, birth dates or UIDs.
  // The three readable files went together in one batch; the damaged one never left.
  expect(sent).toHaveLength(1);
  expect(sent[0].toString("latin1").match(/Content-Type: application\/dicom/g)).toHaveLength(3);
  const originals = ["ct-series/ct-3slice-01.dcm", "ct-series/ct-3slice-02.dcm", "ct-series/ct-3slice-03.dcm", "malformed/no-rows.dcm"].flatMap((f) =>
    identifiers(path.join(CORPUS, f)),
  );
  expect(originals.length).toBeGreaterThan(12);
  for (const body of sent) {
    expect(body.length).toBeGreaterThan(1_500_000);
    const text = body.toString("latin1");
    for (const value of originals) expect(text, value).not.toContain(value);
  }
});

test("a ZIP of a CT series is unpacked and every file in it is stored", async ({ page }) => {
  const { zipSync } = await import("fflate");
  const { readFileSync } = await import("node:fs");
  const zip = zipSync(
    Object.fromEntries(
      ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) => [`CT/${f}`, new Uint8Array(readFileSync(path.join(CORPUS, "ct-series", f)))]),
    ),
  );
  await signIn(page, "physician@demo.test", "en");
  await startCase(page, "en");
  await page.goto(page.url().replace(/\/edit$/, ""));
  await page
    .getByLabel(TEXT.en.imaging.upload.files, { exact: true })
    .setInputFiles({ name: "study.zip", mimeType: "application/zip", buffer: Buffer.from(zip) });
  const en = TEXT.en.imaging.upload.summary;
  await expect(
    page
      .getByRole("status")
      .filter({ hasText: en.replace("{{stored}}", "3").replace("{{duplicate}}", "0").replace("{{rejected}}", "0").replace("{{failed}}", "0") }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("row").filter({ hasText: "study.zip/CT/ct-3slice-02.dcm" })).toContainText(TEXT.en.imaging.upload.status.stored);
});

test("STOW-RS answers every request of a series sent one instance at a time", async ({ page }) => {
  const { readFileSync } = await import("node:fs");
  await signIn(page, "physician@demo.test", "en");
  await startCase(page, "en");
  const caseId = page.url().split("/").at(-2)!;
  const csrf = await page.locator('input[name="csrf"]').first().inputValue();
  const slices = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) => [...readFileSync(path.join(CORPUS, "ct-series", f))]);
  // Each body ends with CRLF after its closing boundary: a server that stops reading at the boundary drops the connection.
  const statuses = await page.evaluate(
    async ({ url, csrf, slices }) => {
      const boundary = "stow-each";
      const out: string[] = [];
      for (let i = 0; i < 24; i++) {
        const body = new Blob([`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, new Uint8Array(slices[i % 3]), `\r\n--${boundary}--\r\n`]);
        const headers = { "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}`, "x-csrf-token": csrf };
        out.push(
          await fetch(url, { method: "POST", body, headers }).then(
            (r) => String(r.status),
            (e: Error) => e.message,
          ),
        );
      }
      return out;
    },
    { url: `/dicomweb/cases/${caseId}/studies`, csrf, slices },
  );
  expect(statuses).toEqual(Array.from({ length: 24 }, () => "200"));
});
