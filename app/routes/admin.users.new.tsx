/** /admin/users/new: the administrator creates an account. */
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { UserForm } from "~/features/identity/user-form";
import { CreateUserSchema } from "~/features/identity/account-schemas";
import { loadNewUserForm, saveUser } from "~/features/identity/accounts.server";
import { requirePermission } from "~/features/identity/auth.server";
import { requestMeta } from "~/platform/request-meta.server";
import { readForm } from "~/platform/request-body.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "accounts.manage");
  return loadNewUserForm();
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePermission(request, context, "accounts.manage");
  const submission = parseWithZod(await readForm(request), { schema: CreateUserSchema });
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  const saved = await saveUser({ user: admin, meta: requestMeta(request, context), userId: null, input: submission.value });
  if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.fieldErrors, hideFields: ["password"] }) }, { status: 400 });
  return redirect("/admin");
}

export default function NewUserPage() {
  const { institutions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="new-user-title" className="narrow">
      <h1 id="new-user-title">{t("admin:users.newTitle")}</h1>
      <UserForm mode="create" institutions={institutions} lastResult={actionData?.result} />
    </section>
  );
}
