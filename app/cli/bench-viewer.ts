/**
 * `npm run bench:viewer`: a 100-slice CT series (the corpus CT slices copied
 * with fresh UIDs and positions) and the corpus 30-frame ultrasound are stored
 * through STOW-RS on a server in its own process; headless Chromium signs in
 * and opens them in the viewer, on localhost and then over an emulated
 * trans-Pacific link (Chrome DevTools Protocol: 200 ms latency, 20 Mbit/s
 * down, 5 up). For each link, the median of 5 runs (each in a fresh browser
 * context, so the browser has nothing cached; the server keeps what it renders
 * and codes, as it does for every later reader, so the first run is printed on
 * its own too) of: the first slice of the CT and of the ultrasound on screen
 * (the server's preview image as the browser painted it, or the viewer's
 * canvas) and drawn by the viewer, when the whole CT stack has been scrolled through once
 * (every slice rendered), and scrolling frames per second once prefetched.
 * Then a live board on the same CT: the presenter (a consultant abroad)
 * reaches the server through a TCP relay that holds every byte 100 ms each
 * way, the follower (the treating physician) is beside the server; the
 * presenter steps through slices and the figure is, per move, the time from
 * the presenter's key press to the follower's viewer rendering that slice
 * (median and slowest of the moves, each run in fresh contexts).
 * `--cpu-slowdown N` runs the viewer pages' main thread N times slower (DevTools Protocol CPU throttling), to see how
 * a slower reading workstation fares; the board part is not slowed.
 * The last line is one JSON object.
 */
import { readFileSync, rmSync } from "node:fs";
import { createServer, connect, type Socket } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";
import { benchCase, benchWorkspace, median, signedInPage, startOurServer } from "./bench-server";

const { values } = parseArgs({
  options: {
    slices: { type: "string", default: "100" },
    runs: { type: "string", default: "5" },
    // A part of the benchmark only, e.g. `--only localhost` while working on it.
    only: { type: "string", default: "localhost,pacific,board" },
    // The page's main thread this many times slower (DevTools Protocol CPU throttling): a slower reading workstation.
    "cpu-slowdown": { type: "string", default: "1" },
  },
});
const parts = new Set(values.only.split(","));
const sliceCount = Number(values.slices);
const runs = Number(values.runs);
const cpuSlowdown = Number(values["cpu-slowdown"]);
if (!(cpuSlowdown >= 1 && cpuSlowdown <= 20)) throw new Error("--cpu-slowdown takes a factor from 1 to 20");
const LINKS = {
  localhost: null,
  pacific: { offline: false, latency: 200, downloadThroughput: (20 * 1024 * 1024) / 8, uploadThroughput: (5 * 1024 * 1024) / 8 },
} as const;
const LINK_ONE_WAY_MS = 100;
const BOARD_MOVES = 15;
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

/** A TCP relay to `port` on its own port that delivers every byte `delayMs` late in each direction, in order. */
function delayedLink(port: number, delayMs: number): Promise<{ base: string; close: () => void }> {
  const pipe = (from: Socket, to: Socket) => {
    from.on("data", (chunk) => setTimeout(() => to.writable && to.write(chunk), delayMs));
    from.on("end", () => setTimeout(() => to.end(), delayMs));
    from.on("error", () => to.destroy());
  };
  const relay = createServer((client) => {
    const upstream = connect(port, "127.0.0.1");
    pipe(client, upstream);
    pipe(upstream, client);
  });
  return new Promise((resolve) =>
    relay.listen(0, "127.0.0.1", () => resolve({ base: `http://127.0.0.1:${(relay.address() as { port: number }).port}`, close: () => relay.close() })),
  );
}

const { base, process: server } = await startOurServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const { db, caseId, token } = await benchCase();
  const boundary = "bench-viewer";
  const ultrasound = readFileSync(path.join(corpus, "multiframe/us-30f-jpeg-ybr.dcm"));
  const body = Buffer.concat([
    ...[...buildSeries(), ultrasound].flatMap((f) => [Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), f, Buffer.from("\r\n")]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  const stored = await fetch(`${base}/dicomweb/cases/${caseId}/studies`, {
    method: "POST",
    body: new Uint8Array(body),
    headers: { authorization: `Bearer ${token}`, "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}` },
  });
  if (stored.status !== 200) throw new Error(`STOW answered ${stored.status}`);
  const ctSeries = await db.imagingSeries.findFirstOrThrow({ where: { study: { caseId }, modality: "CT" } });
  const usSeries = await db.imagingSeries.findFirstOrThrow({ where: { study: { caseId }, modality: "US" } });

  /** One run in a fresh context: sign in on the plain link, then open each series over `link`. */
  async function oneRun(link: (typeof LINKS)[keyof typeof LINKS]) {
    const { context, page } = await signedInPage(browser, base);
    // Each series is opened from a settled page, as a reader would: not while the page before it is still loading.
    await page.waitForLoadState("networkidle");
    // The preview carries `elementtiming`: the browser records when it painted it, which a polling loop sees only later
    // when the page's scripts hold the main thread.
    await page.addInitScript({
      content: `new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (entry.identifier === "viewer-preview") window.previewPaintedAt ??= entry.renderTime || entry.loadTime;
      }).observe({ type: "element", buffered: true });`,
    });
    const cdp = await context.newCDPSession(page);
    if (cpuSlowdown > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpuSlowdown });
    if (link) {
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", link);
    }

    /**
     * Milliseconds from the start of navigation to the series page until the slice is on screen (the server's preview
     * image painted, or the canvas drawn, whichever is first) and until the viewer's canvas shows a non-black pixel.
     */
    const firstSlice = async (seriesId: string) => {
      await page.goto(`${base}/cases/${caseId}/series/${seriesId}`, { waitUntil: "commit" });
      return page.evaluate(
        () =>
          new Promise<{ visible: number; drawn: number }>((resolve) => {
            let visible: number | null = null;
            const check = () => {
              // When the browser painted the preview (Element Timing): a preview the page carries is loaded before it is painted.
              const painted = (window as unknown as { previewPaintedAt?: number }).previewPaintedAt;
              if (visible === null && painted !== undefined) visible = painted;
              const canvas = document.querySelector<HTMLCanvasElement>(".viewer-viewport canvas");
              const data = canvas?.width ? canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data : null;
              if (data && data.some((v, i) => i % 4 !== 3 && v > 0)) resolve({ visible: visible ?? performance.now(), drawn: performance.now() });
              else requestAnimationFrame(check);
            };
            check();
          }),
      );
    };
    /** Steps through the whole stack with the arrow key, one step per rendered slice; frames per second and when it ended. */
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
        return { fps: (count - 1) / ((performance.now() - started) / 1000), endedAt: performance.now() };
      }, sliceCount);

    const ct = await firstSlice(ctSeries.id);
    const firstPass = await scrollPass();
    const prefetched = await scrollPass();
    await page.waitForLoadState("networkidle");
    const us = await firstSlice(usSeries.id);
    // The next run does not share the server with this one's last requests.
    await page.waitForLoadState("networkidle");
    await context.close();
    return {
      ctFirstSliceShownMs: ct.visible,
      ctFirstSliceMs: ct.drawn,
      ctStackScrolledMs: firstPass.endedAt,
      usFirstSliceShownMs: us.visible,
      usFirstSliceMs: us.drawn,
      scrollFps: prefetched.fps,
    };
  }

  /** One board run in fresh contexts: milliseconds from each of the presenter's moves to the follower's render of that slice. */
  async function oneBoardRun(link: { base: string }) {
    const board = await scheduleBoard(db, caseId);
    const presenter = await signedInPage(browser, link.base, "consultant@demo.test");
    const follower = await signedInPage(browser, base, "physician@demo.test");
    const room = (p: Page, at: string) => p.goto(`${at}/sessions/${board.sessionId}/room?lng=en`);
    await Promise.all([room(presenter.page, link.base), room(follower.page, base)]);
    await presenter.page.getByRole("button", { name: "Start the board" }).click();
    await presenter.page.getByRole("button", { name: `Discuss ${board.caseCode} now` }).click();
    const viewport = (p: Page) => p.locator(".viewer-viewport[data-slice]").first();
    for (const p of [presenter.page, follower.page]) await viewport(p).and(p.locator("[data-drawn]")).waitFor({ timeout: 60_000 });
    await follower.page.evaluate(() => {
      const w = window as unknown as { renderedAt: Record<string, number> };
      w.renderedAt = {};
      const element = document.querySelector<HTMLElement>(".viewer-viewport[data-slice]")!;
      element.addEventListener("cornerstoneimagerendered", () => {
        const slice = element.dataset.slice!;
        w.renderedAt[slice] ??= performance.timeOrigin + performance.now();
      });
    });
    await viewport(presenter.page).focus();
    const latencies: number[] = [];
    for (let move = 2; move <= BOARD_MOVES + 1; move++) {
      const pressedAt = await presenter.page.evaluate(() => performance.timeOrigin + performance.now());
      await presenter.page.keyboard.press("ArrowDown");
      const renderedAt = await follower.page.waitForFunction(
        (slice) => (window as unknown as { renderedAt: Record<string, number> }).renderedAt[slice],
        String(move),
        { timeout: 30_000, polling: "raf" },
      );
      latencies.push((await renderedAt.jsonValue()) - pressedAt);
      // Moves a second apart, as a presenter talks through a stack, so each is measured on its own.
      await follower.page.waitForTimeout(1000);
    }
    await Promise.all([presenter.context.close(), follower.context.close()]);
    return latencies;
  }

  const results: Record<string, Record<string, number>> = {};
  console.log(
    `Series: ${sliceCount} CT slices of 512 x 512, 16-bit, and a 30-frame ultrasound; median of ${runs} runs per link` +
      (cpuSlowdown > 1 ? `; the page's main thread ${cpuSlowdown} times slower` : ""),
  );
  for (const [name, link] of Object.entries(LINKS).filter(([name]) => parts.has(name))) {
    const each: Awaited<ReturnType<typeof oneRun>>[] = [];
    for (let run = 0; run < runs; run++) each.push(await oneRun(link));
    const figure = (key: keyof (typeof each)[number]) => median(each.map((r) => r[key]));
    results[name] = {
      ctFirstSliceShownMs: Math.round(figure("ctFirstSliceShownMs")),
      ctFirstSliceMs: Math.round(figure("ctFirstSliceMs")),
      ctStackScrolledMs: Math.round(figure("ctStackScrolledMs")),
      usFirstSliceShownMs: Math.round(figure("usFirstSliceShownMs")),
      usFirstSliceMs: Math.round(figure("usFirstSliceMs")),
      scrollFps: +figure("scrollFps").toFixed(1),
    };
    const r = results[name];
    console.log(
      `${name}, CT first slice on screen in each run: ${each.map((r) => Math.round(r.ctFirstSliceShownMs)).join(", ")} ms (in the first, the server had kept nothing yet)`,
    );
    console.log(
      `${name === "pacific" ? "200 ms, 20/5 Mbit/s link" : "localhost"}: CT first slice on screen ${r.ctFirstSliceShownMs} ms, in the viewer ${r.ctFirstSliceMs} ms; whole CT stack scrolled ${r.ctStackScrolledMs} ms after opening; ultrasound first frame on screen ${r.usFirstSliceShownMs} ms, in the viewer ${r.usFirstSliceMs} ms; ${r.scrollFps} frames/s once prefetched`,
    );
  }
  if (parts.has("board")) {
    const link = await delayedLink(new URL(base).port ? Number(new URL(base).port) : 80, LINK_ONE_WAY_MS);
    const moves: number[][] = [];
    for (let run = 0; run < runs; run++) moves.push(await oneBoardRun(link));
    link.close();
    results.board = {
      followerMedianMs: Math.round(median(moves.map((m) => median(m)))),
      followerSlowestMs: Math.round(median(moves.map((m) => Math.max(...m)))),
    };
    console.log(
      `board, presenter ${LINK_ONE_WAY_MS} ms away each way: follower renders the presenter's slice ${results.board.followerMedianMs} ms after the key press (median of ${BOARD_MOVES} moves; slowest move ${results.board.followerSlowestMs} ms)`,
    );
  }
  await db.$disconnect();
  console.log(
    JSON.stringify({
      benchmark: "viewer",
      slices: sliceCount,
      runs,
      cpuSlowdown,
      ...results,
      goals: { localhost: { firstSliceMs: 300, scrollFps: 30 }, pacific: { firstSliceMs: 1000, ctStackScrolledMs: 8000 }, board: { followerMedianMs: 300 } },
    }),
  );
} finally {
  await browser.close();
  // The server may still be writing renditions: its files go once it has exited.
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);

/** A board in progress on the bench case: chaired by the demo consultant, with the case's physician invited. */
async function scheduleBoard(db: Awaited<ReturnType<typeof benchCase>>["db"], caseId: string) {
  const user = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).id;
  const [chair, physician, coordinator] = await Promise.all(["consultant@demo.test", "physician@demo.test", "coordinator@demo.test"].map(user));
  const scheduled = await db.case.update({ where: { id: caseId }, data: { status: "SCHEDULED" } });
  const session = await db.boardSession.create({
    data: {
      title: "Benchmark board",
      startsAt: new Date(),
      durationMinutes: 60,
      timeZone: "Asia/Shanghai",
      chairId: chair,
      createdById: coordinator,
      invitees: {
        create: [
          { userId: chair, kind: "CHAIR" },
          { userId: physician, kind: "PHYSICIAN" },
        ],
      },
      agenda: { create: [{ caseId, position: 0 }] },
    },
  });
  return { sessionId: session.id, caseCode: scheduled.code };
}
