/** /admin/institutions/new: the administrator adds an institution. */
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { InstitutionForm } from "~/features/identity/institution-form";
import { InstitutionSchema } from "~/features/identity/account-schemas";
import { saveInstitution } from "~/features/identity/accounts.server";
import { requirePermission } from "~/features/identity/auth.server";
import { requestMeta } from "~/platform/request-meta.server";
import { readForm } from "~/platform/request-body.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "institutions.manage");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePermission(request, context, "institutions.manage");
  const submission = parseWithZod(await readForm(request), { schema: InstitutionSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const saved = await saveInstitution({ user: admin, meta: requestMeta(request, context), institutionId: null, input: submission.value });
  if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.fieldErrors }) }, { status: 400 });
  return redirect("/admin/institutions");
}

export default function NewInstitutionPage() {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="new-institution-title" className="narrow">
      <h1 id="new-institution-title">{t("admin:institutions.newTitle")}</h1>
      <InstitutionForm mode="create" lastResult={actionData?.result} />
    </section>
  );
}
