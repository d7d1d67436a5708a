/** /account/passkeys (JSON): GET gives the options to create a passkey, POST stores the one the browser created. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { getCurrent, requireUser } from "~/features/identity/auth.server";
import { requireCsrf } from "~/features/identity/csrf.server";
import { passkeyRegistrationOptions, registerPasskey } from "~/features/identity/passkeys.server";
import { readJsonObject } from "~/platform/request-body.server";
import { requestMeta } from "~/platform/request-meta.server";

async function signedIn(request: Request) {
  const user = await requireUser(request);
  return { user, sessionId: (await getCurrent(request))?.sessionId ?? "" };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const outcome = await passkeyRegistrationOptions({ request, ...(await signedIn(request)) });
  if (!outcome.ok) return Response.json({ error: outcome.errorKey }, { status: outcome.status });
  return Response.json(outcome.options, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const caller = await signedIn(request);
  await requireCsrf(request);
  const body = await readJsonObject(request);
  const outcome = await registerPasskey({
    request,
    ...caller,
    response: body.response as RegistrationResponseJSON,
    name: typeof body.name === "string" ? body.name : "",
    code: typeof body.code === "string" ? body.code : "",
    meta: requestMeta(request, context),
  });
  if (outcome.ok) return Response.json({ ok: true });
  return Response.json({ error: outcome.errorKey, retryAfterSeconds: outcome.retryAfterSeconds ?? null }, { status: outcome.status });
}
