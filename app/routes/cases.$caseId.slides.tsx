import { data, type ActionFunctionArgs } from "@remix-run/node";
import { canAddImaging } from "~/features/cases/case-access";
import { auditCase, requireCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";
import { receiveSlide } from "~/features/imaging/slides/slides.server";

/** Uploads a pathology slide image; the tile pyramid is made after the answer. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId, canAddImaging);
  const db = getDb();
  const result = await receiveSlide(db, request, facts.id, user.id);
  if (!result.ok) return data({ error: result.errorKey, slideId: null }, { status: result.status });
  await auditCase(db, user, "slide.upload", facts.id, requestMeta(request, context), { slideId: result.slideId });
  return { error: null, slideId: result.slideId };
}
