import type { ActionFunctionArgs } from "@remix-run/node";
import { canUploadAttachment } from "~/features/cases/case-access";
import { receiveAttachment } from "~/features/cases/attachments.server";
import { auditCase, requireCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";

/** Upload endpoint (JSON), used with progress from the case editor. Access is checked before the body is read. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId, canUploadAttachment);
  const db = getDb();
  const outcome = await receiveAttachment(db, request, facts.id, user.id);
  if (!outcome.ok) return Response.json({ error: outcome.errorKey }, { status: outcome.status });
  await auditCase(db, user, "attachment.upload", facts.id, requestMeta(request, context), {
    attachmentId: outcome.attachment.id,
    kind: outcome.attachment.kind,
    size: outcome.attachment.size,
  });
  return Response.json({ attachment: outcome.attachment }, { status: 201 });
}
