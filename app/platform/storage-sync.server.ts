/**
 * The storage's durable write for a worker thread: the steps of `stageBytes` and `commitStaged` (temporary file,
 * flushed, renamed under its content hash, directory flushed), done synchronously. In a worker they block only that
 * worker, and the event loop is spared the dozen file-system round trips an instance would otherwise cost it.
 * No environment is read here: the caller names the paths.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export function storeObjectSync(bytes: Uint8Array, tempPath: string, target: string): void {
  if (existsSync(target)) return;
  mkdirSync(path.dirname(tempPath), { recursive: true });
  try {
    const file = openSync(tempPath, "wx");
    try {
      writeFileSync(file, bytes);
      fsyncSync(file);
    } finally {
      closeSync(file);
    }
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(tempPath, target);
  } catch (error) {
    rmSync(tempPath, { force: true });
    throw error;
  }
  const directory = openSync(path.dirname(target), "r");
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}
