/**
 * `npm run bench:viewer`: a 100-slice CT series (the corpus CT slices copied
 * with fresh UIDs and positions) is stored through STOW-RS on a server in its
 * own process; headless Chromium signs in and opens the series in the viewer.
 * Prints the time from opening the series to the first rendered slice, and
 * scrolling frames per second over the whole stack, the first pass (as slices
 * arrive) and once prefetched. The last line is one JSON object.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { benchCase, benchWorkspace, startOurServer } from "./bench-server";

const { values } = parseArgs({ options: { slices: { type: "string", default: "100" } } });
const sliceCount = Number(values.slices);
const corpus = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const work = benchWorkspace("viewer");

const { parsePart10, writePart10, tagOf, encodeString } = await import("~/features/imaging/dicom/part10");
type Element = import("~/features/imaging/dicom/part10").Element;
const { dictionaryVr } = await import("~/features/imaging/dicom/deid-profile");

/** One series of `sliceCount` slices, 1 mm apart, cycling through the corpus CT pixel data. */
function buildSeries(): Buffer[] {
  const slices = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) =>
    parsePart10(readFileSync(path.join(corpus, "ct-series", f)), dictionaryVr),
  );
  const root = "1.2.826.0.1.3680043.10.1453.77";
  return Array.from({ length: sliceCount }, (_, i) => {
    const slice = slices[i % slices.length];
    const replace =
      (tag: number, value: Uint8Array) =>
      (e: Element): Element =>
        e.tag === tag ? { ...e, value } : e;
    const uid = `${root}.3.${i + 1}`;
    const dataset = slice.dataset
      .map(replace(tagOf(0x0020, 0x000d), encodeString(`${root}.1`, "UI")))
      .map(replace(tagOf(0x0020, 0x000e), encodeString(`${root}.2`, "UI")))
      .map(replace(tagOf(0x0008, 0x0018), encodeString(uid, "UI")))
      .map(replace(tagOf(0x0020, 0x0013), encodeString(String(i + 1), "IS")))
      .map(replace(tagOf(0x0020, 0x0032), encodeString(`-235.2\\-226.8\\${(-100 - i).toFixed(1)}`, "DS")));
    const meta = slice.meta.map(replace(tagOf(0x0002, 0x0003), encodeString(uid, "UI")));
    return Buffer.from(writePart10({ ...slice, dataset, meta }));
  });
}

const { base, process: server } = await startOurServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const { DEMO_PASSWORD } = await import("~/seed/seed.server");
  const { db, caseId, token } = await benchCase();
  const boundary = "bench-viewer";
  const body = Buffer.concat([
    ...buildSeries().flatMap((f) => [Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), f, Buffer.from("\r\n")]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  const stored = await fetch(`${base}/dicomweb/cases/${caseId}/studies`, {
    method: "POST",
    body: new Uint8Array(body),
    headers: { authorization: `Bearer ${token}`, "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}` },
  });
  if (stored.status !== 200) throw new Error(`STOW answered ${stored.status}`);
  const series = await db.imagingSeries.findFirstOrThrow({ where: { study: { caseId: caseId } } });
  await db.$disconnect();

  const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
  // tsx names the functions handed to page.evaluate with a helper the page does not have.
  await page.addInitScript({ content: "window.__name = (f) => f;" });
  await page.goto(`${base}/login?lng=en`);
  await page.getByLabel("Email", { exact: true }).fill("physician@demo.test");
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));

  const openStarted = Date.now();
  await page.goto(`${base}/cases/${caseId}/series/${series.id}`, { waitUntil: "commit" });
  const firstSliceMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const check = () => {
          const canvas = document.querySelector<HTMLCanvasElement>(".viewer-viewport canvas");
          const data = canvas?.width ? canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data : null;
          if (data && data.some((v, i) => i % 4 !== 3 && v > 0)) resolve(performance.now());
          else requestAnimationFrame(check);
        };
        check();
      }),
  );
  const navigationMs = Date.now() - openStarted;

  /** Steps through the whole stack with the arrow key, one step per rendered slice. */
  const scrollPass = () =>
    page.evaluate(async (count: number) => {
      const viewport = document.querySelector<HTMLElement>(".viewer-viewport")!;
      viewport.focus();
      const rendered = () => new Promise<void>((resolve) => viewport.addEventListener("cornerstoneimagerendered", () => resolve(), { once: true }));
      const key = (k: string) => viewport.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
      key("Home");
      await new Promise((r) => setTimeout(r, 50));
      const started = performance.now();
      for (let i = 1; i < count; i++) {
        const next = rendered();
        key("ArrowDown");
        await next;
      }
      return (count - 1) / ((performance.now() - started) / 1000);
    }, sliceCount);
  const firstPassFps = await scrollPass();
  const prefetchedFps = await scrollPass();

  console.log(`Series: ${sliceCount} CT slices of 512 x 512, 16-bit`);
  console.log(`First slice rendered ${Math.round(firstSliceMs)} ms after opening the series (page navigation start; ${navigationMs} ms by the wall clock)`);
  console.log(`Scrolling the whole stack: ${firstPassFps.toFixed(1)} frames/s on the first pass, ${prefetchedFps.toFixed(1)} frames/s once prefetched`);
  console.log(
    JSON.stringify({
      benchmark: "viewer",
      slices: sliceCount,
      firstSliceMs: Math.round(firstSliceMs),
      scrollFpsFirstPass: +firstPassFps.toFixed(1),
      scrollFps: +prefetchedFps.toFixed(1),
      goals: { firstSliceMs: 300, scrollFps: 30 },
    }),
  );
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);
