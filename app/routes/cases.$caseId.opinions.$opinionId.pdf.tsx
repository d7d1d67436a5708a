/** /cases/<id>/opinions/<id>/pdf: a signed version as a bilingual PDF. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { opinionPdf } from "~/features/opinions/exports/opinion-exports.server";
import { requireSignedOpinion } from "~/features/opinions/opinion-read.server";

/** The bilingual PDF of a signed version, for those who may read it. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { pdf, fileName } = await opinionPdf(await requireSignedOpinion(request, context, params.caseId, params.opinionId));
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
