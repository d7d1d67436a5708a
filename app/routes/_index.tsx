/** /: sends the signed-in user to their role's home, everyone else to sign in. */
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getOptionalUser } from "~/features/identity/auth.server";
import { homeOf } from "~/features/identity/permissions";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  return redirect(user ? homeOf(user) : "/login");
}
