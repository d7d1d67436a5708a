/**
 * DICOM C-STORE SCP for hospital PACS (off unless DICOM_PORT is set). The
 * calling AE title must belong to an active treating institution; each
 * instance is matched to one of that institution's cases by the linkage key,
 * de-identified in memory and stored like any other upload. Instances that
 * match no case go to the institution's inbox, de-identified just the same.
 */
import dimse from "dcmjs-dimse";
import { recordAudit } from "~/features/audit/audit.server";
import { getDb } from "~/platform/db.server";
import { receiveIntoInbox } from "./dicom-inbox.server";
import { ingestDicom } from "./imaging-ingest.server";
import { caseForLinkage } from "./linkage.server";
import { log } from "~/platform/logger.server";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { quietDcmjs } from "~/features/imaging/dicom/quiet-dcmjs";
import { parsePart10, stringValue, tagOf, wrapDataset } from "~/features/imaging/dicom/part10";

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
const FAILURE_REJECTED = 0xc000; // Error: Cannot understand

async function institutionForAeTitle(aeTitle: string) {
  const institutions = await getDb().institution.findMany({ where: { kind: "TREATING", active: true }, select: { id: true, aeTitles: true } });
  return institutions.find((i) => (JSON.parse(i.aeTitles) as string[]).includes(aeTitle.trim())) ?? null;
}

const meta = (association: Association | undefined) => ({ ip: null, userAgent: `DICOM ${association?.getCallingAeTitle() ?? "?"}`, requestId: null });

class StoreScp extends Scp {
  association?: Association;
  institutionId?: string;

  associationRequested(association: Association) {
    this.association = association;
    void institutionForAeTitle(association.getCallingAeTitle()).then(async (institution) => {
      if (!institution) {
        await recordAudit(getDb(), {
          actor: null,
          action: "dicom.associate",
          outcome: "denied",
          details: { callingAe: association.getCallingAeTitle() },
          meta: meta(association),
        });
        this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeNotRecognized);
        return;
      }
      this.institutionId = institution.id;
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
        log("error", "C-STORE failed", { error: String(error) });
        response.setStatus(Status.ProcessingFailure);
      })
      .finally(() => callback(response));
  }

  async store(request: CStoreRequest): Promise<number> {
    const dataset = request.getDataset();
    if (!dataset || !this.institutionId) return FAILURE_REJECTED;
    const bytes = wrapDataset(dataset.getDenaturalizedDataset(), {
      sopClassUid: request.getAffectedSopClassUid(),
      sopInstanceUid: request.getAffectedSopInstanceUid(),
      transferSyntax: dataset.getTransferSyntaxUid(),
    });
    const db = getDb();
    let linkage: (string | undefined)[];
    try {
      const original = parsePart10(bytes, dictionaryVr).dataset;
      linkage = [stringValue(original, tagOf(0x0008, 0x0050)), stringValue(original, tagOf(0x0010, 0x0020))];
    } catch {
      return FAILURE_REJECTED;
    }
    const target = await caseForLinkage(db, this.institutionId, linkage);
    const callingAe = this.association?.getCallingAeTitle() ?? "";
    const result = target
      ? await ingestDicom(db, target.id, bytes, `C-STORE ${request.getAffectedSopInstanceUid()}`)
      : await receiveIntoInbox(db, this.institutionId, callingAe, bytes, `C-STORE ${request.getAffectedSopInstanceUid()}`);
    await recordAudit(db, {
      actor: null,
      action: target ? "dicom.store" : "dicom.inbox",
      outcome: result.status === "rejected" ? "failure" : "success",
      entityType: target ? "Case" : "Institution",
      entityId: target ? target.id : this.institutionId,
      details: { status: result.status, reason: result.reasonKey ?? null, callingAe },
      meta: meta(this.association),
    });
    return result.status === "rejected" ? FAILURE_REJECTED : Status.Success;
  }

  associationReleaseRequested() {
    this.sendAssociationReleaseResponse();
  }
}

export type DicomScp = { port: number; close: () => void };

export function startDicomScp(port: number): DicomScp {
  quietDcmjs();
  const server = new Server(StoreScp as never);
  server.on("networkError", (error: Error) => log("warn", "DICOM network error", { error: String(error) }));
  server.listen(port);
  log("info", "DICOM C-STORE listening", { port });
  return { port, close: () => server.close() };
}
