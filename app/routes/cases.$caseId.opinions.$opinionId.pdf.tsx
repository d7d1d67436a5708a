/** /cases/<id>/opinions/<id>/pdf: a signed version as a bilingual PDF. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { inExportSlot, opinionPdf } from "~/features/opinions/exports/opinion-exports.server";

/** The bilingual PDF of a signed version, for those who may read it. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { pdf, fileName } = await inExportSlot({ request, context, caseId: params.caseId, opinionId: params.opinionId }, opinionPdf);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
