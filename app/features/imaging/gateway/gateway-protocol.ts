/** What the on-premise gateway and the platform's gateway intake agree on: the paths, the headers and the context. */
import type { DeidContext } from "~/features/imaging/dicom/deidentify";

export const GATEWAY_PATHS = { context: "/gateway/context", studies: "/gateway/studies" } as const;

/** Sent beside the forwarded files: the keyed hashes of the study's accession number and patient ID, and the PACS's AE title. */
export const GATEWAY_HEADERS = {
  accessionHash: "x-linkage-accession-hash",
  patientIdHash: "x-linkage-patient-id-hash",
  callingAeTitle: "x-calling-ae-title",
} as const;

/** What a gateway needs to de-identify and link on its own: the institution's inbox context and linkage key. */
export type GatewayContext = { institutionId: string; deidContext: DeidContext; linkageKey: string };
