/**
 * Refusals that anyone can cause at will (handshakes without a session, throttled logins, refused
 * socket joins, unknown AE titles, bad gateway tokens) would let one source flood the immutable log. Per source (the actor,
 * or the IP address when there is none), action and outcome, the first refusal of a window is written
 * at once and the rest of the window becomes one row at its end with their count, first and last time
 * and a sample of the entities asked for. A flood costs at most two rows per source per minute.
 */
import { log } from "~/platform/logger.server";
import type { Db } from "~/platform/db.server";
import { recordAudit, type AuditInput } from "./audit.server";

const REFUSAL_WINDOW_MS = 60_000;
/** Beyond this many sources in one window, further sources share one window per action (memory stays bounded). */
const MAX_OPEN_WINDOWS = 10_000;
const SAMPLE_ENTITIES = 20;

type RefusalWindow = {
  db: Db;
  first: AuditInput;
  repeated: number;
  firstAt?: Date;
  lastAt?: Date;
  entityIds: Set<string>;
  timer: ReturnType<typeof setTimeout>;
};

const windows = new Map<string, RefusalWindow>();

function sourceOf(input: AuditInput): string {
  return input.actor?.id ?? input.meta?.ip ?? "unknown";
}

/** Records a refusal, folding repeats from the same source within the window into one counted row. */
export async function recordRefusal(db: Db, input: AuditInput): Promise<void> {
  let key = `${input.action}\u0000${input.outcome}\u0000${sourceOf(input)}`;
  if (!windows.has(key) && windows.size >= MAX_OPEN_WINDOWS) key = `${input.action}\u0000${input.outcome}\u0000*`;
  const open = windows.get(key);
  if (open) {
    const now = new Date();
    open.repeated++;
    open.firstAt ??= now;
    open.lastAt = now;
    if (input.entityId && open.entityIds.size < SAMPLE_ENTITIES) open.entityIds.add(input.entityId);
    return;
  }
  const timer = setTimeout(() => void closeWindow(key), REFUSAL_WINDOW_MS);
  timer.unref();
  windows.set(key, { db, first: input, repeated: 0, entityIds: new Set(), timer });
  await recordAudit(db, input);
}

async function closeWindow(key: string): Promise<void> {
  const window = windows.get(key);
  if (!window) return;
  windows.delete(key);
  clearTimeout(window.timer);
  if (window.repeated === 0) return;
  const { first } = window;
  try {
    await recordAudit(window.db, {
      ...first,
      entityId: null,
      details: {
        ...first.details,
        repeated: window.repeated,
        firstAt: window.firstAt?.toISOString(),
        lastAt: window.lastAt?.toISOString(),
        ...(window.entityIds.size > 0 ? { entityIds: [...window.entityIds] } : {}),
      },
    });
  } catch (error) {
    log("error", "audit: repeated refusals not recorded", { action: first.action, repeated: window.repeated, error: String(error) });
  }
}

/** Writes every open window's count now (at shutdown, and in tests). */
export async function flushRefusals(): Promise<void> {
  await Promise.all([...windows.keys()].map(closeWindow));
}
