/** /cases/<id>/attachments/<id>: downloads an attachment. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { openAttachment } from "~/features/cases/attachments.server";
import { requireCase } from "~/features/cases/case-access.server";
import { denyAccess } from "~/features/identity/auth.server";

/** Streams a file to someone who may see the case; everyone else gets an audited 404. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireCase(request, context, params.caseId);
  const opened = await openAttachment({ ...caller, attachmentId: params.attachmentId ?? "" });
  if (!opened) throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, attachmentId: params.attachmentId ?? null }, 404);
  const { attachment, body } = opened;
  return new Response(body, {
    headers: {
      "Content-Type": attachment.mimeType,
      "Content-Length": String(attachment.size),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
