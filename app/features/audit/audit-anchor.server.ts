/** Writes the audit chain's head to an append-only file (and an optional external sink) every minute; reads the anchors back for `audit:verify`. */
import { open, readFile } from "node:fs/promises";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Db } from "~/platform/db.server";
import { getDb } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import { log } from "~/platform/logger.server";
import { storageRoot } from "~/platform/storage.server";
import { checkAnchors, formatAnchor, parseAnchors, type AnchorProblem, type AuditAnchor } from "./audit-anchor";

export const anchorFilePath = () => path.resolve(env("AUDIT_ANCHOR_FILE") ?? path.join(storageRoot(), "audit-anchors.jsonl"));

const SINK_TIMEOUT_MS = 5_000;
let lastAnchored: string | undefined;

/** Appends the chain's head to the anchor file (flushed to disk) when it moved since the last anchor; returns the anchor written, if any. */
export async function anchorAuditHead(db: Db = getDb(), now = new Date()): Promise<AuditAnchor | null> {
  const head = await db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true, hash: true } });
  const file = anchorFilePath();
  if (!head || lastAnchored === `${file}:${head.hash}`) return null;
  const anchor: AuditAnchor = { at: now.toISOString(), eventId: head.id, hash: head.hash };
  mkdirSync(path.dirname(file), { recursive: true });
  const handle = await open(file, "a", 0o640);
  try {
    await handle.write(formatAnchor(anchor));
    await handle.sync();
  } finally {
    await handle.close();
  }
  lastAnchored = `${file}:${head.hash}`;
  await sendToSink(anchor);
  return anchor;
}

/** The external sink gets each anchor as a JSON POST; if it is down, the file still has the anchor and the next one follows. */
async function sendToSink(anchor: AuditAnchor) {
  const url = env("AUDIT_ANCHOR_URL");
  if (!url) return;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(anchor),
      signal: AbortSignal.timeout(SINK_TIMEOUT_MS),
    });
    if (!response.ok) log("warn", "audit anchor sink refused", { status: response.status });
  } catch (error) {
    log("warn", "audit anchor sink unreachable", { error: error instanceof Error ? error.message : String(error) });
  }
}

/** Anchors now, then every AUDIT_ANCHOR_SECONDS, and once more on stop. */
export function startAuditAnchoring(intervalMs = env("AUDIT_ANCHOR_SECONDS") * 1000): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running
      .then(() => anchorAuditHead())
      .catch((error) => log("error", "audit anchoring failed", { error: error instanceof Error ? error.message : String(error) }));
    return running;
  };
  void tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await tick();
    },
  };
}

export type AnchorVerification =
  | { ok: true; anchors: number; newest: AuditAnchor | null; file: string }
  | { ok: false; anchors: number; file: string; problem: AnchorProblem | { reason: "anchorFileMissing" } };

/** Checks every anchor in the file against the stored events. */
export async function verifyAuditAnchors(db: Db, eventCount: number, batchSize = 1000): Promise<AnchorVerification> {
  const file = anchorFilePath();
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    if (eventCount === 0) return { ok: true, anchors: 0, newest: null, file };
    return { ok: false, anchors: 0, file, problem: { reason: "anchorFileMissing" } };
  }
  const { anchors, unreadable } = parseAnchors(text);
  if (unreadable.length > 0) return { ok: false, anchors: anchors.length, file, problem: { reason: "anchorUnreadable", line: unreadable[0] } };
  const ids = [...new Set(anchors.map((a) => a.eventId))];
  const stored = new Map<number, string>();
  for (let at = 0; at < ids.length; at += batchSize) {
    const events = await db.auditEvent.findMany({ where: { id: { in: ids.slice(at, at + batchSize) } }, select: { id: true, hash: true } });
    for (const event of events) stored.set(event.id, event.hash);
  }
  const problem = checkAnchors(anchors, stored);
  if (problem) return { ok: false, anchors: anchors.length, file, problem };
  return { ok: true, anchors: anchors.length, newest: anchors.at(-1) ?? null, file };
}
