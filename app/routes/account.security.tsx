/** /account/security: a user's own second factor: set it up (optional for treating physicians), or see that it is on. */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/features/identity/auth.server";
import { enrolFromAccount, loadAccountSecurity } from "~/features/identity/second-factor.server";
import { AuthenticatorKey, RecoveryCodes } from "~/features/identity/second-factor-parts";
import { readForm } from "~/platform/request-body.server";
import { requestMeta } from "~/platform/request-meta.server";
import { formatDateTime } from "~/ui/format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { ...(await loadAccountSecurity({ user })), timeZone: user.timeZone };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const outcome = await enrolFromAccount({ user, code: String(form.get("code") ?? "").slice(0, 40), meta: requestMeta(request, context) });
  return outcome.ok ? { formError: null, codes: outcome.codes } : data({ formError: outcome.formError, codes: null }, { status: 400 });
}

export default function AccountSecurityPage() {
  const { enabledAt, codesLeft, setup, timeZone } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state !== "idle";
  return (
    <section aria-labelledby="account-security-title" className="stack">
      <h1 id="account-security-title">{t("auth:mfa.accountTitle")}</h1>
      {answer?.codes ? (
        <>
          <p role="status">{t("auth:mfa.accountEnabled")}</p>
          <RecoveryCodes codes={answer.codes} />
        </>
      ) : enabledAt ? (
        <p>{t("auth:mfa.accountOn", { since: formatDateTime(enabledAt, i18n.language, timeZone), count: codesLeft })}</p>
      ) : (
        setup && (
          <>
            <p>{t("auth:mfa.accountOff")}</p>
            <AuthenticatorKey secret={setup.secret} uri={setup.uri} />
            <Form method="post" className="stack">
              {answer?.formError && (
                <div className="alert alert-error" role="alert">
                  <p>{t(answer.formError)}</p>
                </div>
              )}
              <div className="field">
                <label htmlFor="account-code">{t("auth:mfa.firstCode")}</label>
                <input id="account-code" name="code" type="text" inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" required />
              </div>
              <button type="submit" className="button-primary" disabled={busy}>
                {t("auth:mfa.accountSetUp")}
              </button>
            </Form>
          </>
        )
      )}
    </section>
  );
}
