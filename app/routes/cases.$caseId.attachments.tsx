/** /cases/<id>/attachments: the attachment upload endpoint (JSON) of the packet editor. */
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireCase } from "~/features/cases/case-access.server";
import { uploadAttachment } from "~/features/cases/attachments.server";

/** Upload endpoint (JSON), used with progress from the case editor. Access is checked before the body is read. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireCase(request, context, params.caseId, "uploadAttachment");
  const outcome = await uploadAttachment({ ...caller, request });
  if (!outcome.ok) return Response.json({ error: outcome.errorKey }, { status: outcome.status });
  return Response.json({ attachment: outcome.attachment }, { status: 201 });
}
