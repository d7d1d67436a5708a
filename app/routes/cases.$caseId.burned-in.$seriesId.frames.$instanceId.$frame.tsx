/** /cases/<id>/burned-in/<series id>/frames/<instance id>/<frame>: one frame of a flagged image as OCR read it, as PNG, for the burned-in review. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { burnedInFramePng } from "~/features/imaging/burned-in/burned-in-review.server";
import { requireCaseImaging } from "~/features/imaging/imaging-steps.server";
import { denyAccess } from "~/features/identity/auth.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "seeFlaggedSeries");
  const frame = /^\d{1,6}$/.test(params.frame ?? "") ? Number(params.frame) : -1;
  const png = await burnedInFramePng({ ...caller, seriesId: params.seriesId ?? "", instanceId: params.instanceId ?? "", frame });
  if (!png)
    throw await denyAccess(
      request,
      context,
      caller.user,
      { caseId: caller.facts.id, seriesId: params.seriesId ?? null, instanceId: params.instanceId ?? null },
      404,
    );
  return new Response(new Uint8Array(png), {
    headers: { "Content-Type": "image/png", "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" },
  });
}
