/**
 * The platform's own DICOM C-STORE SCP for hospital PACS (off unless DICOM_PORT is set), for installations that run
 * inside China: originals reach this server before they are de-identified. Elsewhere, hospitals run the on-premise
 * gateway (gateway/), which de-identifies before anything leaves the hospital. The calling AE title must belong to an
 * active treating institution; each instance is matched to one of that institution's cases by the linkage key,
 * de-identified in memory and stored like any other upload. Instances that match no case go to the institution's inbox,
 * de-identified just the same.
 */
import { recordAudit } from "~/features/audit/audit.server";
import { recordRefusal } from "~/features/audit/audit-refusals.server";
import { getDb } from "~/platform/db.server";
import { receiveIntoInbox } from "./dicom-inbox.server";
import { ingestDicom } from "./imaging-ingest.server";
import { caseForLinkage } from "./linkage.server";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { parsePart10, stringValue, tagOf } from "~/features/imaging/dicom/part10";
import { startStoreScp, STORE_REFUSED, STORE_SUCCESS, type StoreScp } from "./store-scp.server";

async function institutionForAeTitle(aeTitle: string) {
  const institutions = await getDb().institution.findMany({ where: { kind: "TREATING", active: true }, select: { id: true, aeTitles: true } });
  return institutions.find((i) => (JSON.parse(i.aeTitles) as string[]).includes(aeTitle)) ?? null;
}

const meta = (callingAeTitle: string) => ({ ip: null, userAgent: `DICOM ${callingAeTitle || "?"}`, requestId: null });

export type DicomScp = StoreScp;

export function startDicomScp(port: number): DicomScp {
  return startStoreScp(port, "platform SCP", {
    async admit(callingAeTitle) {
      const institution = await institutionForAeTitle(callingAeTitle);
      if (institution) return institution.id;
      await recordRefusal(getDb(), {
        actor: null,
        action: "dicom.associate",
        outcome: "denied",
        details: { callingAe: callingAeTitle },
        meta: meta(callingAeTitle),
      });
      return null;
    },
    async store(bytes, { peer: institutionId, callingAeTitle, sopInstanceUid }) {
      const db = getDb();
      let linkage: (string | undefined)[];
      try {
        const original = parsePart10(bytes, dictionaryVr).dataset;
        linkage = [stringValue(original, tagOf(0x0008, 0x0050)), stringValue(original, tagOf(0x0010, 0x0020))];
      } catch {
        return STORE_REFUSED;
      }
      const target = await caseForLinkage(db, institutionId, linkage);
      const result = target
        ? await ingestDicom(db, target.id, bytes, `C-STORE ${sopInstanceUid}`)
        : await receiveIntoInbox(db, institutionId, callingAeTitle, bytes, `C-STORE ${sopInstanceUid}`);
      await recordAudit(db, {
        actor: null,
        action: target ? "dicom.store" : "dicom.inbox",
        outcome: result.status === "rejected" ? "failure" : "success",
        entityType: target ? "Case" : "Institution",
        entityId: target ? target.id : institutionId,
        details: { status: result.status, reason: result.reasonKey ?? null, callingAe: callingAeTitle },
        meta: meta(callingAeTitle),
      });
      return result.status === "rejected" ? STORE_REFUSED : STORE_SUCCESS;
    },
  });
}
