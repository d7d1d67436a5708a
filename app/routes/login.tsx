/** /login: sign-in. */
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { FieldErrors } from "~/ui/field-errors";
import { LoginSchema } from "~/features/identity/login-schema";
import { homeOf } from "~/features/identity/permissions";
import { safeRedirect } from "~/platform/safe-redirect";
import { getOptionalUser } from "~/features/identity/auth.server";
import { attemptLogin, demoAccountsWithoutSecondFactor } from "~/features/identity/login.server";
import { requestMeta } from "~/platform/request-meta.server";
import { readForm } from "~/platform/request-body.server";

export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  if (user) throw redirect(homeOf(user));
  return { demoWithoutSecondFactor: await demoAccountsWithoutSecondFactor() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: LoginSchema });
  if (submission.status !== "success")
    return data({ result: submission.reply({ hideFields: ["password"] }), formError: null, retryAfterSeconds: null }, { status: 400 });

  const { email, password, redirectTo } = submission.value;
  const result = await attemptLogin({ email, password, meta: requestMeta(request, context) });
  if (!result.ok) {
    const formError = result.reason === "throttled" ? "auth:errors.throttled" : "auth:errors.invalidCredentials";
    return data(
      {
        result: submission.reply({ hideFields: ["password"] }),
        formError,
        retryAfterSeconds: result.reason === "throttled" ? result.retryAfterSeconds : null,
      },
      { status: result.reason === "throttled" ? 429 : 401 },
    );
  }
  if (result.secondFactor !== "none") {
    const query = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : "";
    throw redirect(`/login/${result.secondFactor}${query}`, { headers: { "Set-Cookie": result.setCookie } });
  }
  throw redirect(safeRedirect(redirectTo, homeOf(result.user)), { headers: { "Set-Cookie": result.setCookie } });
}

export default function LoginPage() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const loaded = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const passwordRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // A refused password is not left in the page; the user types it again.
    if (actionData && passwordRef.current) {
      passwordRef.current.value = "";
      passwordRef.current.focus();
    }
  }, [actionData]);
  const [form, fields] = useForm({
    id: "login",
    lastResult: actionData?.result,
    constraint: getZodConstraint(LoginSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
  });
  return (
    <section className="auth-card" aria-labelledby="login-title">
      <h1 id="login-title">{t("auth:login.title")}</h1>
      <p className="muted">{t("auth:login.intro")}</p>
      <Form method="post" {...getFormProps(form)}>
        {/* From the last answer, not live validation: it must not vanish (and move the button) on blur. */}
        {actionData?.formError && (
          <div className="alert alert-error" role="alert" id={form.errorId}>
            <p>{t(actionData.formError, { count: actionData.retryAfterSeconds ?? 60 })}</p>
          </div>
        )}
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <div className="field">
          <label htmlFor={fields.email.id}>{t("auth:login.email")}</label>
          <input {...getInputProps(fields.email, { type: "email" })} autoComplete="username" autoFocus />
          <FieldErrors field={fields.email} />
        </div>
        <div className="field">
          <label htmlFor={fields.password.id}>{t("auth:login.password")}</label>
          <input {...getInputProps(fields.password, { type: "password" })} ref={passwordRef} autoComplete="current-password" />
          <FieldErrors field={fields.password} />
        </div>
        <button type="submit" className="button-primary" disabled={navigation.state === "submitting"}>
          {t("auth:login.submit")}
        </button>
      </Form>
      <p className="muted small">{t("auth:login.noPatientAccess")}</p>
      {loaded?.demoWithoutSecondFactor && <p className="muted small">{t("auth:login.demoWithoutSecondFactor")}</p>}
    </section>
  );
}
