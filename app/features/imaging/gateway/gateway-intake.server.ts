/**
 * The platform's side of an institution's on-premise gateway (gateway/): the inbox context the gateway de-identifies with,
 * and the STOW-RS intake of what it forwards. A gateway token opens these two and nothing else. The intake does not trust
 * the gateway: every file must pass the server's check against the institution's inbox context (deid-verify.ts). A file
 * whose linkage hash matches one of the institution's cases goes to the case with the case's context applied on top, as an
 * inbox attach does; any other waits in the institution's inbox. Sending a file again is answered as a duplicate, so the
 * gateway may retry freely.
 */
import { recordAudit } from "~/features/audit/audit.server";
import { recordRefusal } from "~/features/audit/audit-refusals.server";
import { bearerToken, gatewayForToken, type GatewayCaller } from "~/features/identity/api-tokens.server";
import { REJECTION_KEYS } from "~/features/imaging/dicom/rejection-keys";
import { AE_TITLE } from "~/platform/ae-title";
import { GATEWAY_HEADERS, type GatewayContext } from "./gateway-protocol";
import { getDb, type Db } from "~/platform/db.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import { institutionDeidContext } from "../deid-context.server";
import { keepInInbox, type LinkageHashes } from "../dicom-inbox.server";
import { prepareInWorker } from "../dicom-workers.server";
import { dicomJsonResponse, eachStowPart, partTooLarge, stowAnswer } from "../dicomweb.server";
import type { StreamedPart } from "~/platform/multipart-related";
import { ingestDicom, type IngestResult } from "../imaging-ingest.server";
import { LINKAGE_HASH } from "../linkage";
import { caseForLinkageHashes, institutionLinkageKey } from "../linkage.server";

/** The gateway of the request's bearer token; otherwise a 401 with a Bearer challenge, the refusal audited. */
export async function requireGateway(request: Request, meta: RequestMeta): Promise<GatewayCaller> {
  const token = bearerToken(request);
  const gateway = token ? await gatewayForToken(getDb(), token) : null;
  if (gateway) return gateway;
  await recordRefusal(getDb(), {
    actor: null,
    action: "gateway.denied",
    outcome: "denied",
    details: { path: new URL(request.url).pathname, token: token ? "not a live gateway token" : "none" },
    meta,
  });
  throw new Response("A live gateway token is required", { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="gateway"' } });
}

export async function loadGatewayContext({ gateway, meta, db = getDb() }: { gateway: GatewayCaller; meta: RequestMeta; db?: Db }): Promise<GatewayContext> {
  const context = {
    institutionId: gateway.institutionId,
    deidContext: await institutionDeidContext(db, gateway.institutionId),
    linkageKey: await institutionLinkageKey(db, gateway.institutionId),
  };
  await recordAudit(db, {
    actor: null,
    action: "gateway.context",
    outcome: "success",
    entityType: "Institution",
    entityId: gateway.institutionId,
    details: { gateway: gateway.name, tokenId: gateway.tokenId },
    meta,
  });
  return context;
}

/** The linkage hashes and the PACS's AE title the gateway sends beside the files, or null when a header is malformed. */
export function gatewayHeaders(request: Request): { hashes: LinkageHashes; callingAeTitle: string | null } | null {
  const hash = (name: string) => {
    const value = request.headers.get(name);
    if (value === null || value === "") return null;
    return LINKAGE_HASH.test(value) ? value : undefined;
  };
  const accessionHash = hash(GATEWAY_HEADERS.accessionHash);
  const patientIdHash = hash(GATEWAY_HEADERS.patientIdHash);
  const ae = request.headers.get(GATEWAY_HEADERS.callingAeTitle);
  if (accessionHash === undefined || patientIdHash === undefined || (ae !== null && !AE_TITLE.test(ae))) return null;
  return { hashes: { accessionHash, patientIdHash }, callingAeTitle: ae?.trim() || null };
}

/** Files a gateway forwards in one request (one study's instances, with that study's linkage hashes). */
export async function receiveFromGateway({
  gateway,
  meta,
  parts,
  hashes,
  callingAeTitle,
  base,
  db = getDb(),
}: {
  gateway: GatewayCaller;
  meta: RequestMeta;
  parts: AsyncIterable<StreamedPart>;
  hashes: LinkageHashes;
  callingAeTitle: string | null;
  base: string;
  db?: Db;
}): Promise<Response> {
  const { institutionId } = gateway;
  const inbox = await institutionDeidContext(db, institutionId);
  const target = await caseForLinkageHashes(
    db,
    institutionId,
    [hashes.accessionHash, hashes.patientIdHash].filter((h): h is string => h !== null),
  );
  const source = `${callingAeTitle ?? "?"} via ${gateway.name}`.slice(0, 64);
  const { results, malformed } = await eachStowPart(parts, async (part, i): Promise<IngestResult> => {
    const fileName = `part ${i + 1}`;
    if (part.tooLarge) return partTooLarge(i);
    const checked = await prepareInWorker(part.bytes, inbox, "check");
    if (!checked.ok) return { fileName, status: "rejected", reasonKey: REJECTION_KEYS[checked.reason], detail: checked.detail };
    if (target) return ingestDicom(db, target.id, part.bytes, fileName, { inbox });
    return keepInInbox(db, { institutionId, source, prepared: checked, hashes, fileName });
  });
  if (results.length === 0) return new Response(malformed ? "Malformed multipart body" : "No DICOM parts", { status: 400 });
  const count = (status: IngestResult["status"]) => results.filter((r) => r.status === status).length;
  const rejected = results.filter((r) => r.status === "rejected");
  await recordAudit(db, {
    actor: null,
    action: target ? "gateway.store" : "gateway.inbox",
    outcome: rejected.length === results.length ? "failure" : "success",
    entityType: target ? "Case" : "Institution",
    entityId: target ? target.id : institutionId,
    details: {
      gateway: gateway.name,
      tokenId: gateway.tokenId,
      callingAe: callingAeTitle,
      stored: count("stored"),
      duplicate: count("duplicate"),
      rejected: rejected.map((r) => r.reasonKey),
    },
    meta,
  });
  const answer = stowAnswer(results, base);
  return dicomJsonResponse(answer.body, answer.status);
}
