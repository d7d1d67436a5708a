/** /cases/<id>/imaging: the DICOM upload endpoint (JSON) of the case page. */
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireCaseImaging, uploadDicomFiles } from "~/features/imaging/imaging-steps.server";

/** DICOM upload (JSON): each file part is de-identified and stored on its own; the answer lists every file's result. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "addImaging");
  const outcome = await uploadDicomFiles({ ...caller, request });
  if (!outcome.ok) return Response.json({ error: outcome.errorKey }, { status: outcome.status });
  return Response.json({ results: outcome.results }, { status: outcome.results.some((r) => r.status !== "rejected") ? 200 : 422 });
}
