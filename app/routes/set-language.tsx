/** /set-language: the header's language switch, remembered in a cookie and the user's preference. */
import { parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { LanguageChoice } from "~/i18n/locales";
import { safeRedirect } from "~/platform/safe-redirect";
import { localeCookie } from "~/i18n/i18n.server";
import { getOptionalUser } from "~/features/identity/auth.server";
import { savePreferredLocale } from "~/features/identity/accounts.server";
import { readForm } from "~/platform/request-body.server";
import { requireCsrf } from "~/features/identity/csrf.server";

export async function loader() {
  return redirect("/");
}

/** The header switch: remembered in a cookie, and as the account's preference when signed in. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await requireCsrf(request, form);
  const back = safeRedirect(form.get("redirectTo"), "/")
    .replace(/([?&])lng=[^&]*&?/, "$1")
    .replace(/[?&]$/, "");
  const submission = parseWithZod(form, { schema: LanguageChoice });
  if (submission.status !== "success") return redirect(back);
  const { lng } = submission.value;
  const user = await getOptionalUser(request);
  if (user) await savePreferredLocale({ user, locale: lng });
  return redirect(back, { headers: { "Set-Cookie": await localeCookie.serialize(lng) } });
}
