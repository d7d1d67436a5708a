/**
 * A small pool of worker threads for CPU-heavy work (ingest, transcoding and JPEG-LS coding, OCR images, redaction, opinion PDFs, DICOMweb
 * rendered images), so a large upload or a burst of exports never stalls live sessions on the main event loop.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { DeidContext } from "~/features/imaging/dicom/deidentify";
import type { PreparedInstance, PrepareMode } from "~/features/imaging/dicom/prepare-instance";
import type { FrameRect } from "~/features/imaging/dicom/redact-pixels";
import type { OcrImagesRequest, OcrImagesResult } from "~/features/imaging/burned-in/ocr-images.server";
import type { RenderRequest, RenderResult } from "~/features/imaging/dicomweb-rendered";
import { env } from "~/platform/env.server";
import { newTempPath, objectPath } from "~/platform/storage.server";
import type { OpinionPdfInput } from "~/features/opinions/exports/opinion-pdf.server";

type WorkerResult = { ok: boolean; bytes?: ArrayBuffer | Uint8Array } & Record<string, unknown>;
type Pending = { resolve: (r: WorkerResult) => void; reject: (e: Error) => void };
export type TranscodeResult = { ok: true; bytes: Uint8Array } | { ok: false; detail: string };
type PoolWorker = { worker: Worker; busy: number };

/** The worker script lives in the source tree; the Remix build and the tests both find it from the project root. */
function workerScript(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, "app/features/imaging/dicom/prepare-worker.mjs");
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(process.cwd(), "app/features/imaging/dicom/prepare-worker.mjs");
}

type Pool = { workers: PoolWorker[]; pending: Map<number, Pending>; next: number; ready: Promise<unknown> };
const holder = globalThis as typeof globalThis & { __tumorboardDicomPool?: Pool };

function pool() {
  if (holder.__tumorboardDicomPool) return holder.__tumorboardDicomPool;
  const size = Math.min(4, env("DICOM_WORKERS"));
  const pending = new Map<number, Pending>();
  const started: Promise<void>[] = [];
  const workers = Array.from({ length: size }, () => {
    const entry: PoolWorker = { worker: new Worker(workerScript()), busy: 0 };
    entry.worker.unref();
    started.push(
      new Promise((resolve, reject) => {
        entry.worker.once("message", () => resolve());
        entry.worker.once("error", reject);
      }),
    );
    entry.worker.on("message", ({ id, result, error, ready }: { id: number; result?: WorkerResult; error?: string; ready?: true }) => {
      if (ready) return;
      entry.busy--;
      const waiting = pending.get(id);
      pending.delete(id);
      if (!waiting) return;
      if (error || !result) waiting.reject(new Error(error ?? "worker returned nothing"));
      else waiting.resolve(result.ok ? { ...result, bytes: new Uint8Array(result.bytes as ArrayBuffer) } : result);
    });
    entry.worker.on("error", (error) => {
      for (const [id, waiting] of pending) {
        pending.delete(id);
        waiting.reject(error);
      }
    });
    return entry;
  });
  holder.__tumorboardDicomPool = { workers, pending, next: 0, ready: Promise.allSettled(started) };
  return holder.__tumorboardDicomPool;
}

/** Starts the pool at server start, so the first upload does not wait for the workers to load their code. */
export async function startDicomWorkers(): Promise<void> {
  await pool().ready;
}

/**
 * Runs a task on the least busy worker. The bytes are copied for it, unless `handOver` says the caller is done with
 * them and they are all of their buffer: then the buffer itself moves to the worker (and is empty here afterwards).
 */
function runInWorker(
  task: "prepare" | "check" | "generated" | "store" | "transcode" | "jpegLs" | "ocrImages" | "redact" | "renderPdf" | "render",
  bytes: Uint8Array,
  ctx?: DeidContext,
  options?: unknown,
  handOver = false,
): Promise<WorkerResult> {
  const state = pool();
  const entry = state.workers.reduce((least, w) => (w.busy < least.busy ? w : least), state.workers[0]);
  const id = state.next++;
  entry.busy++;
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const sent = (handOver && whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer;
  return new Promise((resolve, reject) => {
    state.pending.set(id, { resolve, reject });
    entry.worker.postMessage({ id, task, bytes: sent, ctx, options }, [sent]);
  });
}

/**
 * De-identifies a file, checks one de-identified in the uploader's browser, or indexes one the platform wrote
 * (prepare-instance.ts). `handOver`: as for runInWorker, the caller is done with the bytes.
 */
export async function prepareInWorker(bytes: Uint8Array, ctx: DeidContext, mode: PrepareMode = "deidentify", handOver = false): Promise<PreparedInstance> {
  return (await runInWorker(mode === "deidentify" ? "prepare" : mode, bytes, ctx, undefined, handOver)) as unknown as PreparedInstance;
}

/**
 * Stores prepared bytes durably under their content hash from a worker (`storage-sync.server.ts`); the bytes are
 * handed over, so the caller must not use them afterwards. The row may be written once this resolves.
 */
export async function storeInWorker(bytes: Uint8Array, sha256: string): Promise<void> {
  // A failed write rejects (the worker's error); there is no other answer.
  await runInWorker("store", bytes, undefined, { tempPath: newTempPath(), target: objectPath(sha256) }, true);
}

/** Decodes a stored instance to Explicit VR Little Endian with native pixels. */
export async function transcodeInWorker(bytes: Uint8Array): Promise<TranscodeResult> {
  return (await runInWorker("transcode", bytes)) as unknown as TranscodeResult;
}

/**
 * Codes an Explicit VR Little Endian instance as JPEG-LS, lossless or near-lossless (`toJpegLs`); not ok when its pixels
 * cannot be so coded.
 */
export async function jpegLsInWorker(bytes: Uint8Array, nearLossless = false): Promise<TranscodeResult> {
  return (await runInWorker("jpegLs", bytes, undefined, { nearLossless })) as unknown as TranscodeResult;
}

/** Writes the PNG images OCR reads of some frames of a decoded instance (see `burned-in/ocr-images.server.ts`). */
export async function ocrImagesInWorker(request: OcrImagesRequest): Promise<OcrImagesResult> {
  return (await runInWorker("ocrImages", new Uint8Array(0), undefined, request)) as unknown as OcrImagesResult;
}

/** Blacks out rectangles of a decoded (Explicit VR Little Endian, native pixels) instance; BurnedInAnnotation becomes NO. */
export async function redactInWorker(bytes: Uint8Array, rects: FrameRect[]): Promise<TranscodeResult> {
  return (await runInWorker("redact", bytes, undefined, { rects })) as unknown as TranscodeResult;
}

/** Renders a signed opinion's PDF off the event loop (pdfkit with an embedded CJK font takes long enough to stall everyone). */
export async function renderPdfInWorker(input: OpinionPdfInput): Promise<Buffer> {
  const result = await runInWorker("renderPdf", new Uint8Array(0), undefined, input);
  return Buffer.from(result.bytes as Uint8Array);
}

/**
 * Draws, fits and encodes a DICOMweb rendered or thumbnail image (decode, window, resize, encode all in the worker).
 * The caller bounds how many run at once (`dicomweb-wado.server.ts`), so renders cannot fill the pool.
 */
export async function renderInWorker(request: RenderRequest): Promise<RenderResult> {
  return (await runInWorker("render", new Uint8Array(0), undefined, request)) as unknown as RenderResult;
}

export async function stopDicomWorkers() {
  const current = holder.__tumorboardDicomPool;
  holder.__tumorboardDicomPool = undefined;
  await Promise.all(current?.workers.map((w) => w.worker.terminate()) ?? []);
}
