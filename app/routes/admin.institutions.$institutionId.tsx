/** /admin/institutions/<id>: the administrator edits an institution. */
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { InstitutionForm } from "~/features/identity/institution-form";
import { InstitutionSchema, RevokeTokenForm } from "~/features/identity/account-schemas";
import { ApiTokenList } from "~/features/identity/api-token-list";
import { findInstitution, loadInstitutionEditor, revokeApiToken, saveInstitution } from "~/features/identity/accounts.server";
import { requirePermission } from "~/features/identity/auth.server";
import { requestMeta } from "~/platform/request-meta.server";
import { readForm } from "~/platform/request-body.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, context, "institutions.manage");
  const editor = await loadInstitutionEditor({ institutionId: params.institutionId ?? "" });
  if (!editor) throw new Response("Not Found", { status: 404 });
  return { ...editor, timeZone: admin.timeZone, now: new Date().toISOString() };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, context, "institutions.manage");
  const existing = await findInstitution({ institutionId: params.institutionId ?? "" });
  if (!existing) throw new Response("Not Found", { status: 404 });
  const form = await readForm(request);
  const meta = requestMeta(request, context);
  if (form.get("intent") === "revokeToken") {
    const revoke = parseWithZod(form, { schema: RevokeTokenForm });
    if (revoke.status !== "success") throw new Response("Bad Request", { status: 400 });
    await revokeApiToken({ user: admin, meta, tokenId: revoke.value.tokenId, owner: { institutionId: existing.id } });
    return redirect(`/admin/institutions/${existing.id}`);
  }
  const submission = parseWithZod(form, { schema: InstitutionSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const saved = await saveInstitution({ user: admin, meta, institutionId: existing.id, input: submission.value });
  if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.fieldErrors }) }, { status: 400 });
  return redirect("/admin/institutions");
}

export default function EditInstitutionPage() {
  const { institution, tokens, timeZone, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="edit-institution-title" className="narrow">
      <h1 id="edit-institution-title">{t("admin:institutions.editTitle", { name: i18n.language === "zh-CN" ? institution.nameZh : institution.nameEn })}</h1>
      <InstitutionForm mode="edit" defaults={institution} lastResult={actionData?.result} />
      <ApiTokenList tokens={tokens} timeZone={timeZone} now={now} />
    </section>
  );
}
