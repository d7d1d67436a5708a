import type { LoaderFunctionArgs } from "@remix-run/node";
import { searchGlossary } from "~/features/glossary/glossary.server";
import { requirePermission } from "~/features/identity/auth.server";
import { getDb } from "~/platform/db.server";

/** JSON search used by the case form and the translation editor. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "glossary.read");
  const q = new URL(request.url).searchParams.get("q")?.slice(0, 100) ?? "";
  return Response.json({ terms: await searchGlossary(getDb(), q) });
}
