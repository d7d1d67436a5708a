/** /cases/<id>/slides: the slide upload endpoint of the case page. */
import { data, type ActionFunctionArgs } from "@remix-run/node";
import { uploadSlide } from "~/features/imaging/slides/slide-steps.server";
import { requireCaseImaging } from "~/features/imaging/imaging-steps.server";

/** Uploads a pathology slide image; the tile pyramid is made after the answer. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "addImaging");
  const result = await uploadSlide({ ...caller, request });
  if (!result.ok) return data({ error: result.errorKey, slideId: null }, { status: result.status });
  return { error: null, slideId: result.slideId };
}
