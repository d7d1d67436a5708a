import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { UserForm } from "~/features/identity/user-form";
import { UpdateUserSchema } from "~/features/identity/account-schemas";
import { institutionOptions } from "~/features/identity/institution-store.server";
import { getUserForEdit } from "~/features/identity/user-store.server";
import { saveUser } from "~/features/identity/accounts.server";
import { requirePermission } from "~/features/identity/auth.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requirePermission(request, context, "accounts.manage");
  const db = getDb();
  const user = await getUserForEdit(db, params.userId ?? "");
  if (!user) throw new Response("Not Found", { status: 404 });
  return { user, institutions: await institutionOptions(db) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, context, "accounts.manage");
  const db = getDb();
  const existing = await getUserForEdit(db, params.userId ?? "");
  if (!existing) throw new Response("Not Found", { status: 404 });
  const submission = parseWithZod(await request.formData(), { schema: UpdateUserSchema });
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  const saved = await saveUser(db, admin, existing.id, submission.value, requestMeta(request, context));
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
