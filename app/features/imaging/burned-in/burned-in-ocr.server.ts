/**
 * OCR of instances flagged for burned-in text, in the background: after a
 * flagged instance is stored its row says PENDING and it joins a queue worked
 * one instance at a time; at start-up every PENDING instance is queued again,
 * so a restart loses no work. Each frame is decoded and drawn in a DICOM
 * worker thread, read by the `tesseract` CLI in a child process (killed after
 * a time limit), and its word boxes are stored. A failure leaves the instance
 * FAILED with a reason and its series flagged: nothing is cleared without a
 * coordinator.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Db } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import { log } from "~/platform/logger.server";
import { ocrImagesInWorker } from "~/features/imaging/dicom-workers.server";
import { explicitLittleEndian } from "~/features/imaging/renditions.server";
import { STACK_GAP } from "./ocr-images";
import { mergeWords, readTesseractTsv, type WordBox } from "./ocr-words";

const run = promisify(execFile);

export const OCR_STATUS = { pending: "PENDING", done: "DONE", failed: "FAILED" } as const;
const OCR_ERROR_KEYS = {
  undecodable: "imaging:burnedIn.errors.undecodable",
  unavailable: "imaging:burnedIn.errors.unavailable",
  timeout: "imaging:burnedIn.errors.timeout",
  failed: "imaging:burnedIn.errors.failed",
} as const;

const TESSERACT_ARGS = ["-l", "eng+chi_sim", "--psm", "11", "tsv"];
/** Instances read at once: tesseract is CPU-heavy and each run uses one core. */
const CONCURRENCY = 1;
/** Frames drawn per worker call and read per tesseract run (stacked in one image), so a long cine loop never has all its images on disk at once. */
const FRAMES_PER_BATCH = 8;

type Job = { db: Db; instanceId: string; generation: number };
/** `generation` rises when the queue is stopped: a running job sees it before its next batch of frames and gives up. */
const holder = globalThis as typeof globalThis & {
  __tumorboardOcrQueue?: { waiting: Job[]; queued: Set<string>; running: number; generation: number };
};

function queue() {
  holder.__tumorboardOcrQueue ??= { waiting: [], queued: new Set(), running: 0, generation: 0 };
  return holder.__tumorboardOcrQueue;
}

/** On shutdown: nothing more is started, and a running instance stops before its next frames; its row stays PENDING for the next start. */
export function stopBurnedInOcr(): void {
  const q = queue();
  q.generation++;
  q.waiting = [];
  q.queued.clear();
}

/** Queues a PENDING instance (again queuing one already waiting or running does nothing). */
export function queueBurnedInOcr(db: Db, instanceId: string): void {
  const q = queue();
  if (q.queued.has(instanceId)) return;
  q.queued.add(instanceId);
  q.waiting.push({ db, instanceId, generation: q.generation });
  pump();
}

function pump() {
  const q = queue();
  while (q.running < CONCURRENCY && q.waiting.length > 0) {
    const job = q.waiting.shift()!;
    q.running++;
    void ocrInstance(job)
      .catch((error) => log("error", "burned-in OCR stopped", { instanceId: job.instanceId, error: String(error).slice(0, 500) }))
      .finally(() => {
        q.running--;
        q.queued.delete(job.instanceId);
        pump();
      });
  }
}

/** At start-up: queues every instance whose OCR had not finished. */
export async function resumeBurnedInOcr(db: Db): Promise<number> {
  const pending = await db.imagingInstance.findMany({ where: { ocrStatus: OCR_STATUS.pending }, orderBy: { createdAt: "asc" }, select: { id: true } });
  for (const { id } of pending) queueBurnedInOcr(db, id);
  return pending.length;
}

async function ocrInstance({ db, instanceId, generation }: Job): Promise<void> {
  const instance = await db.imagingInstance.findUnique({
    where: { id: instanceId },
    select: { ocrStatus: true, sha256: true, transferSyntax: true, unredactedSha256: true, unredactedTransferSyntax: true },
  });
  if (!instance || instance.ocrStatus !== OCR_STATUS.pending) return;
  const started = Date.now();
  const stillWanted = async () =>
    generation === queue().generation && (await db.imagingInstance.count({ where: { id: instanceId, ocrStatus: OCR_STATUS.pending } }).catch(() => 0)) === 1;
  const outcome = await readWords(instance.unredactedSha256 ?? instance.sha256, instance.unredactedTransferSyntax ?? instance.transferSyntax, stillWanted);
  if (outcome === null || generation !== queue().generation) return;
  if (!outcome.ok) {
    log("warn", "burned-in OCR failed", { instanceId, reason: outcome.errorKey, detail: outcome.detail.slice(0, 300) });
    await db.imagingInstance.updateMany({
      where: { id: instanceId, ocrStatus: OCR_STATUS.pending },
      data: { ocrStatus: OCR_STATUS.failed, ocrErrorKey: outcome.errorKey },
    });
    return;
  }
  await db.$transaction([
    db.burnedInTextBox.deleteMany({ where: { instanceId } }),
    db.burnedInTextBox.createMany({ data: outcome.words.map((w) => ({ instanceId, ...w })) }),
    db.imagingInstance.update({ where: { id: instanceId }, data: { ocrStatus: OCR_STATUS.done, ocrErrorKey: null } }),
  ]);
  log("info", "burned-in OCR done", { instanceId, words: outcome.words.length, ms: Date.now() - started });
}

type Words = { ok: true; words: WordBox[] } | { ok: false; errorKey: string; detail: string };

/** The words of every frame; null when `stillWanted` says to stop (checked before each batch of frames). */
async function readWords(sha256: string, transferSyntax: string, stillWanted: () => Promise<boolean>): Promise<Words | null> {
  const rendition = await explicitLittleEndian(sha256, transferSyntax);
  if (!rendition.ok) return { ok: false, errorKey: OCR_ERROR_KEYS.undecodable, detail: rendition.detail };
  const dir = await mkdtemp(path.join(os.tmpdir(), "tumorboard-ocr-"));
  try {
    const words: WordBox[] = [];
    let frames = 1;
    for (let first = 0; first < frames; first += FRAMES_PER_BATCH) {
      if (!(await stillWanted())) return null;
      const batch = await ocrImagesInWorker({ source: rendition.path, outDir: dir, firstFrame: first, frameCount: FRAMES_PER_BATCH });
      if (!batch.ok) return { ok: false, errorKey: OCR_ERROR_KEYS.undecodable, detail: batch.detail };
      frames = batch.frames;
      const byFrame = new Map<number, WordBox[]>();
      for (const image of batch.images) {
        const tsv = await tesseract(image.file);
        if (!tsv.ok) return tsv;
        const layout = { ...image, gap: STACK_GAP, frameSize: { width: batch.width, height: batch.height } };
        for (const word of readTesseractTsv(tsv.text, layout)) byFrame.set(word.frame, [...(byFrame.get(word.frame) ?? []), word]);
        await rm(image.file, { force: true });
      }
      for (const frameWords of byFrame.values()) words.push(...mergeWords(frameWords));
    }
    return { ok: true, words };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One tesseract run (one variant of a batch of frames) is killed after `OCR_TIMEOUT_SECONDS`. */
async function tesseract(image: string): Promise<{ ok: true; text: string } | { ok: false; errorKey: string; detail: string }> {
  const timeout = env("OCR_TIMEOUT_SECONDS") * 1000;
  try {
    const { stdout } = await run("tesseract", [image, "stdout", ...TESSERACT_ARGS], {
      timeout,
      killSignal: "SIGKILL",
      maxBuffer: 8 * 1024 * 1024,
      env: { ...process.env, OMP_THREAD_LIMIT: "1" },
    });
    return { ok: true, text: stdout };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string; stderr?: string };
    if (failure.code === "ENOENT") return { ok: false, errorKey: OCR_ERROR_KEYS.unavailable, detail: "tesseract is not installed" };
    if (failure.killed || failure.signal === "SIGKILL") return { ok: false, errorKey: OCR_ERROR_KEYS.timeout, detail: `over ${timeout} ms` };
    return { ok: false, errorKey: OCR_ERROR_KEYS.failed, detail: String(failure.stderr ?? failure.message) };
  }
}
