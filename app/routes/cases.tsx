import type { LoaderFunctionArgs } from "@remix-run/node";
import { RoleHome } from "~/components/role-home";
import { requirePermission } from "~/utils/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "cases.viewInstitution");
  return null;
}

export default function CasesPage() {
  return (
    <RoleHome
      titleKey="home:physician.title"
      introKey="home:physician.intro"
      emptyTitleKey="home:physician.emptyTitle"
      emptyBodyKey="home:physician.emptyBody"
    />
  );
}
