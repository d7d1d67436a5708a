/** /cases/new: creates a draft case and opens its packet editor. */
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { createCase } from "~/features/cases/case-workflow.server";
import { denyAccess, requirePermission } from "~/features/identity/auth.server";
import { requestMeta } from "~/platform/request-meta.server";

export async function loader() {
  return redirect("/cases");
}

/** A new draft gets its pseudonymous code at once; the physician fills it in on the edit page. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "cases.create");
  const created = await createCase({ user, meta: requestMeta(request, context) });
  if (!created.ok) throw await denyAccess(request, context, user, { reason: "noInstitution" });
  return redirect(`/cases/${created.caseId}/edit`);
}
