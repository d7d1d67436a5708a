/** /account/security: a user's own second factor: set it up (optional for treating physicians), or see that it is on; passkeys beside it. */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/features/identity/auth.server";
import { AddPasskey } from "~/features/identity/passkey-parts";
import { removePasskey } from "~/features/identity/passkeys.server";
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
  const meta = requestMeta(request, context);
  if (form.get("intent") === "removePasskey") {
    const removed = await removePasskey({ user, passkeyId: String(form.get("passkeyId") ?? "").slice(0, 40), meta });
    return removed
      ? { formError: null, codes: null, removed: true }
      : data({ formError: "auth:passkeys.removeFailed", codes: null, removed: false }, { status: 400 });
  }
  const outcome = await enrolFromAccount({ user, code: String(form.get("code") ?? "").slice(0, 40), meta });
  return outcome.ok
    ? { formError: null, codes: outcome.codes, removed: false }
    : data({ formError: outcome.formError, codes: null, removed: false }, { status: 400 });
}

export default function AccountSecurityPage() {
  const { enabledAt, codesLeft, setup, passkeys, timeZone } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const when = (date: Date | string) => formatDateTime(date, i18n.language, timeZone);
  return (
    <section aria-labelledby="account-security-title" className="stack">
      <h1 id="account-security-title">{t("auth:mfa.accountTitle")}</h1>
      {answer?.formError && (
        <div className="alert alert-error" role="alert">
          <p>{t(answer.formError)}</p>
        </div>
      )}
      {answer?.codes ? (
        <>
          <p role="status">{t("auth:mfa.accountEnabled")}</p>
          <RecoveryCodes codes={answer.codes} />
        </>
      ) : enabledAt ? (
        <p>{t("auth:mfa.accountOn", { since: when(enabledAt), count: codesLeft })}</p>
      ) : (
        setup && (
          <>
            <p>{t("auth:mfa.accountOff")}</p>
            <AuthenticatorKey secret={setup.secret} uri={setup.uri} />
            <Form method="post" className="stack">
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
      <section aria-labelledby="passkeys-title" className="stack">
        <h2 id="passkeys-title">{t("auth:passkeys.title")}</h2>
        <p className="muted">{t("auth:passkeys.intro")}</p>
        {answer?.removed && <p role="status">{t("auth:passkeys.removed")}</p>}
        {enabledAt || answer?.codes ? (
          <>
            {passkeys.length === 0 ? (
              <p>{t("auth:passkeys.none")}</p>
            ) : (
              <ul aria-label={t("auth:passkeys.listLabel")} className="stack">
                {passkeys.map((passkey) => (
                  <li key={passkey.id}>
                    <strong>{passkey.name}</strong> · {t("auth:passkeys.addedOn", { date: when(passkey.createdAt) })} ·{" "}
                    {passkey.lastUsedAt ? t("auth:passkeys.lastUsed", { date: when(passkey.lastUsedAt) }) : t("auth:passkeys.neverUsed")}
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="removePasskey" />
                      <input type="hidden" name="passkeyId" value={passkey.id} />
                      <button type="submit" className="button-secondary" disabled={busy}>
                        {t("auth:passkeys.remove", { name: passkey.name })}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            )}
            <AddPasskey />
          </>
        ) : (
          <p>{t("auth:passkeys.needsApp")}</p>
        )}
      </section>
    </section>
  );
}
