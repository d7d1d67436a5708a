/** /cases/<id>/edit: the treating side edits, saves and submits the case packet. */
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireCase } from "~/features/cases/case-access.server";
import { PacketSchema } from "~/features/cases/case-packet";
import { loadPacketEditor } from "~/features/cases/case-page.server";
import { saveDraft, submitCase } from "~/features/cases/case-workflow.server";
import { readForm } from "~/platform/request-body.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireCase(request, context, params.caseId, "treatingSide");
  if (!caller.may.editPacket) throw redirect(`/cases/${caller.facts.id}`);
  return loadPacketEditor(caller);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireCase(request, context, params.caseId, "treatingSide");
  const formData = await readForm(request);
  const version = Number(formData.get("version"));
  const submission = parseWithZod(formData, { schema: PacketSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), formError: "cases:errors.fixFields" }, { status: 400 });

  if (formData.get("intent") === "submit") {
    const submitted = await submitCase({ ...caller, packet: submission.value, version });
    if (submitted.ok) throw redirect(`/cases/${caller.facts.id}`);
    return data(
      { result: submission.reply({ fieldErrors: submitted.fieldErrors ?? {} }), formError: submitted.formError ?? null, version: submitted.version },
      { status: 400 },
    );
  }
  const saved = await saveDraft({ ...caller, packet: submission.value, version });
  if (!saved.ok) return data({ result: submission.reply(), formError: saved.formError }, { status: 409 });
  return { result: submission.reply(), version: saved.version, savedAt: new Date().toISOString(), formError: null, refused: saved.refused };
}

export { PacketEditorPage as default, shouldRevalidatePacketEditor as shouldRevalidate } from "~/features/cases/packet-editor-page";
