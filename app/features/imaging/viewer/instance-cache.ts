/**
 * Instances fetched from WADO-RS and parsed once per page, shared by every frame of a multi-frame instance. The viewer
 * asks for JPEG-LS lossless first (about a third of the bytes of native CT pixels; the server codes it once and keeps
 * it) and takes Explicit VR Little Endian where the pixels cannot be so coded (colour, 1 or 32 bits). Answers are
 * parsed and decoded in two workers (`instance-decode.worker.ts`), but for the slice the page preloaded.
 */
import { TS } from "~/features/imaging/dicom/part10";
import { firstPart, parseInstance, type ParsedInstance } from "./dicom-image";
import type { DecodeAnswer, DecodeRequest } from "./instance-decode.worker";

export const VIEWER_ACCEPT = [
  `multipart/related; type="application/dicom"; transfer-syntax=${TS.jpegLsLossless}`,
  `multipart/related; type="application/dicom"; transfer-syntax=${TS.explicitLE}; q=0.5`,
].join(", ");

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

function entryFor(url: string, preloaded: boolean): Entry {
  let entry = instances.get(url);
  if (!entry) {
    const body = fetch(preloaded ? preloadUrl(url) : url, { credentials: "same-origin", headers: preloaded ? undefined : { accept: VIEWER_ACCEPT } }).then(
      async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return { bytes: await response.arrayBuffer(), contentType: response.headers.get("content-type") ?? "" };
      },
    );
    // The preloaded slice is wanted at once: decoded here, it does not wait for the workers to start.
    const parsed = body.then(({ bytes, contentType }) =>
      preloaded ? parseInstance(firstPart(new Uint8Array(bytes), contentType)) : decode(bytes, contentType),
    );
    const created = { arrived: body, parsed };
    parsed.catch(() => instances.delete(url));
    instances.set(url, created);
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

/** Fetches the instance at `url` if nothing has yet; resolves once its bytes have arrived (decoding may still be under way). */
export function instanceArrived(url: string): Promise<unknown> {
  return entryFor(url, false).arrived;
}
