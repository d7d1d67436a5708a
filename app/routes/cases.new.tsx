import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { createDraftCase } from "~/features/cases/case-store.server";
import { denyAccess, requirePermission } from "~/features/identity/auth.server";
import { auditCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";

export async function loader() {
  return redirect("/cases");
}

/** A new draft gets its pseudonymous code at once; the physician fills it in on the edit page. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "cases.create");
  if (!user.institutionId) throw await denyAccess(request, context, user, { reason: "noInstitution" });
  const db = getDb();
  const created = await createDraftCase(db, { institutionId: user.institutionId, createdById: user.id });
  await db.caseTransition.create({ data: { caseId: created.id, fromStatus: "NONE", toStatus: "DRAFT", action: "create", actorId: user.id } });
  await auditCase(db, user, "case.create", created.id, requestMeta(request, context), { code: created.code });
  return redirect(`/cases/${created.id}/edit`);
}
