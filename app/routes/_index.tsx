import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { ROLE_HOME } from "~/features/identity/roles";
import { getOptionalUser } from "~/features/identity/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  return redirect(user ? ROLE_HOME[user.role] : "/login");
}
