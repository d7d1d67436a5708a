/**
 * Renditions of stored instances, decoded or coded once in a worker thread, written atomically beside the originals,
 * and served from there: Explicit VR Little Endian with native pixels (viewers and DICOMweb clients that ask for it),
 * and JPEG-LS made from that: lossless (the viewer's choice: about a third of the bytes), and near-lossless for a viewer's first
 * pass over a slow link.
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

/** JPEG-LS renditions: the lossless one, and the near-lossless one (every value within `nearLosslessError`). */
const JPEG_LS = {
  lossless: { file: "jpeg-ls.dcm", nearLossless: false, notCodable: notJpegLsCodable, detail: "pixels not JPEG-LS codable" },
  near: { file: "jpeg-ls-near.dcm", nearLossless: true, notCodable: notNearLosslessCodable, detail: "pixels not JPEG-LS near-lossless codable" },
} as const;

/** The path of the instance coded as JPEG-LS of that kind (from its Explicit VR Little Endian rendition); not ok when its pixels cannot be. */
async function jpegLs(sha256: string, transferSyntax: string, kind: keyof typeof JPEG_LS): Promise<Rendition> {
  const { file, nearLossless, notCodable, detail } = JPEG_LS[kind];
  // What lossless JPEG-LS cannot code, near-lossless cannot either.
  if (notJpegLsCodable.has(sha256) || notCodable.has(sha256)) return { ok: false, detail };
  const rendition = await renditionOnce(
    derivedPath(sha256, file),
    () => explicitLittleEndian(sha256, transferSyntax),
    (bytes) => jpegLsInWorker(bytes, nearLossless),
  );
  if (!rendition.ok) {
    if (notCodable.size >= NOT_CODABLE_REMEMBERED) notCodable.clear();
    notCodable.add(sha256);
  }
  return rendition;
}

/** The instance as JPEG-LS lossless: the viewer's choice. */
export const jpegLsLossless = (sha256: string, transferSyntax: string) => jpegLs(sha256, transferSyntax, "lossless");

/** The instance as JPEG-LS near-lossless, for a viewer's first pass over a slow link; not ok when its pixels cannot be so coded. */
export const jpegLsNearLossless = (sha256: string, transferSyntax: string) => jpegLs(sha256, transferSyntax, "near");

/** Series whose instances are being coded for a viewer, so a second reader opening one does not start a second pass. */
const seriesBeingPrepared = new Set<string>();
/** The most instances of one series coded ahead of a viewer; the viewer's own requests code the rest as they come. */
const MAX_PREPARED_INSTANCES = 2000;

/**
 * Readies a series for the viewer opening it on `firstUid` (the other instances in `stackUids`, in stack order): starts
 * coding that slice, which the page preloads, and returns; then codes the series' instances as JPEG-LS one at a time,
 * outward from that slice as the viewer fetches them, so that its requests find them ready and the worker pool stays
 * free for everyone else. JPEG baseline is left as it is: the viewer takes it as stored. Gives the instance of that
 * slice, null when the series has no such instance.
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
  const toCode = (row: { transferSyntax: string }) => row.transferSyntax !== TS.jpegBaseline;
  if (first && toCode(first)) void jpegLsLossless(first.sha256, first.transferSyntax).catch(() => undefined);
  if (seriesBeingPrepared.has(seriesId)) return first ?? null;
  const stack = [...new Set(stackUids)]
    .flatMap((uid) => byUid.get(uid) ?? [])
    .filter(toCode)
    .slice(0, MAX_PREPARED_INSTANCES);
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
