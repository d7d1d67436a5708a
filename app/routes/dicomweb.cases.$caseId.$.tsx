/** /dicomweb/cases/<id>/*: the case's DICOMweb service (QIDO-RS, WADO-RS, STOW-RS) for sessions and API tokens. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireCase } from "~/features/cases/case-access.server";
import { multipartParts, readDicomweb, storeDicomweb } from "~/features/imaging/dicomweb.server";
import { maxDicomFileBytes } from "~/features/imaging/imaging-ingest.server";
import { requireCaseImaging } from "~/features/imaging/imaging-steps.server";
import { denyAccess, getOptionalUser } from "~/features/identity/auth.server";
import { readBodyCapped } from "~/platform/file-upload.server";

/** No session and no token: 401 with a Bearer challenge, as integrations expect. */
async function signedIn(request: Request) {
  if (!(await getOptionalUser(request))) {
    throw new Response("Authentication required", { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="dicomweb"' } });
  }
}

const serviceRoot = (request: Request, caseId: string) => `${new URL(request.url).origin}/dicomweb/cases/${caseId}`;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await signedIn(request);
  const caller = await requireCase(request, context, params.caseId);
  const path = (params["*"] ?? "").split("/").filter(Boolean);
  const answer = await readDicomweb({
    ...caller,
    path,
    query: new URL(request.url).searchParams,
    accept: request.headers.get("accept"),
    base: serviceRoot(request, caller.facts.id),
  });
  if (!answer) throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, dicomweb: path.join("/") }, 404);
  return answer;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  await signedIn(request);
  const caller = await requireCaseImaging(request, context, params.caseId, "addImaging");
  const contentType = request.headers.get("content-type") ?? "";
  if (params["*"] !== "studies" || !/^multipart\/related/i.test(contentType) || !/type="?application\/dicom"?/i.test(contentType)) {
    return new Response('STOW-RS takes multipart/related; type="application/dicom" at /studies', { status: 415 });
  }
  const body = await readBodyCapped(request, maxDicomFileBytes() * 4);
  if (!body) return new Response("Request too large", { status: 413 });
  const parts = multipartParts(body, contentType);
  if (!parts || parts.length === 0) return new Response("No DICOM parts", { status: 400 });
  return storeDicomweb({ ...caller, parts, base: serviceRoot(request, caller.facts.id) });
}
