/**
 * The on-premise gateway (`npm run gateway`), run inside the hospital network so that nothing identifiable leaves it. It is
 * a DICOM C-STORE SCP for the hospital's PACS: each instance is de-identified in memory with the institution's inbox
 * context (the same profile as everywhere, deidentify-file.ts), its accession number and patient ID are replaced by keyed
 * hashes computed here, and only then is it queued on disk (gateway-queue.server.ts) and forwarded by STOW-RS to the
 * platform's gateway intake (gateway-intake.server.ts), which checks it again and files it into the matching case or the
 * institution's inbox. The context comes once from the platform with the institution's gateway token and is kept on disk,
 * so the gateway also starts during a network cut.
 */
import { createHash, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { deidentifyFile } from "~/features/imaging/dicom/deidentify-file";
import { log } from "~/platform/logger.server";
import { writeFileDurably } from "~/platform/storage.server";
import { GATEWAY_HEADERS, GATEWAY_PATHS, type GatewayContext } from "./gateway-protocol";
import { linkageHashWith, normalizeLinkageKey } from "~/features/imaging/linkage";
import { startStoreScp, STORE_REFUSED, STORE_SUCCESS } from "~/features/imaging/store-scp.server";
import { GatewayQueue, type QueuedItem } from "./gateway-queue.server";

export type GatewayConfig = {
  platformUrl: string;
  token: string;
  port: number;
  queueDir: string;
  /** When set, only these calling AE titles may send. */
  callingAeTitles?: string[];
};

export type RunningGateway = { port: number; queue: GatewayQueue; close: () => Promise<void> };

const SENDING_AT_ONCE = 2;
const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 30_000;
const REQUEST_TIMEOUT_MS = 120_000;

export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const queue = new GatewayQueue(config.queueDir);
  await queue.open();
  const stopping = new AbortController();
  const context = await obtainContext(config, stopping.signal);
  const forwarder = new Forwarder(queue, config, stopping.signal);
  const linkageHash = (value: string | undefined) => (value && normalizeLinkageKey(value) ? linkageHashWith(context.linkageKey, value) : null);

  const scp = startStoreScp(config.port, "gateway", {
    admit: async (callingAeTitle) => (!config.callingAeTitles || config.callingAeTitles.includes(callingAeTitle) ? callingAeTitle : null),
    async store(bytes, { callingAeTitle, sopInstanceUid }) {
      const prepared = deidentifyFile(bytes, context.deidContext);
      if (!prepared.ok) {
        log("warn", "gateway: instance refused", { callingAeTitle, sopInstanceUid, reason: prepared.reason, detail: prepared.detail });
        return STORE_REFUSED;
      }
      await queue.add(
        {
          sopInstanceUid: prepared.index.sopInstanceUid,
          accessionHash: linkageHash(prepared.linkage.accessionNumber),
          patientIdHash: linkageHash(prepared.linkage.patientId),
          callingAeTitle,
          receivedAt: new Date().toISOString(),
        },
        prepared.bytes,
      );
      forwarder.wake();
      return STORE_SUCCESS;
    },
  });
  log("info", "gateway: forwarding to the platform", { platform: config.platformUrl, institution: context.institutionId, queue: config.queueDir });
  return {
    port: config.port,
    queue,
    close: async () => {
      scp.close();
      stopping.abort();
      forwarder.wake();
      await forwarder.stopped;
    },
  };
}

/** The inbox context from the platform, kept on disk for the next start; the kept one while the platform cannot be reached. */
async function obtainContext(config: GatewayConfig, signal: AbortSignal): Promise<GatewayContext> {
  const kept = path.join(config.queueDir, "context.json");
  // The kept context is used only with the token it was fetched with.
  const tokenFingerprint = createHash("sha256").update(config.token).digest("hex");
  let delay = FIRST_RETRY_MS;
  for (;;) {
    try {
      const response = await fetch(new URL(GATEWAY_PATHS.context, config.platformUrl), {
        headers: { authorization: `Bearer ${config.token}` },
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      if (response.status === 401) throw new GatewayTokenRefused();
      if (!response.ok) throw new Error(`the platform answered ${response.status}`);
      const context = (await response.json()) as GatewayContext;
      await writeFileDurably(kept, JSON.stringify({ tokenHash: tokenFingerprint, context }));
      return context;
    } catch (error) {
      if (error instanceof GatewayTokenRefused) throw error;
      const saved = await readFile(kept, "utf8")
        .then((text) => JSON.parse(text) as { tokenHash: string; context: GatewayContext })
        .catch(() => null);
      if (saved?.tokenHash === tokenFingerprint) {
        log("warn", "gateway: the platform cannot be reached; using the context kept on disk", { error: String(error) });
        return saved.context;
      }
      if (signal.aborted) throw error;
      log("warn", "gateway: waiting for the platform to give the institution's context", { error: String(error), retryInMs: delay });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, LAST_RETRY_MS);
    }
  }
}

export class GatewayTokenRefused extends Error {
  constructor() {
    super("The platform refused the gateway token: it is unknown, revoked or expired, or not a gateway token. Ask an administrator for a new one.");
  }
}

type Outcome = "done" | "refused" | "retry";

/** Sends the queue to the platform, oldest problems retried with a growing pause, until the gateway closes. */
class Forwarder {
  readonly stopped: Promise<void>;
  private wakeIdle?: () => void;

  constructor(
    private readonly queue: GatewayQueue,
    private readonly config: GatewayConfig,
    private readonly signal: AbortSignal,
  ) {
    this.stopped = this.run();
  }

  /** Something was queued: an idle forwarder starts at once (one waiting to retry keeps its pause). */
  wake() {
    this.wakeIdle?.();
  }

  private pause(ms: number, interruptible: boolean) {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeIdle = undefined;
        this.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.signal.addEventListener("abort", done);
      if (interruptible) this.wakeIdle = done;
    });
  }

  private async run() {
    let retryMs = 0;
    while (!this.signal.aborted) {
      let outcome: "idle" | "retry" | "sent";
      try {
        outcome = await this.pass();
      } catch (error) {
        // The queue directory itself failed (disk full, removed, permissions): say so, keep what is queued, try again later.
        log("error", "gateway: queue unreadable", { error: String(error) });
        outcome = "retry";
      }
      if (outcome === "idle") await this.pause(60_000, true);
      if (outcome === "retry") {
        retryMs = Math.min(Math.max(retryMs * 2, FIRST_RETRY_MS), LAST_RETRY_MS);
        await this.pause(retryMs, false);
      } else retryMs = 0;
    }
  }

  /** One pass over the queue, a few files at a time. */
  private async pass(): Promise<"idle" | "retry" | "sent"> {
    const ids = await this.queue.ids();
    if (ids.length === 0) return "idle";
    let mustRetry = false;
    let forwarded = 0;
    for (let at = 0; at < ids.length && !mustRetry && !this.signal.aborted; at += SENDING_AT_ONCE) {
      const outcomes = await Promise.all(ids.slice(at, at + SENDING_AT_ONCE).map((id) => this.forward(id)));
      forwarded += outcomes.filter((o) => o === "done").length;
      mustRetry = outcomes.includes("retry");
    }
    if (forwarded > 0) log("info", "gateway: forwarded", { forwarded, waiting: (await this.queue.ids()).length });
    return mustRetry ? "retry" : "sent";
  }

  private async forward(id: string): Promise<Outcome> {
    let item: QueuedItem;
    try {
      item = await this.queue.read(id);
    } catch {
      return "done"; // already sent and removed by an earlier pass
    }
    const boundary = `gateway-${randomUUID()}`;
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), item.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.token}`,
      "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}`,
      [GATEWAY_HEADERS.callingAeTitle]: item.header.callingAeTitle,
    };
    if (item.header.accessionHash) headers[GATEWAY_HEADERS.accessionHash] = item.header.accessionHash;
    if (item.header.patientIdHash) headers[GATEWAY_HEADERS.patientIdHash] = item.header.patientIdHash;
    let response: Response;
    try {
      response = await fetch(new URL(GATEWAY_PATHS.studies, this.config.platformUrl), {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.any([this.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
    } catch (error) {
      log("warn", "gateway: the platform cannot be reached", { error: String(error) });
      return "retry";
    }
    const text = await response.text().catch(() => "");
    if (response.status === 200) {
      await this.queue.done(id);
      return "done";
    }
    if ([400, 409, 413, 415].includes(response.status)) {
      const reason = `${response.status} ${refusalDetail(text)}`;
      log("error", "gateway: the platform refused an instance; kept in refused/", { sopInstanceUid: item.header.sopInstanceUid, reason });
      await this.queue.refuse(id, reason);
      return "refused";
    }
    if (response.status === 401) log("error", "gateway: " + new GatewayTokenRefused().message);
    else log("warn", "gateway: the platform answered with an error; retrying", { status: response.status });
    return "retry";
  }
}

/** The failure reasons of a STOW-RS answer, or its text. */
function refusalDetail(text: string): string {
  try {
    const failed = (JSON.parse(text) as Record<string, { Value?: Record<string, { Value?: unknown[] }>[] }>)["00081198"]?.Value ?? [];
    return failed.map((f) => String(f["00081196"]?.Value?.[0] ?? "")).join("; ");
  } catch {
    return text.slice(0, 500);
  }
}
