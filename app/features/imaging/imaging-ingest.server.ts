/**
 * Stores one incoming DICOM file for a case: de-identified in memory first
 * (the identifiable original is never written), then stored by content hash,
 * then indexed. Each file gets its own result: stored, duplicate or rejected.
 */
import { randomUUID } from "node:crypto";
import type { DeidContext } from "~/features/imaging/dicom/deidentify";
import type { InstanceIndex } from "~/features/imaging/dicom/instance-index";
import { REJECTION_KEYS } from "~/features/imaging/dicom/rejection-keys";
import type { Prisma } from "~/generated/sqlite/client";
import { isUniqueViolation, type Db } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import { caseDeidContext } from "./deid-context.server";
import { prepareInWorker, storeInWorker } from "./dicom-workers.server";
import { OCR_STATUS, queueBurnedInOcr } from "./burned-in/burned-in-ocr.server";

export const imagingQuotaBytes = () => env("IMAGING_QUOTA_MB") * 1024 * 1024;
export const maxDicomFileBytes = () => env("IMAGING_MAX_FILE_MB") * 1024 * 1024;

export type IngestResult = {
  fileName: string;
  status: "stored" | "duplicate" | "rejected";
  reasonKey?: string;
  detail?: string;
  sopInstanceUid?: string;
  seriesInstanceUid?: string;
};

class QuotaExceeded extends Error {}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Study and series rows are made by the first instance of a series; their ids
 * never change (imaging rows are not deleted), so later instances find them here.
 */
const knownSeries = new Map<string, string>();

async function seriesIdFor(tx: Tx, caseId: string, index: InstanceIndex, burnedInRisk: boolean): Promise<string> {
  const key = `${caseId}/${index.studyInstanceUid}/${index.seriesInstanceUid}`;
  const known = knownSeries.get(key);
  if (known && !burnedInRisk) return known;
  const study = await tx.imagingStudy.upsert({
    where: { caseId_studyInstanceUid: { caseId, studyInstanceUid: index.studyInstanceUid } },
    create: { caseId, studyInstanceUid: index.studyInstanceUid, studyDate: index.studyDate, description: index.studyDescription },
    update: {},
    select: { id: true },
  });
  const series = await tx.imagingSeries.upsert({
    where: { studyId_seriesInstanceUid: { studyId: study.id, seriesInstanceUid: index.seriesInstanceUid } },
    create: {
      studyId: study.id,
      seriesInstanceUid: index.seriesInstanceUid,
      modality: index.modality,
      seriesNumber: index.seriesNumber,
      description: index.seriesDescription,
      bodyPart: index.bodyPart,
      burnedInRisk,
    },
    update: burnedInRisk ? { burnedInRisk: true, burnedInClearedAt: null, burnedInClearedBy: null } : {},
    select: { id: true },
  });
  if (knownSeries.size >= 10_000) knownSeries.delete(knownSeries.keys().next().value!);
  knownSeries.set(key, series.id);
  return series.id;
}

type InstanceRow = Omit<Prisma.ImagingInstanceUncheckedCreateInput, "id" | "createdAt" | "ocrErrorKey" | "unredactedSha256" | "unredactedTransferSyntax">;

/**
 * The instance's row, written by one plain statement: every upload writes one, and the query builder costs several times
 * what the statement does. A second row for the same instance of the series fails on the unique key.
 */
async function insertInstance(tx: Tx, row: InstanceRow): Promise<{ id: string }> {
  const id = randomUUID();
  await tx.$executeRaw`
    INSERT INTO "ImagingInstance" ("id", "seriesId", "sopInstanceUid", "sopClassUid", "instanceNumber", "imagePosition", "imageOrientation",
      "sliceLocation", "frames", "rows", "columns", "pixelSpacing", "bitsAllocated", "photometricInterpretation", "transferSyntax", "sha256",
      "size", "ocrStatus", "createdAt")
    VALUES (${id}, ${row.seriesId}, ${row.sopInstanceUid}, ${row.sopClassUid}, ${row.instanceNumber}, ${row.imagePosition}, ${row.imageOrientation},
      ${row.sliceLocation}, ${row.frames}, ${row.rows}, ${row.columns}, ${row.pixelSpacing}, ${row.bitsAllocated}, ${row.photometricInterpretation},
      ${row.transferSyntax}, ${row.sha256}, ${row.size}, ${row.ocrStatus}, ${new Date()})`;
  return { id };
}

/** Whether the case holds that instance of that series: asked once per stored instance, so one plain query. */
async function alreadyStored(db: Db, caseId: string, ids: { sopInstanceUid: string; seriesInstanceUid: string }): Promise<boolean> {
  const found = await db.$queryRaw<unknown[]>`
    SELECT 1 FROM "ImagingInstance" n JOIN "ImagingSeries" s ON s."id" = n."seriesId" JOIN "ImagingStudy" t ON t."id" = s."studyId"
    WHERE n."sopInstanceUid" = ${ids.sopInstanceUid} AND s."seriesInstanceUid" = ${ids.seriesInstanceUid} AND t."caseId" = ${caseId} LIMIT 1`;
  return found.length > 0;
}

/**
 * `inbox`: the institution context `bytes` were de-identified with while they
 * waited in the inbox; only what the case's context adds is applied on top.
 * `deidentified`: the uploader's browser de-identified the file with the case's context; it is checked, not changed.
 * `generated`: the platform wrote the file from the case's own instances (an SR or key object document); it is indexed as it is.
 * `handOver`: the caller is done with `bytes` (a part read from a request), so they move to the worker without a copy.
 */
export async function ingestDicom(
  db: Db,
  caseId: string,
  bytes: Uint8Array,
  fileName: string,
  {
    inbox,
    deidentified = false,
    generated = false,
    handOver = false,
  }: { inbox?: DeidContext; deidentified?: boolean; generated?: boolean; handOver?: boolean } = {},
): Promise<IngestResult> {
  const ctx = await caseDeidContext(db, caseId);
  const prepared = await prepareInWorker(
    bytes,
    inbox ? { caseCode: ctx.caseCode, uidSecret: ctx.uidSecret, dateShiftDays: ctx.dateShiftDays - inbox.dateShiftDays } : ctx,
    generated ? "generated" : deidentified ? "check" : "deidentify",
    handOver,
  );
  if (!prepared.ok) return { fileName, status: "rejected", reasonKey: REJECTION_KEYS[prepared.reason], detail: prepared.detail };
  const { index } = prepared;

  const ids = { sopInstanceUid: index.sopInstanceUid, seriesInstanceUid: index.seriesInstanceUid };
  if (await alreadyStored(db, caseId, ids)) return { fileName, status: "duplicate", ...ids };

  const size = prepared.bytes.length;
  if (size > imagingQuotaBytes()) return { fileName, status: "rejected", reasonKey: REJECTION_KEYS.quota };

  try {
    await storeInWorker(prepared.bytes, prepared.sha256);
    const sha256 = prepared.sha256;
    const instance = await db.$transaction(async (tx) => {
      // The running total is checked and raised in one statement, so concurrent uploads cannot both pass the quota.
      const withinQuota = await tx.$executeRaw`
        UPDATE "Case" SET "imagingBytes" = "imagingBytes" + ${size}, "updatedAt" = ${new Date()}
        WHERE "id" = ${caseId} AND "imagingBytes" <= ${imagingQuotaBytes() - size}`;
      if (withinQuota === 0) throw new QuotaExceeded();
      const seriesId = await seriesIdFor(tx, caseId, index, prepared.burnedInRisk);
      return insertInstance(tx, {
        seriesId,
        sopInstanceUid: index.sopInstanceUid,
        sopClassUid: index.sopClassUid,
        instanceNumber: index.instanceNumber,
        imagePosition: index.imagePosition ? JSON.stringify(index.imagePosition) : null,
        imageOrientation: index.imageOrientation ? JSON.stringify(index.imageOrientation) : null,
        sliceLocation: index.sliceLocation,
        frames: index.frames,
        rows: index.rows,
        columns: index.columns,
        pixelSpacing: index.pixelSpacing ? JSON.stringify(index.pixelSpacing) : null,
        bitsAllocated: index.bitsAllocated,
        photometricInterpretation: index.photometricInterpretation,
        transferSyntax: prepared.transferSyntax,
        sha256,
        size,
        ocrStatus: prepared.burnedInRisk ? OCR_STATUS.pending : null,
      });
    });
    if (prepared.burnedInRisk) queueBurnedInOcr(db, instance.id);
    return { fileName, status: "stored", ...ids };
  } catch (error) {
    if (error instanceof QuotaExceeded) return { fileName, status: "rejected", reasonKey: REJECTION_KEYS.quota };
    if (isUniqueViolation(error)) return { fileName, status: "duplicate", ...ids };
    throw error;
  }
}
