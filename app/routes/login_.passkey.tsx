/** /login/passkey (JSON): the second factor by passkey. GET gives the options for the session owing it, POST checks the answer and signs in. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { requireCsrf } from "~/features/identity/csrf.server";
import { passkeySignInOptions, signInWithPasskey } from "~/features/identity/passkeys.server";
import { readJsonObject } from "~/platform/request-body.server";
import { requestMeta } from "~/platform/request-meta.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const options = await passkeySignInOptions({ request });
  if (!options) return Response.json({ error: "auth:passkeys.none" }, { status: 404 });
  return Response.json(options, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireCsrf(request);
  const body = await readJsonObject(request);
  const outcome = await signInWithPasskey({
    request,
    response: body.response as AuthenticationResponseJSON,
    redirectTo: body.redirectTo,
    meta: requestMeta(request, context),
  });
  if (!outcome.ok) return Response.json({ error: outcome.errorKey, retryAfterSeconds: outcome.retryAfterSeconds ?? null }, { status: outcome.status });
  return Response.json({ location: outcome.location }, { headers: { "Set-Cookie": outcome.setCookie } });
}
