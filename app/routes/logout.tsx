/** /logout: signs out and ends the session's live connections. */
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getCurrent } from "~/features/identity/auth.server";
import { signOut } from "~/features/identity/login.server";
import { clearSessionCookie } from "~/features/identity/session.server";
import { requestMeta } from "~/platform/request-meta.server";
import { readForm } from "~/platform/request-body.server";
import { requireCsrf } from "~/features/identity/csrf.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireCsrf(request, await readForm(request));
  const current = await getCurrent(request);
  if (current) await signOut({ ...current, meta: requestMeta(request, context) });
  return redirect("/login", { headers: { "Set-Cookie": await clearSessionCookie() } });
}
