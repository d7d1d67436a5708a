/**
 * The review of a series flagged for burned-in text and its clearing. Those
 * who may see flagged series see each flagged image with the word boxes OCR
 * found; a coordinator clears the series, which first writes for every image
 * with boxes a redacted copy (boxes blacked out, BurnedInAnnotation NO) that
 * the instance row then points to, keeping the de-identified file before
 * redaction for this review only. Recognised text is never audited.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { auditCase, type CaseCaller } from "~/features/cases/case-access.server";
import { TS } from "~/features/imaging/dicom/part10";
import { ocrImagesInWorker, redactInWorker } from "~/features/imaging/dicom-workers.server";
import { imagingAbilities } from "~/features/imaging/imaging-access";
import type { BurnedInBoxInput } from "~/features/imaging/imaging-forms";
import { explicitLittleEndian } from "~/features/imaging/renditions.server";
import { getDb, type Db } from "~/platform/db.server";
import { log } from "~/platform/logger.server";
import { storeThenRecord } from "~/platform/storage.server";
import { OCR_STATUS, queueBurnedInOcr } from "./burned-in-ocr.server";
import { redactionRects } from "./ocr-words";

export type BurnedInStepResult = { ok: true } | { ok: false; status: 400 | 403 | 404; errorKey: string };
const notAllowed = { ok: false, status: 403, errorKey: "cases:errors.actionNotAllowed" } as const;
const notFound = { ok: false, status: 404, errorKey: "imaging:review.notFound" } as const;

/** Frames shown on the review page per instance: those with boxes first; a long cine loop shows its first frames without any. */
const MAX_FRAMES_SHOWN = 60;

const flaggedSeries = (db: Db, caseId: string, seriesId: string) =>
  db.imagingSeries.findFirst({
    where: { id: seriesId, study: { caseId }, burnedInRisk: true },
    select: { id: true, seriesNumber: true, modality: true, description: true, burnedInClearedAt: true },
  });

/** The review page: each flagged instance's OCR status and frames with their boxes; null when the reader may not see it or there is no such flagged series. */
export async function loadBurnedInReview(caller: CaseCaller & { seriesId: string }) {
  const { user, facts, meta, seriesId, db = getDb() } = caller;
  const may = imagingAbilities(user, facts);
  if (!may.seeFlaggedSeries) return null;
  const series = await flaggedSeries(db, facts.id, seriesId);
  if (!series) return null;
  const instances = await db.imagingInstance.findMany({
    where: { seriesId, ocrStatus: { not: null } },
    orderBy: [{ instanceNumber: "asc" }, { sopInstanceUid: "asc" }],
    select: {
      id: true,
      instanceNumber: true,
      frames: true,
      rows: true,
      columns: true,
      ocrStatus: true,
      ocrErrorKey: true,
      unredactedSha256: true,
      textBoxes: {
        orderBy: [{ frame: "asc" }, { y: "asc" }, { x: "asc" }],
        select: { id: true, frame: true, x: true, y: true, width: true, height: true, text: true, confidence: true, addedById: true },
      },
    },
  });
  await auditCase({ db, user, meta, caseId: facts.id, action: "imaging.reviewBurnedIn", details: { seriesId } });
  return {
    caseId: facts.id,
    caseCode: facts.code,
    series,
    canClear: may.clearBurnedIn && !series.burnedInClearedAt,
    pending: instances.filter((i) => i.ocrStatus === OCR_STATUS.pending).length,
    failed: instances.filter((i) => i.ocrStatus === OCR_STATUS.failed).length,
    boxCount: instances.reduce((n, i) => n + i.textBoxes.length, 0),
    instances: instances.map((i) => {
      const withBoxes = [...new Set(i.textBoxes.map((b) => b.frame))];
      const without = Array.from({ length: i.frames }, (_, f) => f).filter((f) => !withBoxes.includes(f));
      const shown = [...withBoxes, ...without].slice(0, MAX_FRAMES_SHOWN).sort((a, b) => a - b);
      return {
        id: i.id,
        instanceNumber: i.instanceNumber,
        width: i.columns ?? 0,
        height: i.rows ?? 0,
        ocrStatus: i.ocrStatus,
        ocrErrorKey: i.ocrErrorKey,
        frameCount: i.frames,
        redacted: i.unredactedSha256 !== null,
        hiddenFrames: i.frames - shown.length,
        frames: shown.map((frame) => ({
          frame,
          boxes: i.textBoxes.filter((b) => b.frame === frame).map(({ addedById, ...box }) => ({ ...box, manual: addedById !== null })),
        })),
      };
    }),
  };
}

/** One frame of a flagged instance as OCR saw it (before redaction), as PNG; null when the reader may not see it. */
export async function burnedInFramePng(caller: CaseCaller & { seriesId: string; instanceId: string; frame: number }): Promise<Buffer | null> {
  const { user, facts, meta, seriesId, instanceId, frame, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).seeFlaggedSeries || !Number.isInteger(frame) || frame < 0) return null;
  const instance = await db.imagingInstance.findFirst({
    where: { id: instanceId, ocrStatus: { not: null }, series: { id: seriesId, burnedInRisk: true, study: { caseId: facts.id } } },
    select: { frames: true, sha256: true, transferSyntax: true, unredactedSha256: true, unredactedTransferSyntax: true },
  });
  if (!instance || frame >= instance.frames) return null;
  const rendition = await explicitLittleEndian(instance.unredactedSha256 ?? instance.sha256, instance.unredactedTransferSyntax ?? instance.transferSyntax);
  if (!rendition.ok) return null;
  const dir = await mkdtemp(path.join(os.tmpdir(), "tumorboard-review-"));
  try {
    const drawn = await ocrImagesInWorker({ source: rendition.path, outDir: dir, firstFrame: frame, frameCount: 1, variants: ["plain"] });
    const plain = drawn.ok ? drawn.images.find((image) => image.variant === "plain") : undefined;
    if (!plain) return null;
    const png = await readFile(plain.file);
    await auditCase({ db, user, meta, caseId: facts.id, action: "imaging.read", details: { burnedInFrame: `${instanceId}/${frame}` } });
    return png;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Boxes on one instance, OCR's and drawn by hand together. */
const MAX_BOXES_PER_INSTANCE = 20_000;

/** An instance of the flagged, not yet cleared series whose OCR is done: only then do its boxes change (OCR would replace them). */
async function editableInstance(caller: CaseCaller & { seriesId: string }, instanceId: string) {
  const { user, facts, seriesId, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).clearBurnedIn) return notAllowed;
  const series = await flaggedSeries(db, facts.id, seriesId);
  if (!series) return notFound;
  if (series.burnedInClearedAt) return { ok: false, status: 400, errorKey: "imaging:burnedIn.alreadyCleared" } as const;
  const instance = await db.imagingInstance.findFirst({
    where: { id: instanceId, seriesId },
    select: { id: true, ocrStatus: true, frames: true, rows: true, columns: true, _count: { select: { textBoxes: true } } },
  });
  if (!instance) return notFound;
  if (instance.ocrStatus !== OCR_STATUS.done) return { ok: false, status: 400, errorKey: "imaging:burnedIn.stillReading" } as const;
  return { ok: true, instance } as const;
}

/** A coordinator draws a box OCR missed (`frame` counted from 0, in the image's pixels); it is blacked out with the others. */
export async function addBurnedInBox(caller: CaseCaller & { seriesId: string; box: BurnedInBoxInput }): Promise<BurnedInStepResult> {
  const { user, facts, meta, seriesId, box, db = getDb() } = caller;
  const found = await editableInstance(caller, box.instanceId);
  if (!found.ok) return found;
  const { instance } = found;
  const frame = box.frame - 1;
  const inside = frame < instance.frames && box.x + box.width <= (instance.columns ?? 0) && box.y + box.height <= (instance.rows ?? 0);
  if (!inside || instance._count.textBoxes >= MAX_BOXES_PER_INSTANCE) return { ok: false, status: 400, errorKey: "imaging:burnedIn.boxInvalid" };
  const created = await db.burnedInTextBox.create({
    data: { instanceId: instance.id, frame, x: box.x, y: box.y, width: box.width, height: box.height, confidence: 100, text: "", addedById: user.id },
    select: { id: true },
  });
  await auditCase({
    db,
    user,
    meta,
    caseId: facts.id,
    action: "imaging.burnedInBox",
    details: { seriesId, instanceId: instance.id, boxId: created.id, change: "added" },
  });
  return { ok: true };
}

/** A coordinator removes a box that holds no text (a misreading of the image): that area stays as it is. */
export async function removeBurnedInBox(caller: CaseCaller & { seriesId: string; boxId: string }): Promise<BurnedInStepResult> {
  const { user, facts, meta, seriesId, boxId, db = getDb() } = caller;
  const box = await db.burnedInTextBox.findFirst({
    where: { id: boxId, instance: { seriesId, series: { study: { caseId: facts.id } } } },
    select: { instanceId: true },
  });
  if (!box) return imagingAbilities(user, facts).clearBurnedIn ? notFound : notAllowed;
  const found = await editableInstance(caller, box.instanceId);
  if (!found.ok) return found;
  await db.burnedInTextBox.deleteMany({ where: { id: boxId } });
  await auditCase({
    db,
    user,
    meta,
    caseId: facts.id,
    action: "imaging.burnedInBox",
    details: { seriesId, instanceId: box.instanceId, boxId, change: "removed" },
  });
  return { ok: true };
}

/** Runs OCR again on the series' instances whose OCR failed. */
export async function retryBurnedInOcr(caller: CaseCaller & { seriesId: string }): Promise<BurnedInStepResult> {
  const { user, facts, meta, seriesId, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).clearBurnedIn) return notAllowed;
  const series = await flaggedSeries(db, facts.id, seriesId);
  if (!series || series.burnedInClearedAt) return notFound;
  const failed = await db.imagingInstance.findMany({ where: { seriesId, ocrStatus: OCR_STATUS.failed }, select: { id: true } });
  await db.imagingInstance.updateMany({ where: { seriesId, ocrStatus: OCR_STATUS.failed }, data: { ocrStatus: OCR_STATUS.pending, ocrErrorKey: null } });
  for (const { id } of failed) queueBurnedInOcr(db, id);
  await auditCase({ db, user, meta, caseId: facts.id, action: "imaging.retryBurnedInOcr", details: { seriesId, instances: failed.length } });
  return { ok: true };
}

/**
 * A coordinator has checked a flagged series: every image with boxes gets its redacted copy, then consultants may see the series.
 * Refused while OCR is still reading or has failed on one of its images.
 */
export async function clearBurnedInSeries(caller: CaseCaller & { seriesId: string }): Promise<BurnedInStepResult> {
  const { user, facts, meta, seriesId, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).clearBurnedIn) return notAllowed;
  const series = await flaggedSeries(db, facts.id, seriesId);
  if (!series || series.burnedInClearedAt) return notFound;
  const instances = await db.imagingInstance.findMany({
    where: { seriesId, ocrStatus: { not: null } },
    select: {
      id: true,
      ocrStatus: true,
      sha256: true,
      transferSyntax: true,
      unredactedSha256: true,
      textBoxes: { select: { frame: true, x: true, y: true, width: true, height: true } },
    },
  });
  if (instances.some((i) => i.ocrStatus === OCR_STATUS.pending)) return { ok: false, status: 400, errorKey: "imaging:burnedIn.stillReading" };
  if (instances.some((i) => i.ocrStatus === OCR_STATUS.failed)) return { ok: false, status: 400, errorKey: "imaging:burnedIn.failedCannotClear" };
  let redacted = 0;
  for (const instance of instances) {
    if (instance.textBoxes.length === 0 || instance.unredactedSha256 !== null) continue;
    if (!(await redactInstance(db, facts.id, instance))) return { ok: false, status: 400, errorKey: "imaging:burnedIn.redactionFailed" };
    redacted++;
  }
  const cleared = await db.imagingSeries.updateMany({
    where: { id: seriesId, burnedInClearedAt: null },
    data: { burnedInClearedAt: new Date(), burnedInClearedBy: user.id },
  });
  if (cleared.count === 0) return notFound;
  const boxes = instances.reduce((n, i) => n + i.textBoxes.length, 0);
  await auditCase({ db, user, meta, caseId: facts.id, action: "imaging.clearBurnedIn", details: { seriesId, redactedInstances: redacted, boxes } });
  return { ok: true };
}

type Redactable = { id: string; sha256: string; transferSyntax: string; textBoxes: { frame: number; x: number; y: number; width: number; height: number }[] };

/** Writes the instance's redacted copy (decoded first, native pixels) and points the row to it; false when it cannot be decoded or redacted. */
async function redactInstance(db: Db, caseId: string, instance: Redactable): Promise<boolean> {
  const rendition = await explicitLittleEndian(instance.sha256, instance.transferSyntax);
  if (!rendition.ok) {
    log("warn", "burned-in redaction: not decodable", { instanceId: instance.id, detail: rendition.detail });
    return false;
  }
  const source = await readFile(rendition.path);
  const { rows, columns } = await db.imagingInstance.findUniqueOrThrow({ where: { id: instance.id }, select: { rows: true, columns: true } });
  const size = { width: columns ?? 0, height: rows ?? 0 };
  const rects = redactionRects(instance.textBoxes, size);
  const result = await redactInWorker(source, rects);
  if (!result.ok) {
    log("warn", "burned-in redaction failed", { instanceId: instance.id, detail: result.detail });
    return false;
  }
  const sha256 = createHash("sha256").update(result.bytes).digest("hex");
  await storeThenRecord(result.bytes, sha256, (stored) =>
    db.$transaction([
      db.imagingInstance.updateMany({
        where: { id: instance.id, unredactedSha256: null },
        data: {
          sha256: stored,
          transferSyntax: TS.explicitLE,
          size: result.bytes.length,
          unredactedSha256: instance.sha256,
          unredactedTransferSyntax: instance.transferSyntax,
        },
      }),
      db.case.update({ where: { id: caseId }, data: { imagingBytes: { increment: BigInt(result.bytes.length) } } }),
    ]),
  );
  return true;
}
