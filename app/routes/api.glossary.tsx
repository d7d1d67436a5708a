/** /api/glossary?q=: the glossary look-up's JSON answer. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { GlossaryLookupQuery } from "~/features/glossary/glossary-forms";
import { searchGlossary } from "~/features/glossary/glossary.server";
import { requirePermission } from "~/features/identity/auth.server";
import { parseQuery } from "~/platform/query-params";

/** JSON search used by the case form and the translation editor. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "glossary.read");
  const { q } = parseQuery(new URL(request.url).searchParams, GlossaryLookupQuery);
  return Response.json({ terms: await searchGlossary({ query: q }) });
}
