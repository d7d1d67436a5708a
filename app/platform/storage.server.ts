/**
 * Content-addressed file storage on local disk, outside the web root.
 * A file is streamed to a temporary name while it is hashed, flushed to disk,
 * then renamed to objects/<aa>/<bb>/<sha256>: readers never see a partial file,
 * and identical content is stored once.
 */
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable, Transform } from "node:stream";
import { UPLOAD_HEAD_BYTES } from "~/platform/file-type";
import { env } from "~/platform/env.server";

export class FileTooLargeError extends Error {}

export function storageRoot(): string {
  return path.resolve(env("STORAGE_DIR"));
}

const tempDir = () => path.join(storageRoot(), "tmp");

export function objectPath(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("invalid content hash");
  return path.join(storageRoot(), "objects", sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

export type StagedFile = { tempPath: string; sha256: string; size: number; head: Buffer; synced?: boolean };

/** Streams into a temporary file, hashing and counting; refuses past maxBytes. */
export async function stageUpload(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxBytes: number): Promise<StagedFile> {
  await mkdir(tempDir(), { recursive: true });
  const tempPath = newTempPath();
  const hash = createHash("sha256");
  let size = 0;
  let head = Buffer.alloc(0);
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new FileTooLargeError(`larger than ${maxBytes} bytes`));
      if (head.length < UPLOAD_HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, UPLOAD_HEAD_BYTES - head.length)]);
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.from(source), meter, createWriteStream(tempPath, { flags: "wx" }));
    return { tempPath, sha256: hash.digest("hex"), size, head };
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}

/** A new name in the storage's temporary directory (emptied at start-up, so an interrupted write leaves nothing). */
export const newTempPath = () => path.join(tempDir(), `${randomUUID()}.part`);

/** Stages bytes already in memory (hashed here unless the caller already did), written and flushed through a single file handle. */
export async function stageBytes(bytes: Uint8Array, sha256?: string): Promise<StagedFile> {
  await mkdir(tempDir(), { recursive: true });
  const tempPath = newTempPath();
  const handle = await open(tempPath, "wx");
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tempPath, { force: true });
    throw error;
  }
  await handle.close();
  return {
    tempPath,
    sha256: sha256 ?? createHash("sha256").update(bytes).digest("hex"),
    size: bytes.length,
    head: Buffer.from(bytes.subarray(0, UPLOAD_HEAD_BYTES)),
    synced: true,
  };
}

/**
 * Stores bytes durably under their hash, then runs `record` (which writes the
 * row): the row exists only for a durable file, and a failure leaves no
 * temporary file behind.
 */
export async function storeThenRecord<T>(bytes: Uint8Array, sha256: string, record: (sha256: string) => Promise<T>): Promise<T> {
  let staged: StagedFile | null = null;
  try {
    staged = await stageBytes(bytes, sha256);
    await commitStaged(staged);
    staged = null;
    return await record(sha256);
  } finally {
    await discardStaged(staged);
  }
}

/** Derived files (decoded renditions for viewers), keyed by the hash of the object they come from. */
export function derivedPath(sha256: string, kind: string): string {
  return `${objectPath(sha256).replace(`${path.sep}objects${path.sep}`, `${path.sep}derived${path.sep}`)}.${kind}`;
}

/** Makes a staged file durable under its content hash; the database row is written only after this. */
export function commitStaged(staged: StagedFile): Promise<void> {
  return commitStagedAs(staged, objectPath(staged.sha256));
}

export async function commitStagedAs(staged: StagedFile, target: string): Promise<void> {
  if (!staged.synced) {
    const handle = await open(staged.tempPath, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  if (await exists(target)) {
    await rm(staged.tempPath, { force: true });
    return;
  }
  await mkdir(path.dirname(target), { recursive: true });
  await rename(staged.tempPath, target);
  await syncDirectory(path.dirname(target));
}

/** Makes a rename or unlink in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `target` all or nothing: a temporary file beside it, flushed, renamed over it, the directory flushed. */
export async function writeFileDurably(target: string, bytes: Uint8Array | string): Promise<void> {
  const temp = `${target}.${randomUUID()}.tmp`;
  const handle = await open(temp, "w", 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
  await syncDirectory(path.dirname(target));
}

/** Writes a derived file (`derivedPath`) all or nothing, through the staging directory that start-up clears. */
export async function storeDerived(target: string, bytes: Uint8Array): Promise<void> {
  let staged: StagedFile | null = null;
  try {
    staged = await stageBytes(bytes);
    await commitStagedAs(staged, target);
    staged = null;
  } finally {
    await discardStaged(staged);
  }
}

export async function discardStaged(staged: Pick<StagedFile, "tempPath"> | null | undefined): Promise<void> {
  if (staged) await rm(staged.tempPath, { force: true });
}

/** A file read piece by piece at given offsets; a read past its end is a RangeError. Close it when done. */
export type FileByteSource = { size: number; read(offset: number, length: number): Promise<Uint8Array>; close(): Promise<void> };

export async function openByteSource(file: string): Promise<FileByteSource> {
  const handle = await open(file, "r");
  const { size } = await handle.stat().catch(async (error) => {
    await handle.close();
    throw error;
  });
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      if (bytesRead !== length) throw new RangeError("read past the end of the file");
      return buffer;
    },
    close: () => handle.close(),
  };
}

export function readObject(sha256: string) {
  return createReadStream(objectPath(sha256));
}

export async function removeObject(sha256: string): Promise<void> {
  await rm(objectPath(sha256), { force: true });
  const derivedDir = path.dirname(derivedPath(sha256, "any"));
  const derived = (await readdir(derivedDir).catch(() => [] as string[])).filter((name) => name.startsWith(`${sha256}.`));
  await Promise.all(derived.map((name) => rm(path.join(derivedDir, name), { force: true })));
}

/** Removes temporary files left by uploads that a crash interrupted. */
export async function cleanTemporaryFiles(): Promise<number> {
  const entries = await readdir(tempDir()).catch(() => [] as string[]);
  await Promise.all(entries.map((entry) => rm(path.join(tempDir(), entry), { force: true })));
  return entries.length;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
