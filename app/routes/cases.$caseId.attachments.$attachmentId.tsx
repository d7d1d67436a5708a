import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentStream } from "~/features/cases/attachments.server";
import { denyAccess } from "~/features/identity/auth.server";
import { auditCase, requireCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";

/** Streams a file to someone who may see the case; everyone else gets an audited 404. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId);
  const db = getDb();
  const attachment = await db.attachment.findFirst({ where: { id: params.attachmentId, caseId: facts.id } });
  if (!attachment) throw await denyAccess(request, context, user, { caseId: facts.id, attachmentId: params.attachmentId ?? null }, 404);
  await auditCase(db, user, "attachment.download", facts.id, requestMeta(request, context), { attachmentId: attachment.id });
  return new Response(attachmentStream(attachment.sha256), {
    headers: {
      "Content-Type": attachment.mimeType,
      "Content-Length": String(attachment.size),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
