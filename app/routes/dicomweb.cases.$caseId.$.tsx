/**
 * /dicomweb/cases/<id> and everything under it: the case's DICOMweb service (capabilities at the root, QIDO-RS,
 * WADO-RS, STOW-RS) for sessions and API tokens, with CORS for the origins DICOMWEB_CORS_ORIGINS lists.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireCase } from "~/features/cases/case-access.server";
import { dicomwebPreflight, readDicomweb, readStowParts, storeDicomweb, withDicomwebCors } from "~/features/imaging/dicomweb.server";
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

/** Every answer, thrown or returned, gets the CORS headers its origin is allowed. */
async function withCors(request: Request, answer: () => Promise<Response>): Promise<Response> {
  try {
    return withDicomwebCors(request, await answer());
  } catch (thrown) {
    if (thrown instanceof Response) throw withDicomwebCors(request, thrown);
    throw thrown;
  }
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // Remix hands OPTIONS to the loader. A preflight carries no credentials: it is answered before any are asked for,
  // and says only what a listed origin may send.
  if (request.method === "OPTIONS") return dicomwebPreflight(request);
  return withCors(request, async () => {
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
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  return withCors(request, async () => {
    await signedIn(request);
    const caller = await requireCaseImaging(request, context, params.caseId, "addImaging");
    await requireCsrf(request);
    if (params["*"] !== "studies") return new Response('STOW-RS takes multipart/related; type="application/dicom" at /studies', { status: 415 });
    const parts = await readStowParts(request);
    if (parts instanceof Response) return parts;
    return storeDicomweb({ ...caller, parts, base: serviceRoot(request, caller.facts.id) });
  });
}
