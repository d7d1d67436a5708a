/** /login/verify: the second factor after a right password: a code from the authenticator app, a recovery code, or a passkey. */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { UsePasskey } from "~/features/identity/passkey-parts";
import { loadVerifyPage, submitSecondFactor } from "~/features/identity/second-factor.server";
import { readForm } from "~/platform/request-body.server";
import { requestMeta } from "~/platform/request-meta.server";

export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return loadVerifyPage({ request });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const outcome = await submitSecondFactor({
    request,
    meta: requestMeta(request, context),
    code: String(form.get("code") ?? "").slice(0, 40),
    redirectTo: form.get("redirectTo"),
  });
  if (outcome.ok) throw redirect(outcome.location, { headers: { "Set-Cookie": outcome.setCookie } });
  return data(outcome, { status: outcome.retryAfterSeconds ? 429 : 400 });
}

export default function VerifyPage() {
  const { t } = useTranslation();
  const { hasPasskeys } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  return (
    <section className="auth-card" aria-labelledby="verify-title">
      <h1 id="verify-title">{t("auth:mfa.verifyTitle")}</h1>
      <p className="muted">{t("auth:mfa.verifyIntro")}</p>
      <Form method="post" className="stack">
        {answer && !answer.ok && (
          <div className="alert alert-error" role="alert">
            <p>{t(answer.formError, { count: answer.retryAfterSeconds ?? 60 })}</p>
          </div>
        )}
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <div className="field">
          <label htmlFor="mfa-code">{t("auth:mfa.code")}</label>
          <input id="mfa-code" name="code" type="text" autoComplete="one-time-code" inputMode="text" required autoFocus aria-describedby="mfa-code-hint" />
          <p className="hint" id="mfa-code-hint">
            {t("auth:mfa.codeHint")}
          </p>
        </div>
        <button type="submit" className="button-primary" disabled={navigation.state === "submitting"}>
          {t("auth:mfa.verify")}
        </button>
      </Form>
      {hasPasskeys && <UsePasskey redirectTo={searchParams.get("redirectTo") ?? ""} />}
    </section>
  );
}
