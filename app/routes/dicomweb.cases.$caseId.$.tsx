import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { canAddImaging, canViewCase } from "~/features/cases/case-access";
import { denyAccess, getOptionalUser } from "~/features/identity/auth.server";
import { auditCase, requireCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import {
  DICOM_JSON, findInstance, frame, instanceMetadata, multipart, multipartParts, negotiatedFile, qidoInstances, qidoSeries, qidoStudies, stow,
} from "~/features/imaging/dicomweb.server";
import { maxDicomFileBytes } from "~/features/imaging/imaging-ingest.server";
import { requestMeta } from "~/platform/request-meta.server";
import { readFile } from "node:fs/promises";
import { acceptedTransferSyntaxes } from "~/features/imaging/dicom/accept-transfer-syntax";
import { TS } from "~/features/imaging/dicom/part10";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": DICOM_JSON, "Cache-Control": "private, no-store" } });

const NATIVE_LE = [TS.explicitLE, TS.implicitLE, TS.deflatedLE];
const notAcceptable = () => new Response("None of the accepted transfer syntaxes can be provided for this instance", { status: 406 });

/** No session and no token: 401 with a Bearer challenge, as integrations expect. */
async function signedIn(request: Request) {
  if (!(await getOptionalUser(request))) {
    throw new Response("Authentication required", { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="dicomweb"' } });
  }
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await signedIn(request);
  const { user, facts } = await requireCase(request, context, params.caseId, canViewCase);
  const db = getDb();
  const url = new URL(request.url);
  const base = `${url.origin}/dicomweb/cases/${facts.id}`;
  const path = (params["*"] ?? "").split("/").filter(Boolean);
  const notFound = async () => {
    throw await denyAccess(request, context, user, { caseId: facts.id, dicomweb: path.join("/") }, 404);
  };
  const audit = (what: string) => auditCase(db, user, "imaging.read", facts.id, requestMeta(request, context), { dicomweb: what });

  if (path[0] !== "studies") return notFound();
  if (path.length === 1) {
    await audit("qido:studies");
    return json(await qidoStudies(db, facts.id, facts.code, user.role, base, url.searchParams));
  }
  const [, study, seriesWord, series, instancesWord, instance, tail, frameNumber] = path;
  if (path.length === 3 && seriesWord === "series") {
    const result = await qidoSeries(db, facts.id, user.role, base, study, url.searchParams);
    if (!result) return notFound();
    await audit(`qido:series ${study}`);
    return json(result);
  }
  if (seriesWord !== "series" || instancesWord !== "instances") return notFound();
  if (path.length === 5) {
    const result = await qidoInstances(db, facts.id, user.role, base, study, series);
    if (!result) return notFound();
    await audit(`qido:instances ${series}`);
    return json(result);
  }
  const found = await findInstance(db, facts.id, user.role, study, series, instance);
  if (!found) return notFound();
  const instanceBase = `${base}/studies/${study}/series/${series}/instances/${instance}`;
  const accept = request.headers.get("accept");
  if (path.length === 6) {
    const file = await negotiatedFile(found.sha256, found.transferSyntax, acceptedTransferSyntaxes(accept, "application/dicom"));
    if (!file) return notAcceptable();
    await audit(`wado:instance ${instance}`);
    return multipart([{ contentType: `application/dicom; transfer-syntax=${file.transferSyntax}`, body: await readFile(file.path) }], "application/dicom");
  }
  if (path.length === 7 && tail === "metadata") {
    await audit(`wado:metadata ${instance}`);
    return json([await instanceMetadata(found.sha256, instanceBase)]);
  }
  if (path.length === 8 && tail === "frames") {
    // Native little-endian pixels (implicit, explicit or deflated) are already what Explicit VR Little Endian frames hold.
    const file = await negotiatedFile(found.sha256, found.transferSyntax, acceptedTransferSyntaxes(accept, "application/octet-stream"), NATIVE_LE);
    if (!file) return notAcceptable();
    const result = await frame(file.path, Number(frameNumber), found.frames);
    if (!result) return notFound();
    await audit(`wado:frame ${instance}/${frameNumber}`);
    return multipart([{ contentType: result.contentType, body: result.body }], "application/octet-stream");
  }
  return notFound();
}

/** The request body, or null once it grows past the limit (declared or not). */
async function readCapped(request: Request, limit: number): Promise<Buffer | null> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!request.body) return Buffer.alloc(0);
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  await signedIn(request);
  const { user, facts } = await requireCase(request, context, params.caseId, canAddImaging);
  const contentType = request.headers.get("content-type") ?? "";
  if (params["*"] !== "studies" || !/^multipart\/related/i.test(contentType) || !/type="?application\/dicom"?/i.test(contentType)) {
    return new Response('STOW-RS takes multipart/related; type="application/dicom" at /studies', { status: 415 });
  }
  const body = await readCapped(request, maxDicomFileBytes() * 4);
  if (!body) return new Response("Request too large", { status: 413 });
  const parts = multipartParts(body, contentType);
  if (!parts || parts.length === 0) return new Response("No DICOM parts", { status: 400 });
  const db = getDb();
  const base = `${new URL(request.url).origin}/dicomweb/cases/${facts.id}`;
  const result = await stow(db, facts.id, parts, base);
  await auditCase(db, user, "imaging.stow", facts.id, requestMeta(request, context), {
    stored: result.results.filter((r) => r.status === "stored").length,
    rejected: result.results.filter((r) => r.status === "rejected").map((r) => r.reasonKey),
  });
  return json(result.body, result.status);
}
