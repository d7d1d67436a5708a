/** /cases/<id>/opinions/<id>/pdf: a signed version as a bilingual PDF. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { inExportSlot, opinionPdf } from "~/features/opinions/exports/opinion-exports.server";
import { i18nServer } from "~/i18n/i18n.server";
import { DEFAULT_LOCALE, isLocale } from "~/i18n/locales";

/** The bilingual PDF of a signed version, for those who may read it, its case summary in the reader's language. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const language = await i18nServer.getLocale(request);
  const locale = isLocale(language) ? language : DEFAULT_LOCALE;
  const { pdf, fileName } = await inExportSlot({ request, context, caseId: params.caseId, opinionId: params.opinionId }, (caller) =>
    opinionPdf({ ...caller, locale }),
  );
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
