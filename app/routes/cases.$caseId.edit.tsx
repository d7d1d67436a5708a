import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AttachmentsPanel } from "~/features/cases/attachments-panel";
import { CasePacketForm } from "~/features/cases/case-packet-form";
import { canUploadAttachment, canViewCase, relationTo } from "~/features/cases/case-access";
import { packetEditable } from "~/features/cases/case-lifecycle";
import { PacketSchema } from "~/features/cases/case-packet";
import type { Actor } from "~/features/identity/permissions";
import { getCaseDetail, packetDefaults } from "~/features/cases/case-store.server";
import { auditCase, requireCase, saveDraft, submitCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { packetReference } from "~/features/cases/reference-data.server";
import { requestMeta } from "~/platform/request-meta.server";

const mayEdit = (actor: Actor, facts: Parameters<typeof canViewCase>[1]) =>
  actor.role === "TREATING_PHYSICIAN" && relationTo(actor, facts).ownInstitution && canViewCase(actor, facts);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId, mayEdit);
  if (!packetEditable(facts.status)) throw redirect(`/cases/${facts.id}`);
  const db = getDb();
  const detail = (await getCaseDetail(db, facts.id))!;
  await auditCase(db, user, "case.view", facts.id, requestMeta(request, context), { view: "edit" });
  return {
    caseId: detail.id,
    code: detail.code,
    status: detail.status,
    returnReason: detail.returnReason,
    version: detail.version,
    defaults: packetDefaults(detail),
    reference: await packetReference(db),
    attachments: detail.attachments.map((a) => ({ id: a.id, fileName: a.fileName, kind: a.kind, size: a.size, mimeType: a.mimeType, createdAt: a.createdAt })),
    canUpload: canUploadAttachment(user, facts),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId, mayEdit);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const version = Number(formData.get("version"));
  const submission = parseWithZod(formData, { schema: PacketSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), formError: "cases:errors.fixFields" }, { status: 400 });

  const db = getDb();
  const meta = requestMeta(request, context);
  if (intent === "submit") {
    const submitted = await submitCase(db, user, facts, submission.value, version, meta);
    if (submitted.ok) throw redirect(`/cases/${facts.id}`);
    const fresh = await db.case.findUnique({ where: { id: facts.id }, select: { version: true } });
    return data({ result: submission.reply({ fieldErrors: submitted.fieldErrors ?? {} }), formError: submitted.formError ?? null, version: fresh?.version }, { status: 400 });
  }
  const saved = await saveDraft(db, user, facts, submission.value, version, meta);
  if (!saved.ok) return data({ result: submission.reply(), formError: saved.formError ?? null }, { status: 409 });
  return { result: submission.reply(), version: saved.version, savedAt: new Date().toISOString(), formError: null };
}

export default function EditCasePage() {
  const loaded = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="case-title">
      <div className="page-heading">
        <h1 id="case-title">{t("cases:form.title", { code: loaded.code })}</h1>
        <Link to={`/cases/${loaded.caseId}`}>{t("cases:form.viewCase")}</Link>
      </div>
      {loaded.status === "RETURNED" && loaded.returnReason && (
        <div className="alert alert-warning" role="note">
          <strong>{t("cases:view.returnedBecause")}</strong> {loaded.returnReason}
        </div>
      )}
      <AttachmentsPanel caseId={loaded.caseId} attachments={loaded.attachments} canUpload={loaded.canUpload} />
      <CasePacketForm defaults={loaded.defaults} version={loaded.version} reference={loaded.reference} lastReply={reply as never} />
    </section>
  );
}
