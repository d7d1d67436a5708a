/**
 * Renditions of stored instances, decoded or coded once in a worker thread, written atomically beside the originals,
 * and served from there: Explicit VR Little Endian with native pixels (viewers and DICOMweb clients that ask for it),
 * and JPEG-LS lossless made from that (the viewer's choice: about a third of the bytes over slow links).
 */
import { readFile, stat } from "node:fs/promises";
import { TS } from "~/features/imaging/dicom/part10";
import { nextSliceToFetch } from "~/features/imaging/viewer/slice-prefetch";
import type { Db } from "~/platform/db.server";
import { jpegLsInWorker, transcodeInWorker, type TranscodeResult } from "./dicom-workers.server";
import { derivedPath, objectPath, storeDerived } from "~/platform/storage.server";

export type Rendition = { ok: true; path: string } | { ok: false; detail: string };

const inProgress = new Map<string, Promise<Rendition>>();
/** Instances whose pixels JPEG-LS cannot code (colour, 1 or 32 bits), so they are not read again to learn it; bounded. */
const notJpegLsCodable = new Set<string>();
const NOT_CODABLE_REMEMBERED = 10_000;
/** Instances whose pixels near-lossless JPEG-LS cannot code (as above, or signed values at the sign boundary); bounded. */
const notNearLosslessCodable = new Set<string>();

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** The rendition at `target`, made by `make` from the bytes of `source` unless it is there already; once at a time per target. */
async function renditionOnce(target: string, source: () => Promise<Rendition>, make: (bytes: Uint8Array) => Promise<TranscodeResult>): Promise<Rendition> {
  if (await exists(target)) return { ok: true, path: target };
  let pending = inProgress.get(target);
  if (!pending) {
    pending = (async (): Promise<Rendition> => {
      const from = await source();
      if (!from.ok) return from;
      const made = await make(await readFile(from.path));
      if (!made.ok) return made;
      await storeDerived(target, made.bytes);
      return { ok: true, path: target };
    })().finally(() => inProgress.delete(target));
    inProgress.set(target, pending);
  }
  return pending;
}

/** The path of the instance in Explicit VR Little Endian: the stored file itself when it already is. */
export async function explicitLittleEndian(sha256: string, transferSyntax: string): Promise<Rendition> {
  if (transferSyntax === TS.explicitLE) return { ok: true, path: objectPath(sha256) };
  return renditionOnce(derivedPath(sha256, "explicit-le.dcm"), async () => ({ ok: true, path: objectPath(sha256) }), transcodeInWorker);
}

/** The path of the instance coded as JPEG-LS lossless (from its Explicit VR Little Endian rendition); not ok when its pixels cannot be. */
export async function jpegLsLossless(sha256: string, transferSyntax: string): Promise<Rendition> {
  if (notJpegLsCodable.has(sha256)) return { ok: false, detail: "pixels not JPEG-LS codable" };
  const rendition = await renditionOnce(derivedPath(sha256, "jpeg-ls.dcm"), () => explicitLittleEndian(sha256, transferSyntax), jpegLsInWorker);
  if (!rendition.ok) {
    if (notJpegLsCodable.size >= NOT_CODABLE_REMEMBERED) notJpegLsCodable.clear();
    notJpegLsCodable.add(sha256);
  }
  return rendition;
}

/**
 * The path of the instance coded as JPEG-LS near-lossless (every value within `nearLosslessError` of the stored one),
 * for a viewer's first pass over a slow link; not ok when its pixels cannot be so coded.
 */
export async function jpegLsNearLossless(sha256: string, transferSyntax: string): Promise<Rendition> {
  if (notJpegLsCodable.has(sha256) || notNearLosslessCodable.has(sha256)) return { ok: false, detail: "pixels not JPEG-LS near-lossless codable" };
  const rendition = await renditionOnce(
    derivedPath(sha256, "jpeg-ls-near.dcm"),
    () => explicitLittleEndian(sha256, transferSyntax),
    (bytes) => jpegLsInWorker(bytes, true),
  );
  if (!rendition.ok) {
    if (notNearLosslessCodable.size >= NOT_CODABLE_REMEMBERED) notNearLosslessCodable.clear();
    notNearLosslessCodable.add(sha256);
  }
  return rendition;
}

/** Series whose instances are being coded for a viewer, so a second reader opening one does not start a second pass. */
const seriesBeingPrepared = new Set<string>();
/** The most instances of one series coded ahead of a viewer; the viewer's own requests code the rest as they come. */
const MAX_PREPARED_INSTANCES = 2000;

/**
 * Readies a series for the viewer opening it on `firstUid` (the other instances in `stackUids`, in stack order): starts
 * coding that slice, which the page preloads, and returns; then codes the series' instances as JPEG-LS one at a time,
 * outward from that slice as the viewer fetches them, so that its requests find them ready and the worker pool stays
 * free for everyone else. Gives the instance of that slice, null when the series has no such instance.
 */
export async function prepareViewerSeries(
  db: Db,
  seriesId: string,
  firstUid: string,
  stackUids: string[],
): Promise<{ sha256: string; transferSyntax: string } | null> {
  const rows = await db.imagingInstance.findMany({ where: { seriesId }, select: { sopInstanceUid: true, sha256: true, transferSyntax: true } });
  const byUid = new Map(rows.map((row) => [row.sopInstanceUid, row]));
  const first = byUid.get(firstUid);
  if (first) void jpegLsLossless(first.sha256, first.transferSyntax).catch(() => undefined);
  if (seriesBeingPrepared.has(seriesId)) return first ?? null;
  const stack = [...new Set(stackUids)].flatMap((uid) => byUid.get(uid) ?? []).slice(0, MAX_PREPARED_INSTANCES);
  const started = new Uint8Array(stack.length);
  const from = first ? Math.max(0, stack.indexOf(first)) : 0;
  seriesBeingPrepared.add(seriesId);
  void (async () => {
    for (let next = nextSliceToFetch(from, started); next !== -1; next = nextSliceToFetch(from, started)) {
      started[next] = 1;
      await jpegLsLossless(stack[next].sha256, stack[next].transferSyntax).catch(() => undefined);
    }
  })().finally(() => seriesBeingPrepared.delete(seriesId));
  return first ?? null;
}
