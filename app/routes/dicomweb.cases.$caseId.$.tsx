/** /dicomweb/cases/<id>/*: the case's DICOMweb service (QIDO-RS, WADO-RS, STOW-RS) for sessions and API tokens. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireCase } from "~/features/cases/case-access.server";
import { readDicomweb, readStowParts, storeDicomweb } from "~/features/imaging/dicomweb.server";
import { requireCaseImaging } from "~/features/imaging/imaging-steps.server";
import { denyAccess, getOptionalUser } from "~/features/identity/auth.server";
import { requireCsrf } from "~/features/identity/csrf.server";

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
  await requireCsrf(request);
  if (params["*"] !== "studies") return new Response('STOW-RS takes multipart/related; type="application/dicom" at /studies', { status: 415 });
  const parts = await readStowParts(request);
  if (parts instanceof Response) return parts;
  return storeDicomweb({ ...caller, parts, base: serviceRoot(request, caller.facts.id) });
}
