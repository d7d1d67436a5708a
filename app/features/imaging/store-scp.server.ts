/**
 * A DICOM C-STORE SCP (dcmjs-dimse), shared by the platform's own SCP (dicom-scp.server.ts) and the on-premise gateway
 * (gateway/gateway.server.ts): it accepts an association when `admit` admits the calling AE title, answers C-ECHO, and
 * hands each received dataset, wrapped back into Part 10 in memory, to `store`. A PACS is told Success only once `store`
 * has settled the instance; any error answers a failure status, so the PACS sends it again.
 */
import dimse from "dcmjs-dimse";
import { log } from "~/platform/logger.server";
import { quietDcmjs } from "~/features/imaging/dicom/quiet-dcmjs";
import { wrapDataset } from "~/features/imaging/dicom/part10";

type Dimse = typeof import("dcmjs-dimse");
const { Scp, Server, constants, responses } = dimse as unknown as Dimse;
const { CEchoResponse, CStoreResponse } = responses;
const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason, TransferSyntax } = constants;
type Association = InstanceType<Dimse["association"]["Association"]>;
type CStoreRequest = InstanceType<Dimse["requests"]["CStoreRequest"]>;
type CEchoRequest = InstanceType<Dimse["requests"]["CEchoRequest"]>;
type CStoreResponseT = InstanceType<Dimse["responses"]["CStoreResponse"]>;
type CEchoResponseT = InstanceType<Dimse["responses"]["CEchoResponse"]>;

/** Transfer syntaxes accepted as they are (stored as received). */
const ACCEPTED = [
  TransferSyntax.ExplicitVRLittleEndian,
  TransferSyntax.ImplicitVRLittleEndian,
  "1.2.840.10008.1.2.4.50",
  "1.2.840.10008.1.2.4.51",
  "1.2.840.10008.1.2.4.57",
  "1.2.840.10008.1.2.4.70",
  "1.2.840.10008.1.2.4.80",
  "1.2.840.10008.1.2.4.81",
  "1.2.840.10008.1.2.4.90",
  "1.2.840.10008.1.2.4.91",
  "1.2.840.10008.1.2.5",
];
/** Error: Cannot understand. The instance was refused for what it is; sending it again does not help. */
export const STORE_REFUSED = 0xc000;
export const STORE_SUCCESS = Status.Success;
export const STORE_FAILED = Status.ProcessingFailure;

export type StoreHandlers<Peer> = {
  /** Who the calling AE title is, or null to refuse the association. */
  admit(callingAeTitle: string): Promise<Peer | null>;
  /** Settles one instance and returns the C-STORE status to answer. */
  store(bytes: Uint8Array, from: { peer: Peer; callingAeTitle: string; sopInstanceUid: string }): Promise<number>;
};

export type StoreScp = { port: number; close: () => void };

export function startStoreScp<Peer>(port: number, label: string, handlers: StoreHandlers<Peer>): StoreScp {
  quietDcmjs();
  class HandlerScp extends Scp {
    association?: Association;
    peer?: Peer;

    associationRequested(association: Association) {
      this.association = association;
      void handlers
        .admit(association.getCallingAeTitle().trim())
        .catch((error) => {
          log("error", `${label}: admitting an association failed`, { error: String(error) });
          return null;
        })
        .then((peer) => {
          if (peer === null) {
            this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeNotRecognized);
            return;
          }
          this.peer = peer;
          for (const proposed of association.getPresentationContexts()) {
            const context = association.getPresentationContext(proposed.id);
            const syntax = context.getTransferSyntaxUids().find((ts: string) => ACCEPTED.includes(ts));
            if (syntax) context.setResult(PresentationContextResult.Accept, syntax);
            else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
          }
          this.sendAssociationAccept();
        });
    }

    cEchoRequest(request: CEchoRequest, callback: (response: CEchoResponseT) => void) {
      const response = CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    cStoreRequest(request: CStoreRequest, callback: (response: CStoreResponseT) => void) {
      const response = CStoreResponse.fromRequest(request);
      void this.store(request)
        .then((status) => response.setStatus(status))
        .catch((error) => {
          log("error", `${label}: C-STORE failed`, { error: String(error) });
          response.setStatus(STORE_FAILED);
        })
        .finally(() => callback(response));
    }

    async store(request: CStoreRequest): Promise<number> {
      const dataset = request.getDataset();
      if (!dataset || this.peer === undefined) return STORE_REFUSED;
      const bytes = wrapDataset(dataset.getDenaturalizedDataset(), {
        sopClassUid: request.getAffectedSopClassUid(),
        sopInstanceUid: request.getAffectedSopInstanceUid(),
        transferSyntax: dataset.getTransferSyntaxUid(),
      });
      return handlers.store(bytes, {
        peer: this.peer,
        callingAeTitle: this.association?.getCallingAeTitle().trim() ?? "",
        sopInstanceUid: request.getAffectedSopInstanceUid(),
      });
    }

    associationReleaseRequested() {
      this.sendAssociationReleaseResponse();
    }
  }
  const server = new Server(HandlerScp as never);
  server.on("networkError", (error: Error) => log("warn", `${label}: DICOM network error`, { error: String(error) }));
  server.listen(port);
  log("info", `${label}: DICOM C-STORE listening`, { port });
  return { port, close: () => server.close() };
}
