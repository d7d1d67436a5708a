/** /cases/<id>/imaging: the case page's DICOM upload endpoint (JSON): GET gives the upload worker the case's de-identification context, POST takes the de-identified files. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireCsrf } from "~/features/identity/csrf.server";
import { loadUploadContext, requireCaseImaging, uploadDicomFiles } from "~/features/imaging/imaging-steps.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "addImaging");
  const outcome = await loadUploadContext(caller);
  if (!outcome.ok) return Response.json({ error: outcome.errorKey }, { status: outcome.status });
  return Response.json(outcome.context, { headers: { "Cache-Control": "no-store" } });
}

/** DICOM upload (JSON): a batch of files de-identified in the browser, as multipart/related; the answer lists each one's result. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "addImaging");
  await requireCsrf(request);
  const outcome = await uploadDicomFiles({ ...caller, request });
  if (!outcome.ok) return Response.json({ error: outcome.errorKey }, { status: outcome.status });
  return Response.json({ results: outcome.results }, { status: outcome.results.some((r) => r.status !== "rejected") ? 200 : 422 });
}
