import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { disconnectSessions } from "~/realtime/io.server";
import { recordAudit } from "~/features/audit/audit.server";
import { getCurrent } from "~/features/identity/auth.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";
import { clearSessionCookie, destroySession } from "~/features/identity/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const current = await getCurrent(request);
  if (current) {
    const db = getDb();
    await destroySession(db, current.sessionId);
    disconnectSessions([current.sessionId]);
    await recordAudit(db, {
      actor: current.user,
      action: "auth.logout",
      outcome: "success",
      entityType: "User",
      entityId: current.user.id,
      meta: requestMeta(request, context),
    });
  }
  return redirect("/login", { headers: { "Set-Cookie": await clearSessionCookie() } });
}
