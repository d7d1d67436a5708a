/** /cases/<id>/opinions/<id>/fhir: a delivered version as a FHIR R4 document Bundle. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { inExportSlot, opinionFhir } from "~/features/opinions/exports/opinion-exports.server";
import { denyAccess } from "~/features/identity/auth.server";

/** A delivered version as a FHIR R4 document Bundle, for those who may read it. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const exported = await inExportSlot({ request, context, caseId: params.caseId, opinionId: params.opinionId }, async (caller) => {
    const bundle = await opinionFhir(caller);
    if (!bundle) throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, opinionId: caller.opinion.id, reason: "notDelivered" }, 404);
    return bundle;
  });
  return new Response(JSON.stringify(exported.bundle), {
    headers: {
      "Content-Type": "application/fhir+json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exported.fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
