import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { isLocale } from "~/i18n/locales";
import { safeRedirect } from "~/platform/safe-redirect";
import { localeCookie } from "~/i18n/i18n.server";
import { getOptionalUser } from "~/features/identity/auth.server";
import { getDb } from "~/platform/db.server";

export async function loader() {
  return redirect("/");
}

/** The header switch: remembered in a cookie, and as the account's preference when signed in. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lng = form.get("lng");
  const back = safeRedirect(form.get("redirectTo"), "/").replace(/([?&])lng=[^&]*&?/, "$1").replace(/[?&]$/, "");
  if (!isLocale(lng)) return redirect(back);
  const user = await getOptionalUser(request);
  if (user && user.preferredLocale !== lng) {
    await getDb().user.update({ where: { id: user.id }, data: { preferredLocale: lng } });
  }
  return redirect(back, { headers: { "Set-Cookie": await localeCookie.serialize(lng) } });
}
