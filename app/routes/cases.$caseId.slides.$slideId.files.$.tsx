import type { LoaderFunctionArgs } from "@remix-run/node";
import { readFile } from "node:fs/promises";
import { denyAccess } from "~/features/identity/auth.server";
import { requireCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { pyramidFile } from "~/features/imaging/slides/slides.server";

/** The slide's Deep Zoom descriptor and tiles, for those who may see the case (the slide page audits the opening). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId);
  const slide = await getDb().slide.findFirst({ where: { id: params.slideId ?? "", caseId: facts.id, status: "READY" }, select: { id: true } });
  const file = slide ? pyramidFile(slide.id, params["*"] ?? "") : null;
  const body = file ? await readFile(file.path).catch(() => null) : null;
  if (!file || !body) throw await denyAccess(request, context, user, { caseId: facts.id, slideId: params.slideId ?? null, file: params["*"] ?? null }, 404);
  return new Response(body, { headers: { "Content-Type": file.contentType, "Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff" } });
}
