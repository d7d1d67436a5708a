/**
 * The platform as a DICOM query/retrieve SCU of the institution's PACS (dcmjs-dimse): C-FIND at study, series and image level,
 * and C-GET, which brings the instances back over the same association (the PACS need not know an SCP of ours, as C-MOVE would
 * require). Each association settles to one outcome: done, or the i18n key of why not (refused, unreachable, timed out, cut).
 * Received datasets stay in memory and go straight to the caller's handler; the PACS is told Success only once it has settled
 * the instance, so an instance is either wholly handled or not at all.
 */
import dimse from "dcmjs-dimse";
import { log } from "~/platform/logger.server";
import { quietDcmjs } from "~/features/imaging/dicom/quiet-dcmjs";
import { wrapDataset } from "~/features/imaging/dicom/part10";
import { networkErrorKey, PACS_ERRORS, rejectionKey, type FoundElements, type GetRequest, type PacsErrorKey } from "./pacs-query";

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
/** Milliseconds: to connect, for the PACS to answer the association request, and between two PDUs of an established one. */
export type PacsTimeouts = { connect: number; association: number; pdu: number };
export const DEFAULT_TIMEOUTS: PacsTimeouts = { connect: 10_000, association: 15_000, pdu: 60_000 };

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

/**
 * Sends the requests on one association and settles when it closes. `onStore` handles the C-STORE sub-operations of a C-GET:
 * the dataset as Part 10 bytes in memory, answered with the status it returns. Every handler started is awaited before settling.
 */
function runAssociation(
  pacs: PacsAddress,
  sent: RequestT[],
  {
    timeouts = DEFAULT_TIMEOUTS,
    onResponse,
    onStore,
  }: {
    timeouts?: PacsTimeouts;
    onResponse?: (request: RequestT, response: ResponseT) => void;
    onStore?: (bytes: Uint8Array, ids: { sopInstanceUid: string }) => Promise<number>;
  },
): Promise<AssociationOutcome> {
  quiet();
  return new Promise((resolveOnce) => {
    const client = new Client();
    let settled = false;
    // Settles once every handler started has finished: on close, or at once on a network error (a PACS that went silent may
    // never close its side of the connection).
    const settle = () =>
      void Promise.allSettled(handlers).then(() => {
        if (settled) return;
        settled = true;
        if (error) resolveOnce({ ok: false, errorKey: error });
        else if (finished.size < sent.length) resolveOnce({ ok: false, errorKey: PACS_ERRORS.connectionLost });
        else resolveOnce({ ok: true });
      });
    const resolve = (outcome: AssociationOutcome) => {
      if (settled) return;
      settled = true;
      resolveOnce(outcome);
    };
    let error: PacsErrorKey | null = null;
    const finished = new Set<RequestT>();
    const handlers: Promise<unknown>[] = [];
    for (const request of sent) {
      request.on("response", (response: ResponseT) => {
        if (!PENDING.has(response.getStatus())) finished.add(request);
        onResponse?.(request, response);
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
        const handled = (async () => {
          const dataset = request.getDataset();
          if (!dataset) return Status.ProcessingFailure;
          const bytes = wrapDataset(dataset.getDenaturalizedDataset(), {
            sopClassUid: request.getAffectedSopClassUid(),
            sopInstanceUid: request.getAffectedSopInstanceUid(),
            transferSyntax: dataset.getTransferSyntaxUid(),
          });
          return onStore(bytes, { sopInstanceUid: request.getAffectedSopInstanceUid() });
        })()
          .catch((e: unknown) => {
            log("error", "PACS retrieve: handling an instance failed", { error: String(e) });
            return Status.ProcessingFailure;
          })
          .then((status) => {
            response.setStatus(status);
            try {
              callback(response);
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

/** A C-FIND (Study Root) at one level; at most `limit` answers are kept, the rest only counted as `truncated`. */
export async function pacsFind(
  pacs: PacsAddress,
  level: FindLevel,
  identifier: Record<string, string>,
  { limit, timeouts }: { limit: number; timeouts?: PacsTimeouts },
): Promise<FindOutcome> {
  const request =
    level === "study"
      ? CFindRequest.createStudyFindRequest(identifier)
      : level === "series"
        ? CFindRequest.createSeriesFindRequest(identifier)
        : CFindRequest.createImageFindRequest(identifier);
  const found: FoundElements[] = [];
  let truncated = false;
  let finalStatus: number | null = null;
  const outcome = await runAssociation(pacs, [request], {
    timeouts,
    onResponse: (_request, response) => {
      const status = response.getStatus();
      if (PENDING.has(status)) {
        const dataset = response.hasDataset() ? response.getDataset() : undefined;
        if (!dataset) return;
        if (found.length < limit) found.push(dataset.getElements());
        else truncated = true;
      } else finalStatus = status;
    },
  });
  if (!outcome.ok) return outcome;
  if (finalStatus !== Status.Success) return { ok: false, errorKey: PACS_ERRORS.queryFailed };
  return { ok: true, found, truncated };
}

export type GetOutcome = { ok: true; failed: number } | { ok: false; errorKey: PacsErrorKey; failed: number };

/**
 * C-GETs, one per series or instance, on one association. `onInstance` settles each instance received and returns the
 * C-STORE status to answer. A final status other than Success counts the PACS's failed sub-operations.
 */
export async function pacsGet(
  pacs: PacsAddress,
  gets: GetRequest[],
  onInstance: (bytes: Uint8Array, ids: { sopInstanceUid: string }) => Promise<number>,
  { timeouts }: { timeouts?: PacsTimeouts } = {},
): Promise<GetOutcome> {
  const sent: RequestT[] = gets.flatMap((g) =>
    g.sopInstanceUids === "all"
      ? [CGetRequest.createSeriesGetRequest(g.studyUid, g.seriesUid)]
      : g.sopInstanceUids.map((uid) => CGetRequest.createImageGetRequest(g.studyUid, g.seriesUid, uid)),
  );
  if (sent.length === 0) return { ok: true, failed: 0 };
  let failed = 0;
  let refused = false;
  const outcome = await runAssociation(pacs, sent, {
    timeouts,
    onStore: onInstance,
    onResponse: (_request, response) => {
      const status = response.getStatus();
      if (PENDING.has(status)) return;
      const counts = response as unknown as { getFailures(): number | undefined };
      failed += counts.getFailures() ?? 0;
      if (status !== Status.Success && status !== 0xb000) refused = true;
    },
  });
  if (!outcome.ok) return { ...outcome, failed };
  if (refused) return { ok: false, errorKey: PACS_ERRORS.retrieveFailed, failed };
  return { ok: true, failed };
}
