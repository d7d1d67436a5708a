/** /admin/security: which roles must sign in with a second factor. */
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requirePermission } from "~/features/identity/auth.server";
import { mfaPolicy, saveMfaPolicy } from "~/features/identity/mfa.server";
import { ROLE_LABEL_KEYS, ROLES } from "~/features/identity/roles";
import { readForm } from "~/platform/request-body.server";
import { requestMeta } from "~/platform/request-meta.server";

const PolicyForm = z.object({ required: z.array(z.enum(ROLES)).default([]) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "accounts.manage");
  return { policy: await mfaPolicy() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "accounts.manage");
  const submission = parseWithZod(await readForm(request), { schema: PolicyForm });
  if (submission.status !== "success") return data({ saved: false }, { status: 400 });
  const policy = Object.fromEntries(ROLES.map((role) => [role, submission.value.required.includes(role)])) as Record<(typeof ROLES)[number], boolean>;
  await saveMfaPolicy({ user, meta: requestMeta(request, context), policy });
  return { saved: true };
}

export default function SecurityPage() {
  const { policy } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  return (
    <section aria-labelledby="security-title" className="stack">
      <h1 id="security-title">{t("admin:security.title")}</h1>
      <p>{t("admin:security.intro")}</p>
      {answer?.saved && <p role="status">{t("admin:security.saved")}</p>}
      <Form method="post" className="stack">
        <fieldset>
          <legend>{t("admin:security.legend")}</legend>
          {ROLES.map((role) => (
            <label key={role} className="checkbox">
              <input type="checkbox" name="required" value={role} defaultChecked={policy[role]} />
              {t(ROLE_LABEL_KEYS[role])}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button-primary" disabled={busy}>
          {t("admin:save")}
        </button>
      </Form>
    </section>
  );
}
