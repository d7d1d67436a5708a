/**
 * Instances fetched from WADO-RS and parsed once per page, shared by every frame of a multi-frame instance. The viewer
 * asks for 8-bit JPEG baseline as stored first (it matches only instances stored so, mostly colour ultrasound and
 * endoscopy: a thirtieth of their decoded bytes, decoded by the browser, and nothing for the server to decode), then
 * JPEG-LS lossless (about a third of the bytes of native CT pixels; the server codes it once and keeps it), and takes
 * Explicit VR Little Endian where neither can be given (colour in other syntaxes, 1 or 32 bits). A JPEG the browser
 * does not decode as DICOM means it (`NEEDS_SERVER_DECODING`) is asked for again without JPEG baseline, and so is
 * every later instance of its series. Answers are parsed and decoded in two workers (`instance-decode.worker.ts`), but
 * for the slice the page preloaded.
 *
 * Over a slow link (the preloaded slice's body arrived slower than SLOW_LINK_BYTES_PER_SECOND) a stack loads in two
 * passes: each slice near-lossless first (JPEG-LS with every value within a few of the stored one, about half the
 * bytes), so the whole stack can be scrolled sooner, then lossless, which replaces it. The viewer says which it shows.
 */
import { TS } from "~/features/imaging/dicom/part10";
import { firstPart, NEEDS_SERVER_DECODING, parseInstanceInBrowser, type ParsedInstance } from "./dicom-image";
import type { DecodeAnswer, DecodeRequest } from "./instance-decode.worker";

const accepted = (...syntaxes: string[]) => syntaxes.map((syntax) => `multipart/related; type="application/dicom"; transfer-syntax=${syntax}`).join(", ");

export const VIEWER_ACCEPT = accepted(TS.jpegBaseline, TS.jpegLsLossless, `${TS.explicitLE}; q=0.5`);

/** The first pass: JPEG baseline as stored, else near-lossless where the server can code it, else the best of the above. */
export const FIRST_PASS_ACCEPT = accepted(TS.jpegBaseline, TS.jpegLsNearLossless, `${TS.jpegLsLossless}; q=0.9`, `${TS.explicitLE}; q=0.5`);

/** For JPEG baseline the browser does not decode (`NEEDS_SERVER_DECODING`). */
const SERVER_DECODED_ACCEPT = accepted(TS.jpegLsLossless, `${TS.explicitLE}; q=0.5`);
/** Series (their URL) of which an instance needed the server to decode it: their other instances are asked for so at once. */
const serverDecodedSeries = new Set<string>();
const seriesOf = (url: string) => url.slice(0, url.lastIndexOf("/instances/"));

/** Below this (20 Mbit/s across the Pacific is 2.5 MB/s; localhost, even loaded, is tens of MB/s), a stack loads in two passes. */
const SLOW_LINK_BYTES_PER_SECOND = 5_000_000;
/** A body this small arrives in one burst and says nothing about the link. */
const MEASURABLE_BYTES = 64 * 1024;

const DECODE_WORKERS = 2;

type Entry = { arrived: Promise<unknown>; parsed: Promise<ParsedInstance> };
const instances = new Map<string, Entry>();

const decoders: Worker[] = [];
const waiting = new Map<number, { resolve: (parsed: ParsedInstance) => void; reject: (error: Error) => void }>();
let requests = 0;

function startDecoder(): Worker {
  const worker = new Worker(new URL("./instance-decode.worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }: MessageEvent<DecodeAnswer>) => {
    const pending = waiting.get(data.id);
    waiting.delete(data.id);
    if ("parsed" in data) pending?.resolve(data.parsed);
    else pending?.reject(new Error(data.error));
  };
  return worker;
}

// Started as the page's code loads, so the workers' script arrives while the first slice does, not after it.
if (typeof Worker !== "undefined" && typeof document !== "undefined") for (let i = 0; i < DECODE_WORKERS; i++) decoders.push(startDecoder());

function decode(body: ArrayBuffer, contentType: string): Promise<ParsedInstance> {
  const id = ++requests;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    const request: DecodeRequest = { id, body, contentType };
    decoders[id % decoders.length].postMessage(request, [body]);
  });
}

const noop = () => undefined;
/** Whether a WADO-RS answer holds JPEG baseline (its part's header names the transfer syntax). */
const isJpegBaseline = (body: ArrayBuffer) =>
  new TextDecoder("latin1").decode(new Uint8Array(body, 0, Math.min(body.byteLength, 512))).includes(`transfer-syntax=${TS.jpegBaseline}`);

async function fetchBody(url: string, accept: string | null) {
  const response = await fetch(url, { credentials: "same-origin", headers: accept ? { accept } : undefined });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  return { bytes, contentType: response.headers.get("content-type") ?? "", jpegBaseline: isJpegBaseline(bytes) };
}

type Pass = "full" | "first";
const keyOf = (url: string, pass: Pass) => (pass === "first" ? `${url} first pass` : url);

function entryFor(url: string, preloaded: boolean, pass: Pass = "full"): Entry {
  let entry = instances.get(keyOf(url, pass));
  if (!entry) {
    const serverDecoded = serverDecodedSeries.has(seriesOf(url));
    const fromPreload = preloaded && !serverDecoded;
    const accept = serverDecoded ? SERVER_DECODED_ACCEPT : pass === "first" ? FIRST_PASS_ACCEPT : VIEWER_ACCEPT;
    const body = fromPreload ? fetchBody(preloadUrl(url), null) : fetchBody(url, accept);
    // The preloaded slice is wanted at once: decoded here, it does not wait for the workers to start.
    const parsed = body
      .then(({ bytes, contentType }) => (preloaded ? parseInstanceInBrowser(firstPart(new Uint8Array(bytes), contentType)) : decode(bytes, contentType)))
      .catch(async (error: unknown) => {
        if (!(error instanceof Error && error.message === NEEDS_SERVER_DECODING)) throw error;
        serverDecodedSeries.add(seriesOf(url));
        const again = await fetchBody(url, SERVER_DECODED_ACCEPT);
        return decode(again.bytes, again.contentType);
      });
    // A JPEG has arrived once the browser has decoded it, or its server-decoded copy has arrived in its place.
    const arrived = body.then(({ jpegBaseline }) => (jpegBaseline ? parsed.then(noop, noop) : undefined));
    const created = { arrived, parsed };
    parsed.then(
      (instance) => {
        // Once lossless is here its first pass is of no more use; a first pass that came lossless is the lossless one.
        if (pass === "full") instances.delete(keyOf(url, "first"));
        else if (!instance.firstPass && !instances.has(url)) instances.set(url, created);
      },
      () => instances.delete(keyOf(url, pass)),
    );
    instances.set(keyOf(url, pass), created);
    entry = created;
  }
  return entry;
}

/** The URL a page preloads the instance at `url` by: a preload link sets no Accept header, so the query carries it. */
export const preloadUrl = (url: string) => `${url}?accept=${encodeURIComponent(VIEWER_ACCEPT)}`;

/** The instance at `url`, fetched once. `preloaded`: the page preloaded it (`preloadUrl`); asking the same way reuses its answer. */
export function fetchInstance(url: string, { preloaded = false } = {}): Promise<ParsedInstance> {
  return entryFor(url, preloaded).parsed;
}

/** Fetches the instance at `url` (in the pass given) if nothing has yet; resolves once its bytes have arrived (decoding may still be under way). */
export function instanceArrived(url: string, pass: Pass = "full"): Promise<unknown> {
  return entryFor(url, false, pass).arrived;
}

let twoPasses = false;

/** Whether stacks load in two passes on this page: the link measured slow. */
export const loadsInTwoPasses = () => twoPasses;

let linkMeasured: Promise<void> = Promise.resolve();

/** Reads the slice the page preloaded and learns from its arrival how fast the link is; a stack's background fetches wait for it (`linkKnown`). */
export function readPreloadedSlice(url: string) {
  linkMeasured = fetchInstance(url, { preloaded: true }).then(
    () => measureLink(url),
    () => undefined,
  );
}

export const linkKnown = () => linkMeasured;

/** Learns from the preloaded slice's arrival (Resource Timing: its body's bytes over the time they took) whether the link is slow enough for two passes. */
function measureLink(url: string) {
  const timing = performance.getEntriesByName(new URL(preloadUrl(url), window.location.href).href)[0] as PerformanceResourceTiming | undefined;
  if (!timing || timing.encodedBodySize < MEASURABLE_BYTES) return;
  const seconds = Math.max(timing.responseEnd - timing.responseStart, 1) / 1000;
  twoPasses = timing.encodedBodySize / seconds < SLOW_LINK_BYTES_PER_SECOND;
}

/**
 * The best of the instance at `url` that is here or on its way: lossless once asked for, else, when the stack loads in
 * two passes, its first pass (asked for now if need be), else lossless.
 */
function bestEntry(url: string): Entry {
  return instances.get(url) ?? entryFor(url, false, twoPasses ? "first" : "full");
}

/** The best of the instance at `url` (`bestEntry`), parsed. */
export const bestInstance = (url: string): Promise<ParsedInstance> => bestEntry(url).parsed;

/** Resolves once the bytes of what `bestInstance` gives have arrived. */
export const bestArrived = (url: string): Promise<unknown> => bestEntry(url).arrived;

/** Whether the lossless instance at `url` has been asked for. */
export const fullRequested = (url: string) => instances.has(url);
