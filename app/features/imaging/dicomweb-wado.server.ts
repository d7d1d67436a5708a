/**
 * WADO-RS beyond one instance (PS3.18 10.4): study and series retrieve, metadata at every level with bulk data by
 * reference and the bulkdata resource behind it, and rendered and thumbnail images. Reads the stored, already
 * de-identified files; decoded renditions come from `renditions.server.ts`.
 *
 * Decisions, written down here:
 * - Study and series retrieve negotiate the transfer syntax as instance retrieve does; the request is refused (406)
 *   before anything is sent when some instance could be given in none of the accepted syntaxes. Parts are read one
 *   file at a time as the client takes them (a pull stream), so a study is never held in memory; an instance that
 *   fails to decode mid-stream is logged and ends the stream without its closing boundary, so the client sees the
 *   failure instead of a silently shorter study.
 * - Metadata is read from each stored file (its transfer syntax, as stored) and streamed as one JSON array. Binary
 *   values over 1 KiB and Pixel Data are given as BulkDataURI, pointing at the instance's bulkdata resource by the
 *   attribute's path: `bulkdata/{tag}` at the top level, `bulkdata/{sequence tag}/{item index}/{tag}` inside
 *   sequences.
 * - The bulkdata resource answers `multipart/related; type="application/octet-stream"`: a value as stored, one part;
 *   Pixel Data negotiated like frames (Explicit VR Little Endian by default, decoded when stored compressed, one part
 *   with every frame; `transfer-syntax=*` as stored: one part per frame of an encapsulated value).
 * - Rendered: instance and frame level give one image (an instance's first frame); study and series level give
 *   `multipart/related; type="image/jpeg"` (or png) with one image per instance (its first frame), streamed.
 *   An instance with nothing to draw (no pixel data, a photometric interpretation we cannot draw) is a 406. Each image
 *   is drawn, fitted and encoded in a DICOM worker (`renderInWorker`); its size is bounded (`dicomweb-rendered.ts`).
 * - At most RENDER_LIMITS.inFlight images are rendered at once in the process, so rendering never holds more of the
 *   worker pool that ingest and the viewer need; up to RENDER_LIMITS.queue more wait their turn (first come, first
 *   served). A request finding the queue full is answered 503 with Retry-After. The next image of a study or series
 *   rendered whose answer has started always waits its turn (it cannot be refused any more), but holds no slot
 *   between images, so such a study takes turns with everyone else and a client that stops reading holds nothing.
 */
import { readFile, stat } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { AS_STORED, acceptedTransferSyntaxes } from "~/features/imaging/dicom/accept-transfer-syntax";
import { encapsulatedFrames } from "~/features/imaging/dicom/codestream";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { toDicomJson, type DicomJson } from "~/features/imaging/dicom/dicom-json";
import { LIMITS, parsePart10, tagOf, TS, type Dataset, type Element } from "~/features/imaging/dicom/part10";
import { visibleSeries } from "~/features/imaging/imaging-store.server";
import type { Db } from "~/platform/db.server";
import { log } from "~/platform/logger.server";
import { derivedPath, objectPath, storeDerived } from "~/platform/storage.server";
import { keptRenderName, VIEWER_PREVIEW, type RenderOptions } from "./dicomweb-rendered";
import { renderInWorker } from "./dicom-workers.server";
import { explicitLittleEndian, jpegLsLossless, jpegLsNearLossless } from "./renditions.server";

const PIXEL_DATA = tagOf(0x7fe0, 0x0010);
const NATIVE_LE: string[] = [TS.explicitLE, TS.implicitLE, TS.deflatedLE];
const NO_STORE = "private, no-store";
/** The transfer syntaxes a stored instance can be given in besides its own, by the rendition that makes them. */
const RENDITIONS: Record<string, typeof explicitLittleEndian> = {
  [TS.explicitLE]: explicitLittleEndian,
  [TS.jpegLsLossless]: jpegLsLossless,
  [TS.jpegLsNearLossless]: jpegLsNearLossless,
};

export type WadoInstance = { sopInstanceUid: string; sha256: string; transferSyntax: string; frames: number; seriesUid: string; studyUid: string };

/** The instances of a study (or one of its series) the reader may see, in series then instance order; empty when there is none. */
export async function visibleInstances(db: Db, caseId: string, seeFlaggedSeries: boolean, studyUid: string, seriesUid?: string): Promise<WadoInstance[]> {
  const series = await db.imagingSeries.findMany({
    where: { study: { caseId, studyInstanceUid: studyUid }, ...visibleSeries(seeFlaggedSeries), ...(seriesUid ? { seriesInstanceUid: seriesUid } : {}) },
    select: {
      seriesInstanceUid: true,
      instances: {
        select: { sopInstanceUid: true, sha256: true, transferSyntax: true, frames: true },
        orderBy: [{ instanceNumber: "asc" }, { sopInstanceUid: "asc" }],
      },
    },
    orderBy: [{ seriesNumber: "asc" }, { createdAt: "asc" }],
  });
  return series.flatMap((s) => s.instances.map((i) => ({ ...i, seriesUid: s.seriesInstanceUid, studyUid })));
}

/**
 * The file to answer a WADO-RS request from, for the first transfer syntax the client accepts that we can give: as
 * stored, decoded to Explicit VR Little Endian (`nativeOk`: stored syntaxes whose pixels already are what Explicit
 * VR Little Endian holds), or coded as JPEG-LS lossless or, only to a client that asks for it, near-lossless (one sample
 * of 8 or 16 bits). Null when none is possible (406).
 */
export async function negotiatedFile(sha256: string, storedSyntax: string, accepted: string[], nativeOk: string[] = []) {
  for (const syntax of accepted) {
    if (syntax === AS_STORED || syntax === storedSyntax || (syntax === TS.explicitLE && nativeOk.includes(storedSyntax))) {
      return { path: objectPath(sha256), transferSyntax: storedSyntax };
    }
    if (Object.hasOwn(RENDITIONS, syntax)) {
      const rendition = await RENDITIONS[syntax](sha256, storedSyntax);
      if (rendition.ok) return { path: rendition.path, transferSyntax: syntax };
      if (syntax === TS.explicitLE) log("warn", "DICOM decoding failed", { sha256, transferSyntax: storedSyntax, detail: rendition.detail });
    }
  }
  return null;
}

/** Whether some accepted syntax could serve a stored syntax (decoding assumed to succeed), checked before a stream starts. */
const canServe = (storedSyntax: string, accepted: string[]) => accepted.some((s) => s === AS_STORED || s === storedSyntax || s === TS.explicitLE);

export const notAcceptable = (what = "None of the accepted transfer syntaxes can be provided for this instance") => new Response(what, { status: 406 });

type Part = { contentType: string; body: Uint8Array; location?: string };

/**
 * A multipart/related answer whose parts are made one at a time as the client reads (`next` gives the parts of item
 * `i`, or null when there are no more). A failure is logged and errors the stream, leaving the body without its end.
 */
export function streamedMultipart(type: string, next: (i: number) => Promise<Part[] | null>, what: string): Response {
  const boundary = `tb-${randomBytes(12).toString("hex")}`;
  let i = 0;
  let done = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      try {
        const parts = await next(i++);
        if (!parts) {
          done = true;
          controller.enqueue(Buffer.from(`--${boundary}--\r\n`));
          controller.close();
          return;
        }
        for (const part of parts) {
          const location = part.location ? `Content-Location: ${part.location}\r\n` : "";
          controller.enqueue(Buffer.from(`--${boundary}\r\nContent-Type: ${part.contentType}\r\n${location}\r\n`));
          controller.enqueue(part.body);
          controller.enqueue(Buffer.from("\r\n"));
        }
      } catch (error) {
        done = true;
        log("error", "DICOMweb stream failed", { what, error: String(error).slice(0, 500) });
        controller.error(error);
      }
    },
  });
  return new Response(body, { headers: { "Content-Type": `multipart/related; type="${type}"; boundary=${boundary}`, "Cache-Control": NO_STORE } });
}

/** Study or series retrieve: every instance as application/dicom in the first accepted syntax we can give it in. */
export function retrieveInstances(instances: WadoInstance[], accept: string | null, base: string): Response {
  const accepted = acceptedTransferSyntaxes(accept, "application/dicom");
  if (!instances.every((i) => canServe(i.transferSyntax, accepted)))
    return notAcceptable("None of the accepted transfer syntaxes can be provided for every instance");
  return streamedMultipart(
    "application/dicom",
    async (n) => {
      const instance = instances[n];
      if (!instance) return null;
      const file = await negotiatedFile(instance.sha256, instance.transferSyntax, accepted);
      if (!file) throw new Error(`instance ${instance.sopInstanceUid} could not be given in an accepted transfer syntax`);
      return [
        {
          contentType: `application/dicom; transfer-syntax=${file.transferSyntax}`,
          body: await readFile(file.path),
          location: `${base}/studies/${instance.studyUid}/series/${instance.seriesUid}/instances/${instance.sopInstanceUid}`,
        },
      ];
    },
    "retrieve",
  );
}

const tagKey = (tag: number) => (tag >>> 0).toString(16).toUpperCase().padStart(8, "0");

/** Bulk data URIs by attribute path: nested values would otherwise all point at the top-level tag. */
function withBulkPaths(json: DicomJson, prefix: string): DicomJson {
  for (const [key, attribute] of Object.entries(json)) {
    if (attribute.BulkDataURI !== undefined) attribute.BulkDataURI = `${prefix}/${key}`;
    if (attribute.vr === "SQ" && Array.isArray(attribute.Value))
      attribute.Value = (attribute.Value as DicomJson[]).map((item, index) => withBulkPaths(item, `${prefix}/${key}/${index}`));
  }
  return json;
}

export async function instanceMetadata(sha256: string, instanceBase: string): Promise<DicomJson> {
  const file = parsePart10(await readFile(objectPath(sha256)), dictionaryVr);
  return withBulkPaths(
    toDicomJson(file.dataset, file.transferSyntax !== TS.explicitBE, () => ""),
    `${instanceBase}/bulkdata`,
  );
}

/** Study or series metadata: one JSON array, one object per instance, written as each file is read. */
export function metadataOf(instances: WadoInstance[], base: string): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const instance = instances[i];
        if (!instance) {
          controller.enqueue(Buffer.from(i === 0 ? "[]" : "]"));
          controller.close();
          return;
        }
        const json = await instanceMetadata(
          instance.sha256,
          `${base}/studies/${instance.studyUid}/series/${instance.seriesUid}/instances/${instance.sopInstanceUid}`,
        );
        controller.enqueue(Buffer.from((i === 0 ? "[" : ",") + JSON.stringify(json)));
        i++;
      } catch (error) {
        log("error", "DICOMweb metadata stream failed", { error: String(error).slice(0, 500) });
        controller.error(error);
      }
    },
  });
  return new Response(body, { headers: { "Content-Type": "application/dicom+json", "Cache-Control": NO_STORE } });
}

/** The element a bulkdata path names (`tag`, then `item/tag` pairs into sequences); null when there is none. */
function elementAt(dataset: Dataset, path: string[]): Element | null {
  if (path.length === 0 || path.length % 2 === 0 || path.length > 2 * LIMITS.maxDepth + 1) return null;
  if (!path.every((step, i) => (i % 2 === 0 ? /^[0-9A-F]{8}$/i.test(step) : /^\d{1,6}$/.test(step)))) return null;
  let current = dataset;
  for (let i = 0; ; i += 2) {
    const element = current.find((e) => tagKey(e.tag) === path[i].toUpperCase());
    if (!element) return null;
    if (i === path.length - 1) return element;
    const item = element.items?.[Number(path[i + 1])];
    if (!item) return null;
    current = item;
  }
}

/** The bulkdata resource: the value at `path` in the instance, Pixel Data negotiated like frames. Null: no such value (404). */
export async function bulkdata(instance: WadoInstance, path: string[], accept: string | null): Promise<Response | null> {
  const pixelData = path.length === 1 && path[0].toUpperCase() === tagKey(PIXEL_DATA);
  let filePath = objectPath(instance.sha256);
  if (pixelData) {
    const file = await negotiatedFile(instance.sha256, instance.transferSyntax, acceptedTransferSyntaxes(accept, "application/octet-stream"), NATIVE_LE);
    if (!file) return notAcceptable();
    filePath = file.path;
  }
  const parsed = parsePart10(await readFile(filePath), dictionaryVr);
  const element = elementAt(parsed.dataset, path);
  if (!element || element.items) return null;
  const syntax = parsed.transferSyntax === TS.explicitBE ? `; transfer-syntax=${TS.explicitBE}` : "";
  let parts: Part[];
  if (element.fragments) {
    const frames = encapsulatedFrames(element.fragments.slice(1), instance.frames);
    if (!frames) return null;
    parts = frames.map((body) => ({ contentType: `application/octet-stream; transfer-syntax=${parsed.transferSyntax}`, body }));
  } else {
    parts = [{ contentType: `application/octet-stream${syntax}`, body: element.value ?? new Uint8Array() }];
  }
  return streamedMultipart("application/octet-stream", async (i) => (i === 0 ? parts : null), "bulkdata");
}

export class NotRenderable extends Error {}
/** Thrown when the render queue is full: answered 503 with Retry-After. */
export class RenderBusy extends Error {}

export type RenderLimits = { inFlight: number; queue: number };
/** Images rendered at once in the process, and requests that may wait for a turn beyond them. */
export const RENDER_LIMITS: Readonly<RenderLimits> = { inFlight: 2, queue: 8 };
export const RENDER_RETRY_AFTER_SECONDS = 5;

let renderLimits: RenderLimits = { ...RENDER_LIMITS };
let rendering = 0;
const waitingToRender: (() => void)[] = [];

function startWaiting() {
  while (waitingToRender.length > 0 && rendering < renderLimits.inFlight) {
    rendering++;
    waitingToRender.shift()!();
  }
}

/** Images being rendered and requests waiting for their turn. */
export const renderLoad = () => ({ rendering, waiting: waitingToRender.length });

/** Changes the render limits (tests); gives the ones before. */
export function setRenderLimits(limits: Partial<RenderLimits>): RenderLimits {
  const before = renderLimits;
  renderLimits = { ...renderLimits, ...limits };
  startWaiting();
  return before;
}

/**
 * A turn to render: at once when fewer than `inFlight` images are being rendered and nobody waits, else after those
 * waiting before. New work (`admitted` false) is refused, null, when `queue` requests already wait. The release
 * function must be called once the image is made (it does nothing the second time).
 */
export async function renderTurn(admitted = false): Promise<(() => void) | null> {
  if (rendering < renderLimits.inFlight && waitingToRender.length === 0) rendering++;
  else if (!admitted && waitingToRender.length >= renderLimits.queue) return null;
  else await new Promise<void>((resolve) => waitingToRender.push(resolve));
  let released = false;
  return () => {
    if (released) return;
    released = true;
    rendering--;
    startWaiting();
  };
}

const renderBusy = () =>
  new Response("Too many images are being rendered; try again shortly", {
    status: 503,
    headers: { "Retry-After": String(RENDER_RETRY_AFTER_SECONDS), "Cache-Control": NO_STORE },
  });

/** One frame (0-based) of an instance drawn, fitted and encoded in a worker, in its turn. */
async function drawnImage(instance: RenderSource, frameIndex: number, options: RenderOptions, admitted: boolean): Promise<Uint8Array> {
  const release = await renderTurn(admitted);
  if (!release) throw new RenderBusy("render queue full");
  try {
    const rendition = await explicitLittleEndian(instance.sha256, instance.transferSyntax);
    if (!rendition.ok) throw new NotRenderable(`not decodable: ${rendition.detail}`);
    const rendered = await renderInWorker({ source: rendition.path, frameIndex, options });
    if (!rendered.ok) throw new NotRenderable(rendered.detail);
    return rendered.bytes;
  } finally {
    release();
  }
}

type RenderSource = Pick<WadoInstance, "sha256" | "transferSyntax">;
const keptRendersInProgress = new Map<string, Promise<Uint8Array>>();

/**
 * One frame (0-based) of an instance as an image: the kept render when there is one (`keptRenderName`), else drawn in
 * its turn and, when it is a kind that is kept, kept beside the instance after it is answered. NotRenderable when it
 * has no image we can draw, RenderBusy when it may not wait for a turn (see `renderTurn`).
 */
export async function renderedImage(instance: RenderSource, frameIndex: number, options: RenderOptions, admitted = false): Promise<Uint8Array> {
  const keptAs = keptRenderName(frameIndex, options);
  if (!keptAs) return drawnImage(instance, frameIndex, options, admitted);
  const target = derivedPath(instance.sha256, keptAs);
  const kept = await readFile(target).catch(() => null);
  if (kept) return kept;
  let pending = keptRendersInProgress.get(target);
  if (!pending) {
    pending = drawnImage(instance, frameIndex, options, admitted).finally(() => keptRendersInProgress.delete(target));
    keptRendersInProgress.set(target, pending);
    pending.then(
      (bytes) =>
        storeDerived(target, bytes).catch((error) => log("warn", "A rendered image could not be kept", { target, error: String(error).slice(0, 300) })),
      () => undefined,
    );
  }
  return pending;
}

/** The most bytes of a preview a viewer page carries in itself; a larger one (a big radiograph) is asked for by its URL. */
export const MAX_CARRIED_PREVIEW_BYTES = 96 * 1024;

/**
 * The preview of the slice a viewer opens on as a data: URL, when the server already keeps it and it is small enough
 * for the page to carry (no request of its own, so it is on screen with the page's first paint). Otherwise null; one
 * not kept yet is started, so the request the page makes for it finds it ready or under way.
 */
export async function openingPreview(instance: RenderSource, frameIndex: number): Promise<string | null> {
  const keptAs = keptRenderName(frameIndex, VIEWER_PREVIEW);
  if (!keptAs) return null;
  const target = derivedPath(instance.sha256, keptAs);
  const size = await stat(target).then(
    (kept) => kept.size,
    () => null,
  );
  if (size === null) {
    renderedImage(instance, frameIndex, VIEWER_PREVIEW).catch(() => undefined);
    return null;
  }
  const kept = size > 0 && size <= MAX_CARRIED_PREVIEW_BYTES ? await readFile(target).catch(() => null) : null;
  return kept && `data:${VIEWER_PREVIEW.mediaType};base64,${kept.toString("base64")}`;
}

/** A single rendered image (instance, frame, thumbnail): 406 when it cannot be drawn. */
export async function renderedResponse(instance: WadoInstance, frameIndex: number, options: RenderOptions): Promise<Response> {
  try {
    const body = await renderedImage(instance, frameIndex, options);
    return new Response(Buffer.from(body), { headers: { "Content-Type": options.mediaType, "Cache-Control": NO_STORE } });
  } catch (error) {
    if (error instanceof RenderBusy) return renderBusy();
    if (!(error instanceof NotRenderable)) throw error;
    log("warn", "DICOMweb rendering refused", { sopInstanceUid: instance.sopInstanceUid, detail: error.message.slice(0, 300) });
    return new Response("This instance has no image that can be rendered", { status: 406 });
  }
}

/**
 * Study or series rendered: one image per instance (its first frame), drawn as the client reads; instances with no
 * image to draw (a structured report among images) are left out. 406 when the first cannot be drawn, so a series of
 * documents does not answer an empty multipart. 503 when the first image may not wait for its turn; every later image
 * (the request admitted) waits for its own.
 */
export async function renderedInstances(instances: WadoInstance[], options: RenderOptions, base: string): Promise<Response> {
  let admitted = false;
  const imageOf = async (instance: WadoInstance) => {
    try {
      return await renderedImage(instance, 0, options, admitted);
    } catch (error) {
      if (!(error instanceof NotRenderable)) throw error;
      return null;
    } finally {
      admitted = true;
    }
  };
  let first: Uint8Array | null = null;
  let start = 0;
  try {
    while (start < instances.length && !(first = await imageOf(instances[start]))) start++;
  } catch (error) {
    if (error instanceof RenderBusy) return renderBusy();
    throw error;
  }
  if (!first) return new Response("None of these instances has an image that can be rendered", { status: 406 });
  const location = (i: WadoInstance) => `${base}/studies/${i.studyUid}/series/${i.seriesUid}/instances/${i.sopInstanceUid}/rendered`;
  const firstPart: Part = { contentType: options.mediaType, body: first, location: location(instances[start]) };
  let at = start + 1;
  let sentFirst = false;
  return streamedMultipart(
    options.mediaType,
    async () => {
      if (!sentFirst) {
        sentFirst = true;
        return [firstPart];
      }
      while (at < instances.length) {
        const instance = instances[at++];
        const body = await imageOf(instance);
        if (body) return [{ contentType: options.mediaType, body, location: location(instance) }];
      }
      return null;
    },
    "rendered",
  );
}

/** The instance a thumbnail of several shows: the middle one of the first series. */
export function thumbnailInstance(instances: WadoInstance[]): WadoInstance | null {
  if (instances.length === 0) return null;
  const series = instances.filter((i) => i.seriesUid === instances[0].seriesUid);
  return series[Math.floor((series.length - 1) / 2)];
}
