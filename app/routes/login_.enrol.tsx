/** /login/enrol: setting up the second factor that the account's role requires, then the recovery codes, shown once. */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams, type ShouldRevalidateFunction } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { loadEnrolPage, submitEnrolment } from "~/features/identity/second-factor.server";
import { AuthenticatorKey, RecoveryCodes } from "~/features/identity/second-factor-parts";
import { readForm } from "~/platform/request-body.server";
import { requestMeta } from "~/platform/request-meta.server";

export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

/** After the code is confirmed the waiting session is gone: the page keeps showing the recovery codes instead of reloading. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) => (formMethod ? false : defaultShouldRevalidate);

export async function loader({ request }: LoaderFunctionArgs) {
  return loadEnrolPage({ request });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const outcome = await submitEnrolment({
    request,
    meta: requestMeta(request, context),
    code: String(form.get("code") ?? "").slice(0, 40),
    redirectTo: form.get("redirectTo"),
  });
  if (!outcome.ok) return data({ ok: false as const, formError: outcome.formError, codes: null, next: null }, { status: 400 });
  return data({ ok: true as const, formError: null, codes: outcome.codes, next: outcome.next }, { headers: { "Set-Cookie": outcome.setCookie } });
}

export default function EnrolPage() {
  const { secret, uri, email } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  if (answer?.ok) {
    return (
      <section className="auth-card" aria-labelledby="codes-title">
        <h1 id="codes-title">{t("auth:mfa.codesTitle")}</h1>
        <RecoveryCodes codes={answer.codes} />
        <Link className="button-primary" to={answer.next}>
          {t("auth:mfa.continue")}
        </Link>
      </section>
    );
  }
  return (
    <section className="auth-card" aria-labelledby="enrol-title">
      <h1 id="enrol-title">{t("auth:mfa.enrolTitle")}</h1>
      <p>{t("auth:mfa.enrolIntro", { email })}</p>
      <AuthenticatorKey secret={secret} uri={uri} />
      <Form method="post" className="stack">
        {answer && !answer.ok && (
          <div className="alert alert-error" role="alert">
            <p>{t(answer.formError)}</p>
          </div>
        )}
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <div className="field">
          <label htmlFor="enrol-code">{t("auth:mfa.firstCode")}</label>
          <input id="enrol-code" name="code" type="text" inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" required autoFocus />
        </div>
        <button type="submit" className="button-primary" disabled={navigation.state === "submitting"}>
          {t("auth:mfa.confirm")}
        </button>
      </Form>
    </section>
  );
}
