/** /cases/<id>/slides/<id>/files/*: a slide's Deep Zoom descriptor and tiles. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCase } from "~/features/cases/case-access.server";
import { readSlideFile } from "~/features/imaging/slides/slide-steps.server";
import { denyAccess } from "~/features/identity/auth.server";

/**
 * The slide's Deep Zoom descriptor and tiles, for those who may see the case (the slide page audits the opening). Not
 * stored by the browser, as no case data is: the viewer keeps the tiles it has shown in memory.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireCase(request, context, params.caseId);
  const file = await readSlideFile({ ...caller, slideId: params.slideId ?? "", file: params["*"] ?? "" });
  if (!file)
    throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, slideId: params.slideId ?? null, file: params["*"] ?? null }, 404);
  return new Response(file.body, {
    headers: { "Content-Type": file.contentType, "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" },
  });
}
