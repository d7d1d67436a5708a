/** /cases/new: the packet form of a case not created yet; its first save holding something creates the case and its code. */
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { PacketSchema } from "~/features/cases/case-packet";
import { loadNewPacketEditor } from "~/features/cases/case-page.server";
import { createCase } from "~/features/cases/case-workflow.server";
import { denyAccess, requirePermission } from "~/features/identity/auth.server";
import { readForm } from "~/platform/request-body.server";
import { requestMeta } from "~/platform/request-meta.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "cases.create");
  return loadNewPacketEditor(user);
}

/** An autosave answers with the new case's id (the page moves there itself); an explicit save goes to the case's editor, unless fields were refused. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "cases.create");
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: PacketSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), formError: "cases:errors.fixFields" }, { status: 400 });
  const created = await createCase({ user, meta: requestMeta(request, context), packet: submission.value });
  if ("noInstitution" in created) throw await denyAccess(request, context, user, { reason: "noInstitution" });
  if (!created.ok) return data({ result: submission.reply(), formError: created.formError, refused: created.refused }, { status: 400 });
  if (formData.get("intent") !== "autosave" && Object.keys(created.refused).length === 0) throw redirect(`/cases/${created.caseId}/edit`);
  return {
    result: submission.reply(),
    caseId: created.caseId,
    version: created.version,
    savedAt: new Date().toISOString(),
    formError: null,
    refused: created.refused,
  };
}

export { PacketEditorPage as default, shouldRevalidatePacketEditor as shouldRevalidate } from "~/features/cases/packet-editor-page";
