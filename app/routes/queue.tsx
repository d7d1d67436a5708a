import type { LoaderFunctionArgs } from "@remix-run/node";
import { RoleHome } from "~/components/role-home";
import { requirePermission } from "~/utils/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "cases.viewAssigned");
  return null;
}

export default function QueuePage() {
  return (
    <RoleHome
      titleKey="home:consultant.title"
      introKey="home:consultant.intro"
      emptyTitleKey="home:consultant.emptyTitle"
      emptyBodyKey="home:consultant.emptyBody"
    />
  );
}
