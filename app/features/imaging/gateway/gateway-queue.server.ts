/**
 * The gateway's on-disk queue. An instance is acknowledged to the PACS only once it is in the queue, flushed to disk; it
 * leaves the queue only once the platform has answered that it holds it. A kill or a network cut in between loses
 * nothing, and the platform answers a file sent twice as a duplicate, so nothing is doubled either.
 *
 *   <dir>/queue/<sha256>.item     waiting: a JSON header line, then the de-identified Part 10 bytes
 *   <dir>/refused/<sha256>.item   refused by the platform for what the file is, with <sha256>.reason beside it
 *
 * Items are named by the hash of their content, so the same instance sent again by the PACS is queued once.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { syncDirectory, writeFileDurably } from "~/platform/storage.server";

export type QueuedHeader = {
  sopInstanceUid: string;
  accessionHash: string | null;
  patientIdHash: string | null;
  callingAeTitle: string;
  receivedAt: string;
};
export type QueuedItem = { id: string; header: QueuedHeader; bytes: Uint8Array };

const ITEM = /^[0-9a-f]{64}\.item$/;

export class GatewayQueue {
  private readonly waiting: string;
  private readonly refusedDir: string;

  constructor(readonly root: string) {
    this.waiting = path.join(root, "queue");
    this.refusedDir = path.join(root, "refused");
  }

  /** Creates the folders and removes temporary files a kill left half-written. */
  async open(): Promise<void> {
    await mkdir(this.waiting, { recursive: true, mode: 0o700 });
    await mkdir(this.refusedDir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.waiting)) if (name.endsWith(".tmp")) await rm(path.join(this.waiting, name), { force: true });
  }

  /** Durably queues one de-identified instance; returns its id. */
  async add(header: QueuedHeader, bytes: Uint8Array): Promise<string> {
    const headerLine = Buffer.from(`${JSON.stringify(header)}\n`);
    const content = Buffer.concat([headerLine, bytes]);
    const id = createHash("sha256").update(content.subarray(headerLine.length)).digest("hex");
    await writeFileDurably(path.join(this.waiting, `${id}.item`), content);
    return id;
  }

  /** The ids of the waiting items. */
  async ids(): Promise<string[]> {
    return (await readdir(this.waiting)).filter((name) => ITEM.test(name)).map((name) => name.slice(0, 64));
  }

  async read(id: string): Promise<QueuedItem> {
    const content = await readFile(path.join(this.waiting, `${id}.item`));
    const newline = content.indexOf(0x0a);
    return { id, header: JSON.parse(content.subarray(0, newline).toString("utf8")) as QueuedHeader, bytes: content.subarray(newline + 1) };
  }

  /** The platform holds it: it leaves the queue. */
  async done(id: string): Promise<void> {
    await rm(path.join(this.waiting, `${id}.item`), { force: true });
    await syncDirectory(this.waiting);
  }

  /** The platform refused it for what it is; it is kept aside with the reason, for the hospital's IT to look at. */
  async refuse(id: string, reason: string): Promise<void> {
    await writeFileDurably(path.join(this.refusedDir, `${id}.reason`), `${reason}\n`);
    await rename(path.join(this.waiting, `${id}.item`), path.join(this.refusedDir, `${id}.item`));
    await syncDirectory(this.waiting);
    await syncDirectory(this.refusedDir);
  }

  async refusedCount(): Promise<number> {
    return (await readdir(this.refusedDir)).filter((name) => ITEM.test(name)).length;
  }
}
