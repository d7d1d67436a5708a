import type { LoaderFunctionArgs } from "@remix-run/node";
import { RoleHome } from "~/components/role-home";
import { requirePermission } from "~/utils/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "cases.viewBoard");
  return null;
}

export default function BoardPage() {
  return (
    <RoleHome
      titleKey="home:coordinator.title"
      introKey="home:coordinator.intro"
      emptyTitleKey="home:coordinator.emptyTitle"
      emptyBodyKey="home:coordinator.emptyBody"
    />
  );
}
