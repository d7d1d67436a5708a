/**
 * The platform as a DICOM query/retrieve SCU of the institution's PACS (dcmjs-dimse): C-FIND at study, series and image level,
 * and C-GET, which brings the instances back over the same association (the PACS need not know an SCP of ours, as C-MOVE would
 * require). Each association settles to one outcome: done, or the i18n key of why not (refused, unreachable, timed out, cut).
 * Received datasets stay in memory and go straight to the caller's handler; the PACS is told Success only once it has settled
 * the instance, so an instance is either wholly handled or not at all. An instance the C-GETs did not ask for is refused before
 * it reaches the handler. A C-FIND has an overall deadline and is cancelled once it has more answers than are kept; a C-GET
 * may stay idle only so long; either way the association is aborted and the socket closed, so nothing keeps it open.
 */
import dimse from "dcmjs-dimse";
import { log } from "~/platform/logger.server";
import { quietDcmjs } from "~/features/imaging/dicom/quiet-dcmjs";
import { wrapDataset } from "~/features/imaging/dicom/part10";
import {
  networkErrorKey,
  PACS_ERRORS,
  rejectionKey,
  requestedInstances,
  text,
  UNREQUESTED_STATUS,
  type FoundElements,
  type GetRequest,
  type PacsErrorKey,
  type ReceivedIds,
} from "./pacs-query";

type Dimse = typeof import("dcmjs-dimse");
const { Client, constants, requests, responses, association } = dimse as unknown as Dimse;
const { CFindRequest, CGetRequest } = requests;
const { CStoreResponse } = responses;
const { Status } = constants;
type CStoreRequestT = InstanceType<Dimse["requests"]["CStoreRequest"]>;
type CStoreResponseT = InstanceType<Dimse["responses"]["CStoreResponse"]>;
type RequestT = InstanceType<Dimse["requests"]["CFindRequest"]> | InstanceType<Dimse["requests"]["CGetRequest"]>;
type ResponseT = { getStatus(): number; hasDataset(): boolean; getDataset(): { getElements(): FoundElements } | undefined };

/** The calling AE title when the institution names none. */
export const DEFAULT_CALLING_AE = "TUMORBOARD";

export type PacsAddress = { host: string; port: number; calledAeTitle: string; callingAeTitle: string };
/**
 * Milliseconds: to connect, for the PACS to answer the association request, between two PDUs of an established one, for a
 * whole C-FIND association (`find`: a PACS sending an answer every few seconds resets the PDU timeout each time), and for a
 * C-GET association to go without an instance arriving (`getIdle`; time our side spends on an instance does not count).
 */
export type PacsTimeouts = { connect: number; association: number; pdu: number; find: number; getIdle: number };
export const DEFAULT_TIMEOUTS: PacsTimeouts = { connect: 10_000, association: 15_000, pdu: 60_000, find: 30_000, getIdle: 60_000 };
/**
 * After a C-CANCEL, how long and how many more answers the PACS is given to end the C-FIND before the association is aborted:
 * answers it sent before it read the C-CANCEL are still on their way (a few hundred from a fast PACS), so the count is generous.
 */
const CANCEL_GRACE_MS = 2_000;
const CANCEL_GRACE_ANSWERS = 500;

/** Storage classes dcmjs-dimse does not propose by itself for C-GET, which tumor boards meet. */
const EXTRA_STORAGE_CLASSES = [
  "1.2.840.10008.5.1.4.1.1.66.4", // Segmentation
  "1.2.840.10008.5.1.4.1.1.481.3", // RT Structure Set
  "1.2.840.10008.5.1.4.1.1.481.2", // RT Dose
  "1.2.840.10008.5.1.4.1.1.481.5", // RT Plan
  "1.2.840.10008.5.1.4.1.1.88.59", // Key Object Selection
  "1.2.840.10008.5.1.4.1.1.11.1", // Grayscale Softcopy Presentation State
  "1.2.840.10008.5.1.4.1.1.7.4", // Multi-frame True Color SC (not in every list)
  "1.2.840.10008.5.1.4.1.1.30", // Parametric Map
];

export type AssociationOutcome = { ok: true } | { ok: false; errorKey: PacsErrorKey };

const PENDING = new Set([Status.Pending, 0xff01]);

let quieted = false;
function quiet() {
  if (quieted) return;
  quietDcmjs();
  (dimse as unknown as { log: { setLevel(level: string): void } }).log.setLevel("silent");
  quieted = true;
}

/** What a response handler may do with the association: cancel a C-FIND or C-GET, or end it at once with an outcome. */
type Control = { cancel(request: RequestT): void; stop(outcome: AssociationOutcome): void };
/** A C-STORE sub-operation received: the instance's UIDs, and its Part 10 bytes, built only when asked for. */
export type ReceivedInstance = { ids: ReceivedIds; bytes(): Uint8Array };

/**
 * Sends the requests on one association and settles when it closes. `onStore` handles the C-STORE sub-operations of a C-GET,
 * answered with the status it returns. Every handler started is awaited before settling. `deadline` (ms) ends the whole
 * association with `deadlineKey`; `idle` (ms) ends it when no instance has arrived for that long while none is being handled.
 */
function runAssociation(
  pacs: PacsAddress,
  sent: RequestT[],
  {
    timeouts = DEFAULT_TIMEOUTS,
    deadline,
    idle,
    deadlineKey = PACS_ERRORS.timeout,
    onResponse,
    onStore,
  }: {
    timeouts?: PacsTimeouts;
    deadline?: number;
    idle?: number;
    deadlineKey?: PacsErrorKey;
    onResponse?: (request: RequestT, response: ResponseT, control: Control) => void;
    onStore?: (instance: ReceivedInstance) => Promise<number>;
  },
): Promise<AssociationOutcome> {
  quiet();
  return new Promise((resolveOnce) => {
    const client = new Client();
    let settled = false;
    /** The outcome decided on our side (deadline, idle, enough answers), which no later network event changes. */
    let forced: AssociationOutcome | null = null;
    let error: PacsErrorKey | null = null;
    const finished = new Set<RequestT>();
    const handlers: Promise<unknown>[] = [];
    let inFlight = 0;
    const timers: ReturnType<typeof setTimeout>[] = [];
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const clearTimers = () => {
      for (const t of timers) clearTimeout(t);
      clearTimeout(idleTimer);
    };
    // Settles once every handler started has finished: on close, or at once on a network error or a stop of ours (a PACS that
    // went silent or misbehaves may never close its side of the connection).
    const settle = () =>
      void Promise.allSettled(handlers).then(() => {
        if (settled) return;
        settled = true;
        clearTimers();
        if (forced) resolveOnce(forced);
        else if (error) resolveOnce({ ok: false, errorKey: error });
        else if (finished.size < sent.length) resolveOnce({ ok: false, errorKey: PACS_ERRORS.connectionLost });
        else resolveOnce({ ok: true });
      });
    const resolve = (outcome: AssociationOutcome) => {
      if (settled) return;
      settled = true;
      clearTimers();
      resolveOnce(outcome);
    };
    /** Ends the association from our side: A-ABORT, then the socket closed without reading what the PACS still sends. */
    const stop = (outcome: AssociationOutcome) => {
      if (forced || settled) return;
      forced = outcome;
      clearTimers();
      const socket = (client as unknown as { network?: { socket?: import("node:net").Socket } }).network?.socket;
      try {
        client.abort();
      } catch {
        // No association yet (still connecting): closing the socket is enough.
      }
      if (socket) {
        socket.pause();
        socket.end();
        setTimeout(() => socket.destroy(), 500).unref();
      }
      settle();
    };
    const control: Control = {
      cancel: (request) => {
        try {
          client.cancel(request as InstanceType<Dimse["requests"]["CFindRequest"]>);
        } catch {
          // The association is gone already.
        }
      },
      stop,
    };
    const armIdle = () => {
      if (idle === undefined || forced || settled) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        if (inFlight > 0) return; // Our side is still handling an instance: that time is not the PACS's.
        stop({ ok: false, errorKey: PACS_ERRORS.pullStalled });
      }, idle);
    };
    if (deadline !== undefined) timers.push(setTimeout(() => stop({ ok: false, errorKey: deadlineKey }), deadline));
    armIdle();

    for (const request of sent) {
      request.on("response", (response: ResponseT) => {
        if (forced) return;
        if (!PENDING.has(response.getStatus())) finished.add(request);
        onResponse?.(request, response, control);
      });
      client.addRequest(request);
    }
    if (onStore) {
      for (const sopClassUid of EXTRA_STORAGE_CLASSES) {
        const context = new association.PresentationContext(0, sopClassUid, constants.TransferSyntax.ExplicitVRLittleEndian, undefined, false, true);
        context.addTransferSyntaxUid(constants.TransferSyntax.ImplicitVRLittleEndian);
        client.addAdditionalPresentationContext(context);
      }
      client.on("cStoreRequest", (request: CStoreRequestT, callback: (response: CStoreResponseT) => void) => {
        const response = CStoreResponse.fromRequest(request);
        if (forced) return;
        inFlight++;
        clearTimeout(idleTimer);
        const handled = (async () => {
          const dataset = request.getDataset();
          if (!dataset) return Status.ProcessingFailure;
          // The UIDs as the PACS sent them, read before anything else is done with the instance (de-identification included).
          const elements = dataset.getElements();
          const commandSopInstanceUid = text(request.getAffectedSopInstanceUid());
          return onStore({
            ids: {
              studyUid: text(elements.StudyInstanceUID),
              seriesUid: text(elements.SeriesInstanceUID),
              sopInstanceUid: text(elements.SOPInstanceUID),
              commandSopInstanceUid,
            },
            bytes: () =>
              wrapDataset(dataset.getDenaturalizedDataset(), {
                sopClassUid: request.getAffectedSopClassUid(),
                sopInstanceUid: request.getAffectedSopInstanceUid(),
                transferSyntax: dataset.getTransferSyntaxUid(),
              }),
          });
        })()
          .catch((e: unknown) => {
            log("error", "PACS retrieve: handling an instance failed", { error: String(e) });
            return Status.ProcessingFailure;
          })
          .then((status) => {
            inFlight--;
            armIdle();
            response.setStatus(status);
            try {
              if (!forced) callback(response);
            } catch {
              // The association is already gone; the instance was handled all the same.
            }
          });
        handlers.push(handled);
      });
    }
    client.on("associationRejected", (reject: { result?: number; source?: number; reason?: number }) => {
      error ??= rejectionKey(reject);
    });
    client.on("networkError", (e: Error) => {
      // The message names only the AE title and the socket's error, never a dataset.
      log("warn", "PACS association: network error", { error: e.message });
      error ??= networkErrorKey(e.message);
      settle();
    });
    client.on("closed", settle);
    try {
      client.send(pacs.host, pacs.port, pacs.callingAeTitle, pacs.calledAeTitle, {
        connectTimeout: timeouts.connect,
        associationTimeout: timeouts.association,
        pduTimeout: timeouts.pdu,
      });
    } catch (e) {
      log("warn", "PACS association could not start", { error: String(e) });
      resolve({ ok: false, errorKey: PACS_ERRORS.unreachable });
    }
  });
}

export type FindLevel = "study" | "series" | "image";
export type FindOutcome = { ok: true; found: FoundElements[]; truncated: boolean } | { ok: false; errorKey: PacsErrorKey };

/**
 * A C-FIND (Study Root) at one level. At most `limit` answers are kept; at the next one the C-FIND is cancelled (C-CANCEL) and
 * `truncated` says there were more; a PACS that goes on answering regardless is cut off (A-ABORT). The whole C-FIND must end
 * within `timeouts.find`, else it is aborted with `searchDeadline`.
 */
export async function pacsFind(
  pacs: PacsAddress,
  level: FindLevel,
  identifier: Record<string, string>,
  { limit, timeouts }: { limit: number; timeouts?: Partial<PacsTimeouts> },
): Promise<FindOutcome> {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const request =
    level === "study"
      ? CFindRequest.createStudyFindRequest(identifier)
      : level === "series"
        ? CFindRequest.createSeriesFindRequest(identifier)
        : CFindRequest.createImageFindRequest(identifier);
  const found: FoundElements[] = [];
  let truncated = false;
  let extra = 0;
  let finalStatus: number | null = null;
  const outcome = await runAssociation(pacs, [request], {
    timeouts: t,
    deadline: t.find,
    deadlineKey: PACS_ERRORS.searchDeadline,
    onResponse: (_request, response, control) => {
      const status = response.getStatus();
      if (!PENDING.has(status)) {
        finalStatus = status;
        return;
      }
      if (!truncated) {
        const dataset = response.hasDataset() ? response.getDataset() : undefined;
        if (!dataset) return;
        if (found.length < limit) {
          found.push(dataset.getElements());
          return;
        }
        // One answer more than kept: there are more. Ask the PACS to stop, and stop listening if it does not.
        truncated = true;
        control.cancel(request);
        setTimeout(() => control.stop({ ok: true }), CANCEL_GRACE_MS).unref();
        return;
      }
      if (++extra > CANCEL_GRACE_ANSWERS) control.stop({ ok: true });
    },
  });
  if (!outcome.ok) return outcome;
  // Cut off or cancelled (0xFE00) after enough answers: what was kept is the answer.
  if (truncated && (finalStatus === null || finalStatus === Status.Cancel || finalStatus === Status.Success)) return { ok: true, found, truncated };
  if (finalStatus !== Status.Success) return { ok: false, errorKey: PACS_ERRORS.queryFailed };
  return { ok: true, found, truncated };
}

export type GetOutcome = { ok: true; failed: number; unrequested: number } | { ok: false; errorKey: PacsErrorKey; failed: number; unrequested: number };

/**
 * C-GETs, one per whole series or per instance, on one association. Each instance received is checked against the requests
 * first: one not asked for is refused (`UNREQUESTED_STATUS`) and counted, never handed on; `onInstance` settles each other
 * instance and returns the C-STORE status to answer. A final status other than Success counts the PACS's failed
 * sub-operations. The association is aborted when no instance has arrived for `timeouts.getIdle`.
 */
export async function pacsGet(
  pacs: PacsAddress,
  gets: GetRequest[],
  onInstance: (bytes: Uint8Array, ids: ReceivedIds) => Promise<number>,
  { timeouts, onUnrequested }: { timeouts?: Partial<PacsTimeouts>; onUnrequested?: () => Promise<void> } = {},
): Promise<GetOutcome> {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const sent: RequestT[] = gets.flatMap((g) =>
    g.whole
      ? [CGetRequest.createSeriesGetRequest(g.studyUid, g.seriesUid)]
      : g.sopInstanceUids.map((uid) => CGetRequest.createImageGetRequest(g.studyUid, g.seriesUid, uid)),
  );
  if (sent.length === 0) return { ok: true, failed: 0, unrequested: 0 };
  const requested = requestedInstances(gets);
  let failed = 0;
  let unrequested = 0;
  let refused = false;
  const outcome = await runAssociation(pacs, sent, {
    timeouts: t,
    idle: t.getIdle,
    onStore: async ({ ids, bytes }) => {
      if (!requested(ids)) {
        unrequested++;
        // Counts only: the UIDs the PACS sent are the hospital's, and go nowhere.
        log("warn", "PACS retrieve: refused an instance that was not asked for");
        await onUnrequested?.();
        return UNREQUESTED_STATUS;
      }
      return onInstance(bytes(), ids);
    },
    onResponse: (_request, response) => {
      const status = response.getStatus();
      if (PENDING.has(status)) return;
      const counts = response as unknown as { getFailures(): number | undefined };
      failed += counts.getFailures() ?? 0;
      if (status !== Status.Success && status !== 0xb000) refused = true;
    },
  });
  if (!outcome.ok) return { ...outcome, failed, unrequested };
  if (refused) return { ok: false, errorKey: PACS_ERRORS.retrieveFailed, failed, unrequested };
  return { ok: true, failed, unrequested };
}
