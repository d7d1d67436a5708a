/**
 * Refusals that anyone can cause at will (handshakes without a session, throttled logins, refused
 * socket joins, unknown AE titles, bad gateway tokens) would let one source flood the immutable log. Per source (the actor,
 * or the IP address when there is none), action and outcome, the first refusal of a window is written
 * at once and the rest of the window becomes one row at its end with their count, first and last time
 * and a sample of the entities asked for. A flood costs at most two rows per source per minute.
 *
 * Reads that come in floods by design are folded the same way (`recordRepeatedRead`): a viewer fetching a series frame by
 * frame or instance by instance writes one row for its first read of the series in a minute and one counted row for the
 * rest, with a sample of what was read, instead of a row per frame.
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
  samples: Set<string>;
  sampleKey: "entityIds" | "samples";
  timer: ReturnType<typeof setTimeout>;
};

const windows = new Map<string, RefusalWindow>();

function sourceOf(input: AuditInput): string {
  return input.actor?.id ?? input.meta?.ip ?? "unknown";
}

/** Records a refusal, folding repeats from the same source within the window into one counted row. */
export function recordRefusal(db: Db, input: AuditInput): Promise<void> {
  return recordFolded(db, input, "", input.entityId ?? null, "entityIds");
}

/** Records a read of `group` (a series), folding the same source's further reads of it within the window into one counted row. */
export function recordRepeatedRead(db: Db, input: AuditInput, group: string, sample: string): Promise<void> {
  return recordFolded(db, input, `${input.entityId ?? ""}\u0000${group}`, sample, "samples");
}

async function recordFolded(db: Db, input: AuditInput, group: string, sample: string | null, sampleKey: RefusalWindow["sampleKey"]): Promise<void> {
  let key = `${input.action}\u0000${input.outcome}\u0000${sourceOf(input)}\u0000${group}`;
  if (!windows.has(key) && windows.size >= MAX_OPEN_WINDOWS) key = `${input.action}\u0000${input.outcome}\u0000*`;
  const open = windows.get(key);
  if (open) {
    const now = new Date();
    open.repeated++;
    open.firstAt ??= now;
    open.lastAt = now;
    if (sample && open.samples.size < SAMPLE_ENTITIES) open.samples.add(sample);
    return;
  }
  const timer = setTimeout(() => void closeWindow(key), REFUSAL_WINDOW_MS);
  timer.unref();
  windows.set(key, { db, first: input, repeated: 0, samples: new Set(), sampleKey, timer });
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
      entityId: window.sampleKey === "samples" ? first.entityId : null,
      details: {
        ...first.details,
        repeated: window.repeated,
        firstAt: window.firstAt?.toISOString(),
        lastAt: window.lastAt?.toISOString(),
        ...(window.samples.size > 0 ? { [window.sampleKey]: [...window.samples] } : {}),
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
