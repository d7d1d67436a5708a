/**
 * Uncompressed renditions of stored instances, for viewers and for DICOMweb
 * clients that ask for Explicit VR Little Endian: decoded once in a worker
 * thread, written atomically beside the originals, and served from there.
 */
import { readFile, stat } from "node:fs/promises";
import { TS } from "~/features/imaging/dicom/part10";
import type { Db } from "~/platform/db.server";
import { transcodeInWorker } from "./dicom-workers.server";
import { commitStagedAs, derivedPath, discardStaged, objectPath, stageBytes, type StagedFile } from "~/platform/storage.server";

export type Rendition = { ok: true; path: string } | { ok: false; detail: string };

const inProgress = new Map<string, Promise<Rendition>>();

async function decodeOnce(sha256: string, target: string): Promise<Rendition> {
  const decoded = await transcodeInWorker(await readFile(objectPath(sha256)));
  if (!decoded.ok) return decoded;
  let staged: StagedFile | null = null;
  try {
    staged = await stageBytes(decoded.bytes);
    await commitStagedAs(staged, target);
    staged = null;
    return { ok: true, path: target };
  } finally {
    await discardStaged(staged);
  }
}

/** The path of the instance in Explicit VR Little Endian: the stored file itself when it already is. */
export async function explicitLittleEndian(sha256: string, transferSyntax: string): Promise<Rendition> {
  if (transferSyntax === TS.explicitLE) return { ok: true, path: objectPath(sha256) };
  const target = derivedPath(sha256, "explicit-le.dcm");
  if (
    await stat(target).then(
      () => true,
      () => false,
    )
  )
    return { ok: true, path: target };
  let pending = inProgress.get(sha256);
  if (!pending) {
    pending = decodeOnce(sha256, target).finally(() => inProgress.delete(sha256));
    inProgress.set(sha256, pending);
  }
  return pending;
}

/** Starts decoding the slice a viewer is about to ask for, so that its request finds the rendition ready or under way. */
export async function prepareViewerSlice(db: Db, seriesId: string, sopInstanceUid: string): Promise<void> {
  const instance = await db.imagingInstance.findUnique({
    where: { seriesId_sopInstanceUid: { seriesId, sopInstanceUid } },
    select: { sha256: true, transferSyntax: true },
  });
  if (instance) void explicitLittleEndian(instance.sha256, instance.transferSyntax).catch(() => undefined);
}
