/** /admin/users/<id>: the administrator edits an account. */
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { UserForm } from "~/features/identity/user-form";
import { UpdateUserSchema } from "~/features/identity/account-schemas";
import { findUserForEdit, loadUserEditor, saveUser } from "~/features/identity/accounts.server";
import { requirePermission } from "~/features/identity/auth.server";
import { requestMeta } from "~/platform/request-meta.server";
import { readForm } from "~/platform/request-body.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requirePermission(request, context, "accounts.manage");
  const editor = await loadUserEditor({ userId: params.userId ?? "" });
  if (!editor) throw new Response("Not Found", { status: 404 });
  return editor;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, context, "accounts.manage");
  const existing = await findUserForEdit({ userId: params.userId ?? "" });
  if (!existing) throw new Response("Not Found", { status: 404 });
  const submission = parseWithZod(await readForm(request), { schema: UpdateUserSchema });
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  const saved = await saveUser({ user: admin, meta: requestMeta(request, context), userId: existing.id, input: submission.value });
  if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.fieldErrors, hideFields: ["password"] }) }, { status: 400 });
  return redirect("/admin");
}

export default function EditUserPage() {
  const { user, institutions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="edit-user-title" className="narrow">
      <h1 id="edit-user-title">{t("admin:users.editTitle", { name: user.displayName })}</h1>
      <UserForm mode="edit" defaults={user} institutions={institutions} lastResult={actionData?.result} />
    </section>
  );
}
