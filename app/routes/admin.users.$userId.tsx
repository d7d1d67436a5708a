/** /admin/users/<id>: the administrator edits an account. */
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { UserForm } from "~/features/identity/user-form";
import { RevokeTokenForm, UpdateUserSchema } from "~/features/identity/account-schemas";
import { ApiTokenList } from "~/features/identity/api-token-list";
import { resetSecondFactor } from "~/features/identity/mfa.server";
import { findUserForEdit, loadUserEditor, revokeApiToken, saveUser } from "~/features/identity/accounts.server";
import { requirePermission } from "~/features/identity/auth.server";
import { requestMeta } from "~/platform/request-meta.server";
import { readForm } from "~/platform/request-body.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, context, "accounts.manage");
  const editor = await loadUserEditor({ userId: params.userId ?? "" });
  if (!editor) throw new Response("Not Found", { status: 404 });
  return { ...editor, timeZone: admin.timeZone, now: new Date().toISOString() };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, context, "accounts.manage");
  const existing = await findUserForEdit({ userId: params.userId ?? "" });
  if (!existing) throw new Response("Not Found", { status: 404 });
  const form = await readForm(request);
  const meta = requestMeta(request, context);
  if (form.get("intent") === "resetSecondFactor") {
    await resetSecondFactor({ user: admin, meta, userId: existing.id });
    return redirect(`/admin/users/${existing.id}`);
  }
  if (form.get("intent") === "revokeToken") {
    const revoke = parseWithZod(form, { schema: RevokeTokenForm });
    if (revoke.status !== "success") throw new Response("Bad Request", { status: 400 });
    await revokeApiToken({ user: admin, meta, tokenId: revoke.value.tokenId, owner: { userId: existing.id } });
    return redirect(`/admin/users/${existing.id}`);
  }
  const submission = parseWithZod(form, { schema: UpdateUserSchema });
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  const saved = await saveUser({ user: admin, meta, userId: existing.id, input: submission.value });
  if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.fieldErrors, hideFields: ["password"] }) }, { status: 400 });
  return redirect("/admin");
}

export default function EditUserPage() {
  const { user, institutions, tokens, timeZone, now, secondFactorOn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="edit-user-title" className="narrow">
      <h1 id="edit-user-title">{t("admin:users.editTitle", { name: user.displayName })}</h1>
      <UserForm mode="edit" defaults={user} institutions={institutions} lastResult={actionData?.result} />
      {secondFactorOn && (
        <Form method="post" className="stack">
          <p>{t("admin:users.secondFactorOn")}</p>
          <button type="submit" name="intent" value="resetSecondFactor" className="button-danger">
            {t("admin:users.resetSecondFactor")}
          </button>
        </Form>
      )}
      <ApiTokenList tokens={tokens} timeZone={timeZone} now={now} />
    </section>
  );
}
