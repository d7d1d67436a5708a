/** The gate of every session route (the user and the session, or an audited 404), and the audit event of each read or change of a session. */
import type { AppLoadContext } from "@remix-run/node";
import { recordAudit } from "~/features/audit/audit.server";
import { denyAccess, requireUser, type CurrentUser } from "~/features/identity/auth.server";
import { getDb, type Db } from "~/platform/db.server";
import { requestMeta, type RequestMeta } from "~/platform/request-meta.server";
import { sessionAbilities, type SessionAbilities, type SessionAbility } from "./board-access";
import { getScheduledSession, type ScheduledSession } from "./board-store.server";

/** Who acts on which board session, and the request facts their audit events record: what every session step takes. */
export type SessionCaller = { user: CurrentUser; session: ScheduledSession; meta: RequestMeta; db?: Db };

/**
 * The signed-in user and the session, when the `allowed` ability says they may;
 * otherwise an audited 404, so nobody learns whether a session they may not see exists.
 */
export async function requireSession(
  request: Request,
  context: AppLoadContext,
  sessionId: string | undefined,
  allowed: SessionAbility = "view",
): Promise<SessionCaller & { may: SessionAbilities }> {
  const user = await requireUser(request);
  const session = sessionId ? await getScheduledSession(getDb(), sessionId) : null;
  const may = session ? sessionAbilities(user, session) : null;
  if (!session || !may || !may[allowed]) throw await denyAccess(request, context, user, { sessionId: sessionId ?? null }, 404);
  return { user, session, meta: requestMeta(request, context), may };
}

/** Records that the user read or changed the session. */
export function auditSession(input: {
  user: Pick<CurrentUser, "id" | "role">;
  meta: RequestMeta;
  sessionId: string;
  action: string;
  details?: Record<string, unknown>;
  db?: Db;
}) {
  const { user, meta, sessionId, action, details = {}, db = getDb() } = input;
  return recordAudit(db, { actor: user, action, outcome: "success", entityType: "BoardSession", entityId: sessionId, details, meta });
}
